/**
 * The card as one self-contained HTML page: inline CSS (with print rules, so the browser's "Save as PDF" gives a
 * clean document), no scripts, no external fetches (a Content-Security-Policy meta tag forbids them as well), every
 * fact escaped — facts are user data, and this page is what the UI shows in a sandboxed frame.
 */
import type { Card, Section } from './card-types.js';
import { type Block, formatAge, sectionBlocks } from './card-blocks.js';
import { isoTime } from './card-time.js';

export const CARD_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; margin: 24px auto; max-width: 980px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 6px; padding-bottom: 4px; border-bottom: 1px solid #d0d7de; }
.meta { color: #57606a; font-size: 12px; }
.hash { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; }
.state { font-size: 12px; color: #57606a; margin: 0 0 8px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 11px; font-weight: 600; }
.badge.stale { background: #fff1e5; color: #9a3412; border: 1px solid #fdba74; }
.badge.empty, .badge.unavailable { background: #f6f8fa; color: #57606a; border: 1px solid #d0d7de; }
section.stale { border-left: 3px solid #f97316; padding-left: 10px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 6px 0; }
dt { color: #57606a; }
dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 12px; width: 100%; }
caption { text-align: left; color: #57606a; padding: 2px 0; }
th, td { border: 1px solid #d0d7de; padding: 3px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f6f8fa; }
p { margin: 6px 0; white-space: pre-wrap; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  h2 { break-after: avoid; }
  section, tr, dl { break-inside: avoid; }
  thead { display: table-header-group; }
  .badge { border: 1px solid #000; color: #000; background: none; }
}
`;

function blockHtml(b: Block): string {
  switch (b.kind) {
    case 'text':
      return `<p>${htmlEscape(b.text)}</p>`;
    case 'pairs':
      return `<dl>${b.pairs.map(([k, v]) => `<dt>${htmlEscape(k)}</dt><dd>${htmlEscape(v)}</dd>`).join('')}</dl>`;
    case 'table':
      if (b.rows.length === 0) return b.caption ? `<p class="state">${htmlEscape(b.caption)}: none.</p>` : '';
      return (
        `<table>${b.caption ? `<caption>${htmlEscape(b.caption)}</caption>` : ''}` +
        `<thead><tr>${b.head.map((h) => `<th>${htmlEscape(h)}</th>`).join('')}</tr></thead>` +
        `<tbody>${b.rows.map((r) => `<tr>${r.map((c) => `<td>${htmlEscape(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
      );
  }
}

function sectionHtml(s: Section, card: Card): string {
  const badges = [
    s.stale ? `<span class="badge stale">stale: older than ${formatAge(s.stale_after_days ?? 0)}</span>` : '',
    s.status !== 'present' ? `<span class="badge ${s.status}">${s.status}</span>` : '',
  ].join(' ');
  const state = `<p class="state">as of ${htmlEscape(s.as_of_iso ?? '—')} ${badges}${s.reason ? ` ${htmlEscape(s.reason)}` : ''}</p>`;
  const body = sectionBlocks(s, s.id === 'identity' ? card : undefined)
    .map(blockHtml)
    .join('\n');
  return `<section id="${s.id}" class="${s.stale ? 'stale' : ''}" data-status="${s.status}">\n<h2>${htmlEscape(s.title)}</h2>\n${state}\n${body}\n</section>`;
}

export function renderHtml(card: Card, generatedAt?: string): string {
  const title = `Model card: ${card.model.name} version ${card.model.version}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CARD_CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${htmlEscape(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${htmlEscape(title)}</h1>`,
    `<p class="meta">Content hash <span class="hash">${htmlEscape(card.content_hash)}</span>${isoTime(card.as_of) !== null ? ` · newest fact ${isoTime(card.as_of)}` : ''}${generatedAt ? ` · generated ${htmlEscape(generatedAt)}` : ''}</p>`,
    card.stale_sections.length ? `<p class="meta"><span class="badge stale">stale</span> ${htmlEscape(card.stale_sections.join(', '))}</p>` : '',
    ...card.sections.map((s) => sectionHtml(s, card)),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

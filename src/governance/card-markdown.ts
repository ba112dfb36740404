/**
 * The card as Markdown under Hugging Face's model-card template headings (Model Details, Uses, Bias/Risks and
 * Limitations, Training Details, Evaluation, Model Examination, …), with Ferry's extra sections after them. Facts
 * are user data: every value is escaped so it cannot open a heading, a link, HTML or a table cell.
 */
import { sectionOf } from './card-build.js';
import type { Card, Section } from './card-types.js';
import { type Block, formatAge, sectionBlocks } from './card-blocks.js';
import { isoTime } from './card-time.js';

/**
 * Markdown-inert text: backslash-escape the punctuation Markdown reads inline, a list or heading marker at the start,
 * and encode what HTML would read; line breaks become <br> so a value never starts a new block.
 */
export function mdEscape(text: string): string {
  return text
    .replace(/[\\`*_{}[\]#+!|~>]/g, (c) => `\\${c}`)
    .replace(/^(\s*)(-|\d+\.)/, (_m, sp: string, mark: string) => `${sp}${mark.replace(/([-.])/, '\\$1')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/\r?\n/g, '<br>');
}

function blockMd(b: Block): string {
  switch (b.kind) {
    case 'text':
      return `${mdEscape(b.text)}\n`;
    case 'pairs':
      return b.pairs.map(([k, v]) => `- **${mdEscape(k)}:** ${mdEscape(v)}`).join('\n') + '\n';
    case 'table':
      if (b.rows.length === 0) return '';
      return [
        b.caption ? `*${mdEscape(b.caption)}*\n` : '',
        `| ${b.head.map(mdEscape).join(' | ')} |`,
        `| ${b.head.map(() => '---').join(' | ')} |`,
        ...b.rows.map((r) => `| ${r.map(mdEscape).join(' | ')} |`),
        '',
      ]
        .filter((l, i) => i > 0 || l !== '')
        .join('\n');
  }
}

function stateLine(s: Section): string {
  const parts = [`as of ${s.as_of_iso ?? '—'}`];
  if (s.stale) parts.push(`**STALE** (older than ${formatAge(s.stale_after_days ?? 0)})`);
  if (s.status !== 'present') parts.push(`${s.status}${s.reason ? `: ${mdEscape(s.reason)}` : ''}`);
  return `_${parts.join(' · ')}_\n`;
}

export function renderMarkdown(card: Card, generatedAt?: string): string {
  const out: string[] = [];
  const id = sectionOf(card.sections, 'identity');
  out.push(`# Model card for ${mdEscape(card.model.name)} version ${mdEscape(card.model.version)}\n`);
  out.push(
    `Content hash: \`${card.content_hash}\`${isoTime(card.as_of) !== null ? ` · newest fact ${isoTime(card.as_of)}` : ''}${generatedAt ? ` · generated ${generatedAt}` : ''}\n`,
  );
  if (card.stale_sections.length) out.push(`> **Stale sections:** ${card.stale_sections.join(', ')}\n`);
  for (const s of card.sections) {
    out.push(`## ${s.title}\n`);
    out.push(stateLine(s));
    for (const b of sectionBlocks(s, s === id ? card : undefined)) out.push(blockMd(b));
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** What `ferry models card|card-edit|report` do (their definitions are in cards-command.ts). */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CardFields, CardFieldsInput, ModelCard, ModelCardFormat } from '../sdk/index.js';
import { clientFor, formatTime, note, print, printJson } from './context.js';
import type { OutputOptions } from './options.js';
import { formatDetails, formatTable, heading } from './table.js';

export interface CardOptions extends OutputOptions {
  format?: ModelCardFormat;
  out?: string;
  generatedAt?: boolean;
}

export interface EditOptions extends OutputOptions {
  modelVersion?: string;
  intendedUse?: string;
  outOfScope?: string;
  users?: string;
  owner?: string;
  contact?: string;
  limitations?: string;
  ethicalConsiderations?: string;
  clear?: string[];
}

export interface ReportOptions extends OutputOptions {
  out: string;
}

const FIELDS = ['intended_use', 'out_of_scope_uses', 'users', 'owner', 'contact', 'limitations', 'ethical_considerations'] as const;

export function cardSummary(card: ModelCard): string {
  return (
    formatDetails([
      ['Model', `${card.model.name} version ${card.model.version}`],
      ['Content hash', card.content_hash],
      ['Newest fact', formatTime(card.as_of)],
      ['Stale sections', card.stale_sections.join(', ') || 'none'],
    ]) +
    '\n' +
    formatTable(
      [
        { header: 'SECTION', value: (s) => s.id },
        { header: 'STATUS', value: (s) => s.status },
        { header: 'AS OF', value: (s) => formatTime(s.as_of) },
        { header: 'STALE', value: (s) => (s.stale ? `yes (> ${s.stale_after_days} d)` : '') },
        { header: 'NOTE', value: (s) => s.reason ?? '', maxWidth: 80 },
      ],
      card.sections,
    )
  );
}

export async function card(name: string, version: string, opts: CardOptions, cmd: Command): Promise<void> {
  const cards = clientFor(cmd).cards;
  const generatedAt = opts.generatedAt === true;
  if (opts.json) return printJson(await cards.get(name, version, { generatedAt }));
  if (opts.format || opts.out) {
    const text = await cards.render(name, version, opts.format ?? 'md', { generatedAt });
    if (!opts.out) return print(text);
    await writeFile(opts.out, text);
    return note(`Wrote the card (${opts.format ?? 'md'}) to ${opts.out}.`);
  }
  print(cardSummary(await cards.get(name, version, { generatedAt })));
}

export function editBody(opts: EditOptions): CardFieldsInput {
  const body: CardFieldsInput = {};
  const set: [(typeof FIELDS)[number], string | undefined][] = [
    ['intended_use', opts.intendedUse],
    ['out_of_scope_uses', opts.outOfScope],
    ['users', opts.users],
    ['owner', opts.owner],
    ['contact', opts.contact],
    ['limitations', opts.limitations],
    ['ethical_considerations', opts.ethicalConsiderations],
  ];
  for (const [k, v] of set) if (v !== undefined) body[k] = v;
  for (const c of opts.clear ?? []) {
    const k = FIELDS.find((f) => f === c.replace(/-/g, '_'));
    if (!k) throw new Error(`--clear ${c}: expected one of ${FIELDS.join(', ')}.`);
    if (body[k] !== undefined) throw new Error(`--clear ${c} and a value for it were both given.`);
    body[k] = null;
  }
  if (Object.keys(body).length === 0) throw new Error('Nothing to change: give a field (e.g. --intended-use "…") or --clear FIELD.');
  if (opts.modelVersion !== undefined) body.version = opts.modelVersion;
  return body;
}

export function fieldsTable(answer: CardFields): string {
  const rows = answer.levels.flatMap((l) =>
    Object.entries(l.fields).map(([field, text]) => ({ level: l.version === null ? 'model' : `v${l.version}`, field, text, l })),
  );
  if (rows.length === 0) return `No card fields are written for ${answer.model}.\n`;
  return (
    heading(`Card fields of ${answer.model}`) +
    formatTable(
      [
        { header: 'LEVEL', value: (r) => r.level },
        { header: 'FIELD', value: (r) => r.field },
        { header: 'TEXT', value: (r) => r.text.replace(/\s+/g, ' '), maxWidth: 70 },
        { header: 'UPDATED', value: (r) => `${formatTime(r.l.updated_at)} by ${r.l.updated_by}` },
      ],
      rows,
    )
  );
}

export async function edit(name: string, opts: EditOptions, cmd: Command): Promise<void> {
  const answer = await clientFor(cmd).cards.edit(name, editBody(opts));
  if (opts.json) return printJson(answer);
  print(fieldsTable(answer));
}

export async function report(name: string, version: string, opts: ReportOptions, cmd: Command): Promise<void> {
  const zip = await clientFor(cmd).cards.report(name, version);
  await writeFile(opts.out, zip);
  const sha256 = createHash('sha256').update(zip).digest('hex');
  if (opts.json) return printJson({ file: opts.out, bytes: zip.length, sha256 });
  print(
    formatDetails([
      ['File', opts.out],
      ['Bytes', zip.length],
      ['SHA-256', sha256],
    ]),
  );
}

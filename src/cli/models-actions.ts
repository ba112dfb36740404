/** What `ferry models list|show|register` do (their definitions are in models-command.ts). */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { ModelVersion, RegisteredModel } from '../sdk/index.js';
import { clientFor, formatTime, morePagesNote, note, print, printJson } from './context.js';
import type { OutputOptions } from './options.js';
import { formatDetails, formatTable, heading } from './table.js';

export interface ListOptions extends OutputOptions {
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
}

export interface RegisterOptions extends OutputOptions {
  name: string;
  features?: string;
  description?: string;
}

const latestVersion = (m: RegisteredModel) => m.latest_versions.reduce<number | undefined>((max, v) => Math.max(max ?? 0, Number(v.version)), undefined);

const aliasList = (m: RegisteredModel) =>
  [...m.aliases]
    .sort((a, b) => a.alias.localeCompare(b.alias))
    .map((a) => `${a.alias}=v${a.version}`)
    .join(' ');

export function modelsTable(models: readonly RegisteredModel[]): string {
  return formatTable(
    [
      { header: 'NAME', value: (m) => m.name, maxWidth: 60 },
      { header: 'LATEST', value: (m) => latestVersion(m), align: 'right' },
      { header: 'ALIASES', value: aliasList, maxWidth: 50 },
      { header: 'UPDATED', value: (m) => formatTime(m.last_updated_timestamp) },
      { header: 'DESCRIPTION', value: (m) => m.description, maxWidth: 60 },
    ],
    models,
  );
}

export function versionsTable(versions: readonly ModelVersion[], opts: { indent?: number } = {}): string {
  const sorted = [...versions].sort((a, b) => Number(b.version) - Number(a.version));
  return formatTable(
    [
      { header: 'VERSION', value: (v) => v.version, align: 'right' },
      { header: 'ALIASES', value: (v) => [...v.aliases].sort().join(' ') },
      { header: 'STAGE', value: (v) => v.current_stage },
      { header: 'STATUS', value: (v) => v.status },
      { header: 'CREATED', value: (v) => formatTime(v.creation_timestamp) },
      { header: 'RUN ID', value: (v) => v.run_id },
      { header: 'SOURCE', value: (v) => v.source, maxWidth: 80 },
    ],
    sorted,
    opts,
  );
}

export function modelDetails(model: RegisteredModel, versions: readonly ModelVersion[]): string {
  const parts = [
    formatDetails([
      ['Name', model.name],
      ['Description', model.description],
      ['Created', formatTime(model.creation_timestamp)],
      ['Updated', formatTime(model.last_updated_timestamp)],
      ['Versions', versions.length],
      [
        'Tags',
        [...model.tags]
          .sort((a, b) => a.key.localeCompare(b.key))
          .map((t) => `${t.key}=${t.value}`)
          .join(' '),
      ],
    ]),
  ];
  if (model.aliases.length > 0) {
    const aliases = [...model.aliases].sort((a, b) => a.alias.localeCompare(b.alias));
    parts.push(
      `\n${heading('Aliases')}${formatTable(
        [
          { header: 'ALIAS', value: (a) => a.alias },
          { header: 'VERSION', value: (a) => a.version, align: 'right' },
        ],
        aliases,
        { indent: 2 },
      )}`,
    );
  }
  parts.push(`\n${heading('Versions')}${versions.length ? versionsTable(versions, { indent: 2 }) : '  (none)\n'}`);
  return parts.join('');
}

export async function listModels(opts: ListOptions, cmd: Command): Promise<void> {
  const res = await clientFor(cmd).models.search({ filter: opts.filter, orderBy: opts.orderBy, maxResults: opts.maxResults, pageToken: opts.pageToken });
  if (opts.json) return printJson(res);
  if (res.registered_models.length === 0) note('No registered models.');
  else print(modelsTable(res.registered_models));
  morePagesNote('models', res.next_page_token);
}

export async function showModel(name: string, opts: OutputOptions, cmd: Command): Promise<void> {
  const client = clientFor(cmd);
  const model = await client.models.get(name);
  const versions = await client.modelVersions.listForModel(name);
  if (opts.json) return printJson({ registered_model: model, model_versions: versions });
  print(modelDetails(model, versions));
}

export async function registerModel(file: string, opts: RegisterOptions, cmd: Command): Promise<void> {
  const bytes = new Uint8Array(
    await readFile(file).catch((err: NodeJS.ErrnoException) => {
      throw new Error(`cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
    }),
  );
  const features = opts.features?.split(',').map((f) => f.trim());
  const res = await clientFor(cmd).modelVersions.register(opts.name, bytes, {
    ...(features ? { features } : {}),
    ...(opts.description ? { description: opts.description } : {}),
  });
  if (opts.json) return printJson(res);
  note(`Registered ${file} as ${res.model_version.name} version ${res.model_version.version}.`);
  print(
    formatTable(
      [
        { header: 'INPUT', value: (i) => i.name },
        { header: 'TYPE', value: (i) => i.type },
        { header: 'SHAPE', value: (i) => `[${i.shape.map((d) => d ?? 'N').join(', ')}]` },
      ],
      res.signature.inputs,
    ) +
      `\n${heading('Features')}  ${res.signature.features.join(', ')}\n${heading('Outputs')}  ${res.signature.outputs.map((o) => `${o.name} (${o.type})`).join(', ')}\n`,
  );
}

/** What `ferry token create|list|revoke` do (their definitions are in token-command.ts). */
import type { Command } from 'commander';
import type { ApiToken, Role } from '../sdk/index.js';
import { clientFor, formatTime, note, print, printJson } from './context.js';
import type { OutputOptions } from './options.js';
import { formatTable } from './table.js';

export interface CreateOptions extends OutputOptions {
  name: string;
  role: Role;
}

export function tokensTable(tokens: readonly ApiToken[]): string {
  return formatTable(
    [
      { header: 'ID', value: (t) => t.token_id },
      { header: 'NAME', value: (t) => t.name },
      { header: 'ROLE', value: (t) => t.role },
      { header: 'STATUS', value: (t) => (t.revoked_at ? `revoked ${formatTime(t.revoked_at)}` : 'active') },
      { header: 'CREATED', value: (t) => formatTime(t.created_at) },
      { header: 'CREATED BY', value: (t) => t.created_by },
    ],
    tokens,
  );
}

export async function createToken(opts: CreateOptions, cmd: Command): Promise<void> {
  const created = await clientFor(cmd).tokens.create({ name: opts.name, role: opts.role });
  if (opts.json) return printJson(created);
  note(`Created ${created.role} token '${created.name}' (id ${created.token_id}). Save it now: it is not shown again.`);
  print(`${created.token}\n`);
}

export async function listTokens(opts: OutputOptions, cmd: Command): Promise<void> {
  const tokens = await clientFor(cmd).tokens.list();
  if (opts.json) return printJson({ tokens });
  print(tokensTable(tokens));
}

export async function revokeToken(tokenId: string, opts: OutputOptions, cmd: Command): Promise<void> {
  await clientFor(cmd).tokens.revoke(tokenId);
  if (opts.json) return printJson({});
  print(`Revoked token ${tokenId}.\n`);
}

/** What `ferry token create|list|revoke` do (their definitions are in token-command.ts). */
import type { Command } from 'commander';
import type { ApiToken, Role } from '../sdk/index.js';
import { clientFor, durationFlag, formatTime, note, print, printJson } from './context.js';
import type { OutputOptions } from './options.js';
import { formatTable } from './table.js';

export interface CreateOptions extends OutputOptions {
  name?: string;
  role: Role;
  expiresIn?: string;
  deployment?: string;
}

/** What a token may do: its role, or the one deployment a prediction-only token may call. */
function scopeOf(t: Pick<ApiToken, 'role' | 'deployment'>): string {
  return t.deployment ? `predict on ${t.deployment}` : t.role;
}

export function tokensTable(tokens: readonly ApiToken[]): string {
  return formatTable(
    [
      { header: 'ID', value: (t) => t.token_id },
      { header: 'NAME', value: (t) => t.name },
      { header: 'SCOPE', value: scopeOf },
      { header: 'STATUS', value: (t) => (t.revoked_at ? `revoked ${formatTime(t.revoked_at)}` : t.status) },
      { header: 'EXPIRES', value: (t) => (t.expires_at === null ? 'never' : formatTime(t.expires_at)) },
      { header: 'CREATED', value: (t) => formatTime(t.created_at) },
      { header: 'CREATED BY', value: (t) => t.created_by },
    ],
    tokens,
  );
}

export async function createToken(nameArg: string | undefined, opts: CreateOptions, cmd: Command): Promise<void> {
  if (nameArg !== undefined && opts.name !== undefined && nameArg !== opts.name)
    throw new Error(`Two names given ('${nameArg}' and --name '${opts.name}'): give one.`);
  const name = nameArg ?? opts.name;
  if (name === undefined) throw new Error('Name the token: `ferry token create NAME` (or --name NAME).');
  // Checked here, naming the flag, before anything is sent.
  const expiresIn = opts.expiresIn !== undefined ? durationFlag(opts.expiresIn, '--expires-in') : undefined;
  const created = await clientFor(cmd).tokens.create({ name, role: opts.role, expiresIn, deployment: opts.deployment });
  if (opts.json) return printJson(created);
  const expiry = created.expires_at === null ? '' : `, expires ${formatTime(created.expires_at)}`;
  note(`Created ${scopeOf(created)} token '${created.name}' (id ${created.token_id}${expiry}). Save it now: it is not shown again.`);
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

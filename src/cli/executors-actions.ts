/** What the `ferry executors ...` commands do (their definitions are in executors-command.ts). */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Executor, ExecutorInput } from '../sdk/index.js';
import { clientFor, durationFlag, formatTime, note, print, printJson } from './context.js';
import type { OutputOptions } from './options.js';
import { formatDetails, formatTable } from './table.js';

export interface SetOptions extends OutputOptions {
  kind: ExecutorInput['kind'];
  address?: string;
  server?: string;
  namespace?: string;
  image?: string;
  serviceAccount?: string;
  caCert?: string;
  insecureSkipTlsVerify?: boolean;
  ttlSecondsAfterFinished?: number;
  tokenStdin?: boolean;
  tokenEnv?: string;
  trackingUri?: string;
  maxConcurrent?: number;
  envManager?: ExecutorInput['env_manager'];
  gracePeriod?: string;
  disable?: boolean;
  enable?: boolean;
}

/** Where an executor's credential comes from, without the credential. */
function tokenText(e: Executor): string {
  if (e.has_token) return 'stored (encrypted)';
  if (e.token_env) return `from the server's $${e.token_env}`;
  return 'none';
}

const where = (e: Executor) => e.address ?? e.server ?? (e.kind === 'local' ? 'this server' : '');

export async function list(o: OutputOptions, cmd: Command): Promise<void> {
  const executors = await clientFor(cmd).jobs.executors();
  if (o.json) return printJson({ executors });
  print(
    formatTable<Executor>(
      [
        { header: 'NAME', value: (e) => e.name },
        { header: 'KIND', value: (e) => e.kind },
        { header: 'ENABLED', value: (e) => (e.enabled ? 'yes' : 'no') },
        { header: 'ADDRESS', value: where, maxWidth: 50 },
        { header: 'MAX JOBS', value: (e) => e.max_concurrent, align: 'right' },
        { header: 'TOKEN', value: tokenText },
        { header: 'SOURCE', value: (e) => e.source },
        { header: 'UPDATED', value: (e) => formatTime(e.updated_at) },
      ],
      executors,
    ),
  );
}

export function executorDetails(e: Executor): string {
  return formatDetails([
    ['name', e.name],
    ['kind', e.kind],
    ['enabled', e.enabled ? 'yes' : 'no'],
    ['address', e.address],
    ['server', e.server],
    ['namespace', e.namespace],
    ['image', e.image],
    ['service account', e.service_account],
    ['CA certificate', e.has_ca_cert ? 'stored' : ''],
    ['skip TLS verify', e.insecure_skip_tls_verify ? 'yes (tests only)' : ''],
    ['finished Jobs kept', e.ttl_seconds_after_finished !== undefined ? `${e.ttl_seconds_after_finished}s` : ''],
    ['token', tokenText(e)],
    ['tracking URI', e.tracking_uri ?? "the server's own URL"],
    ['max concurrent', e.max_concurrent],
    ['env manager', e.env_manager],
    ['grace period', e.grace_period],
    ['source', e.source],
    ['updated', e.updated_at ? `${formatTime(e.updated_at)} by ${e.updated_by ?? '?'}` : ''],
  ]);
}

export async function show(name: string, o: OutputOptions, cmd: Command): Promise<void> {
  const executor = await clientFor(cmd).jobs.getExecutor(name);
  if (o.json) return printJson({ executor });
  print(executorDetails(executor));
}

/** The whole of stdin, trailing newline and spaces off: a token piped in (`--token-stdin < file`, or from a secret manager). */
async function readToken(): Promise<string> {
  if (process.stdin.isTTY) note('paste the token, then press Enter and Ctrl-D');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const token = Buffer.concat(chunks).toString('utf8').trim();
  if (!token) throw new Error('--token-stdin: stdin was empty');
  if (/\s/.test(token)) throw new Error('--token-stdin: the token holds whitespace; give only the token');
  return token;
}

function readCaCert(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read --ca-cert ${file}: ${(err as Error).message}`);
  }
}

export async function set(name: string, o: SetOptions, cmd: Command): Promise<void> {
  if (o.tokenStdin && o.tokenEnv) throw new Error('give --token-stdin or --token-env, not both');
  const input: ExecutorInput = {
    kind: o.kind,
    ...(o.disable ? { enabled: false } : o.enable ? { enabled: true } : {}),
    ...(o.address ? { address: o.address } : {}),
    ...(o.server ? { server: o.server } : {}),
    ...(o.namespace ? { namespace: o.namespace } : {}),
    ...(o.image ? { image: o.image } : {}),
    ...(o.serviceAccount ? { service_account: o.serviceAccount } : {}),
    ...(o.caCert ? { ca_cert: readCaCert(o.caCert) } : {}),
    ...(o.insecureSkipTlsVerify ? { insecure_skip_tls_verify: true } : {}),
    ...(o.ttlSecondsAfterFinished !== undefined ? { ttl_seconds_after_finished: o.ttlSecondsAfterFinished } : {}),
    ...(o.tokenEnv ? { token_env: o.tokenEnv } : {}),
    ...(o.trackingUri ? { tracking_uri: o.trackingUri } : {}),
    ...(o.maxConcurrent !== undefined ? { max_concurrent: o.maxConcurrent } : {}),
    ...(o.envManager ? { env_manager: o.envManager } : {}),
    ...(o.gracePeriod ? { grace_period: durationFlag(o.gracePeriod, '--grace-period') } : {}),
  };
  if (o.tokenStdin) input.token = await readToken();
  const executor = await clientFor(cmd).jobs.setExecutor(name, input);
  if (o.json) return printJson({ executor });
  print(`Set executor ${executor.name} (${executor.kind}${executor.enabled ? '' : ', disabled'}); token: ${tokenText(executor)}\n`);
}

export async function remove(name: string, o: OutputOptions, cmd: Command): Promise<void> {
  const executor = await clientFor(cmd).jobs.deleteExecutor(name);
  if (o.json) return printJson({ executor });
  print(`Deleted executor ${executor.name}.\n`);
}

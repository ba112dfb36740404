/** What the `ferry abtest ...` and `ferry outcomes send` commands do (their definitions are in abtest-command.ts). */
import { readFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { AbTestState } from '../sdk/index.js';
import { abtestsTable, abtestSummary, historyTable, reportText } from './abtest-format.js';
import { type CreateFlags, createBody, parseSpecFile } from './abtest-spec.js';
import { clientFor, note, print, printJson } from './context.js';
import type { OutputOptions } from './options.js';
import { type OutcomesFormat, parseOutcomes } from './outcomes-file.js';

export interface CreateOptions extends OutputOptions, CreateFlags {
  spec?: string;
}

export interface ListOptions extends OutputOptions {
  deployment?: string;
  state?: AbTestState;
}

export interface ShowOptions extends OutputOptions {
  at?: string;
  history?: boolean;
  points?: number;
}

export interface StopOptions extends OutputOptions {
  reason?: string;
}

export interface SendOptions extends OutputOptions {
  format?: OutcomesFormat;
}

function readText(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

export async function create(name: string | undefined, o: CreateOptions, cmd: Command): Promise<void> {
  // The flags are checked before anything is sent.
  const body = createBody(name, o, o.spec ? parseSpecFile(readText(o.spec), o.spec) : {});
  const abtest = await clientFor(cmd).abtests.create(body);
  if (o.json) return printJson({ abtest });
  print(abtestSummary(abtest));
  note(abtest.state === 'draft' ? `start it: ferry abtest start ${abtest.name}` : `its report: ferry abtest show ${abtest.name}`);
}

export async function list(o: ListOptions, cmd: Command): Promise<void> {
  const abtests = await clientFor(cmd).abtests.list({
    ...(o.deployment ? { deployment: o.deployment } : {}),
    ...(o.state ? { state: o.state } : {}),
  });
  if (o.json) return printJson({ abtests });
  if (abtests.length === 0) note('No A/B tests.');
  else print(abtestsTable(abtests));
}

export async function show(name: string, o: ShowOptions, cmd: Command): Promise<void> {
  const client = clientFor(cmd);
  const query = { ...(o.at ? { at: o.at } : {}), ...(o.history || o.points ? { history: true } : {}), ...(o.points ? { points: o.points } : {}) };
  if (o.json) return printJson(await client.abtests.report(name, query));
  const [test, report] = await Promise.all([client.abtests.get(name), client.abtests.report(name, query)]);
  print(reportText(report, test));
  if (query.history) print(`\nPrimary metric's lift over time\n${historyTable(report.history)}`);
}

export async function start(name: string, o: OutputOptions, cmd: Command): Promise<void> {
  const abtest = await clientFor(cmd).abtests.start(name);
  if (o.json) return printJson({ abtest });
  print(abtestSummary(abtest));
}

export async function stop(name: string, o: StopOptions, cmd: Command): Promise<void> {
  const abtest = await clientFor(cmd).abtests.stop(name, o.reason);
  if (o.json) return printJson({ abtest });
  print(abtestSummary(abtest));
}

export async function sendOutcomes(file: string, o: SendOptions, cmd: Command): Promise<void> {
  const items = parseOutcomes(readText(file), file, o.format);
  if (items.length === 0) throw new Error(`${file} holds no outcome events`);
  // A bar only where someone watches and it takes several requests.
  const bar =
    process.stderr.isTTY && items.length > 10_000
      ? new cliProgress.SingleBar({ format: 'outcomes |{bar}| {value}/{total} events', stream: process.stderr }, cliProgress.Presets.shades_classic)
      : null;
  bar?.start(items.length, 0);
  let r;
  try {
    r = await clientFor(cmd).abtests.sendOutcomes(items, { onProgress: (sent) => bar?.update(sent) });
  } finally {
    bar?.stop();
  }
  if (o.json) return printJson(r);
  print(`${r.accepted} of ${items.length} outcome events stored\n`);
  if (r.unknown.length)
    note(
      `${r.unknown.length} event(s) name a unit or request no A/B test has seen, e.g. ${r.unknown
        .slice(0, 3)
        .map((u) => `${u.unit ?? u.request_id ?? '?'} (event ${u.index + 1}: ${u.reason})`)
        .join('; ')}`,
    );
}

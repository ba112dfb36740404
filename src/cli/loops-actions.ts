/** What the `ferry loops ...` commands do (their definitions are in loops-command.ts). */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type FerryClient, isTerminalLoopRun, type LoopCreate, type LoopRunDetail } from '../sdk/index.js';
import { clientFor, note, print, printJson } from './context.js';
import { uploadFolder } from './jobs-upload.js';
import { loopsTable, loopSummary, nextHint, runHeadline, runsTable, runText, stepLine, triggerLine, triggerText, verdictText } from './loops-format.js';
import { localProject, parseLoopSpec, updateBody, withProject } from './loops-spec.js';
import type { OutputOptions } from './options.js';

export interface SpecOptions extends OutputOptions {
  file: string;
}

export interface ListOptions extends OutputOptions {
  deployment?: string;
  model?: string;
}

export interface ShowOptions extends OutputOptions {
  watch?: boolean;
  evidence?: boolean;
  limit?: number;
}

export interface ReasonOptions extends OutputOptions {
  reason?: string;
}

export interface TriggerOptions extends ReasonOptions {
  candidateVersion?: number;
  dryRun?: boolean;
  watch?: boolean;
}

export interface ApproveOptions extends ReasonOptions {
  reject?: boolean;
}

/** Exit codes of a watched run (loops-command.ts documents them): the candidate promoted (or a dry run) or not. */
export const WATCH_EXIT_CODES = { ended: 0, notPromoted: 1, interrupted: 130 } as const;

function readText(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

/** The spec with a local training project uploaded and replaced by its digest. */
async function resolveSpec(client: FerryClient, spec: LoopCreate, file: string, quiet: boolean): Promise<LoopCreate> {
  const folder = localProject(spec, file);
  if (folder === undefined) return spec;
  const project = await uploadFolder(client, folder, quiet);
  return withProject(spec, project.digest);
}

export async function create(o: SpecOptions, cmd: Command): Promise<void> {
  const spec = parseLoopSpec(readText(o.file), o.file); // checked before anything is uploaded or sent
  const client = clientFor(cmd);
  const loop = await client.loops.create(await resolveSpec(client, spec, o.file, Boolean(o.json)));
  if (o.json) return printJson({ loop });
  print(loopSummary(loop));
  note(`start a run by hand: ferry loops trigger ${loop.name} [--dry-run]`);
}

export async function update(name: string, o: SpecOptions, cmd: Command): Promise<void> {
  const spec = parseLoopSpec(readText(o.file), o.file, 'update');
  const client = clientFor(cmd);
  const body = updateBody(await resolveSpec(client, spec, o.file, Boolean(o.json)), await client.loops.get(name), o.file);
  const loop = await client.loops.update(name, body);
  if (o.json) return printJson({ loop });
  print(loopSummary(loop));
}

export async function list(o: ListOptions, cmd: Command): Promise<void> {
  const loops = await clientFor(cmd).loops.list({ ...(o.deployment ? { deployment: o.deployment } : {}), ...(o.model ? { model: o.model } : {}) });
  if (o.json) return printJson({ loops });
  if (loops.length === 0) note('No loops. Create one: ferry loops create -f loop.yaml');
  else print(loopsTable(loops));
}

/** `show NAME`: the loop and its runs; `show NAME SEQ`: the run's timeline. --watch follows a run until it ends. */
export async function show(name: string, seq: number | undefined, o: ShowOptions, cmd: Command): Promise<void> {
  const client = clientFor(cmd);
  if (seq !== undefined) return showRun(client, name, seq, o);
  if (o.watch) {
    const loop = await client.loops.get(name);
    if (!loop.last_run) throw new Error(`loop ${name} has no run to watch yet (start one: ferry loops trigger ${name})`);
    return showRun(client, name, loop.last_run.seq, o);
  }
  const [loop, runs] = await Promise.all([client.loops.get(name), client.loops.runs(name, o.limit ? { max_results: o.limit } : {})]);
  if (o.json) return printJson({ loop, loop_runs: runs });
  print(loopSummary(loop));
  print(`\nRuns\n${runs.length ? runsTable(runs) : '  (none yet)\n'}`);
  if (runs[0]) note(`a run's timeline: ferry loops show ${name} ${runs[0].seq}`);
}

/** `runs NAME`: the loop's runs, newest first; `runs NAME SEQ`: one run's timeline, as `show NAME SEQ`. */
export async function runs(name: string, seq: number | undefined, o: ShowOptions, cmd: Command): Promise<void> {
  const client = clientFor(cmd);
  if (seq !== undefined) return showRun(client, name, seq, o);
  const loopRuns = await client.loops.runs(name, o.limit ? { max_results: o.limit } : {});
  if (o.json) return printJson({ loop_runs: loopRuns });
  if (loopRuns.length === 0) note(`Loop ${name} has no runs yet.`);
  else print(runsTable(loopRuns));
}

async function showRun(client: FerryClient, name: string, seq: number, o: ShowOptions): Promise<void> {
  if (o.watch) return watchRun(client, name, seq, o);
  const run = await client.loops.run(name, seq);
  if (o.json) return printJson({ loop_run: run });
  print(runText(run, { evidence: Boolean(o.evidence) }));
}

/**
 * Prints the run's steps as they happen (polling every 2 s) until it ends; with --json, progress goes to stderr
 * and the ended run to stdout. Ctrl-C stops watching; the run goes on.
 */
async function watchRun(client: FerryClient, name: string, seq: number, o: OutputOptions): Promise<void> {
  const out = (text: string) => (o.json ? process.stderr.write(text) : process.stdout.write(text));
  const onInterrupt = () => {
    note(`\nstopped watching; run #${seq} of loop ${name} goes on. Cancel it with: ferry loops cancel ${name} ${seq}`);
    process.exit(WATCH_EXIT_CODES.interrupted);
  };
  process.once('SIGINT', onInterrupt);
  let first = true;
  let waiting = false;
  let ended: LoopRunDetail;
  try {
    ended = await client.loops.watch(name, seq, ({ steps, triggers }, run) => {
      if (first) out(`${runHeadline(run)}(watching until it ends; Ctrl-C stops watching, the run goes on)\n`);
      first = false;
      for (const s of steps) out(stepLine(s));
      for (const t of triggers) out(triggerLine(t));
      // Once per wait: a person has to act.
      if (run.state === 'awaiting_approval' && !waiting) note(nextHint(run));
      waiting = run.state === 'awaiting_approval';
    });
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  if (o.json) printJson({ loop_run: ended });
  else out(runHeadline(ended));
  if (isTerminalLoopRun(ended.state))
    process.exitCode = ended.state === 'promoted' || ended.state === 'dry_run' ? WATCH_EXIT_CODES.ended : WATCH_EXIT_CODES.notPromoted;
}

export async function trigger(name: string, o: TriggerOptions, cmd: Command): Promise<void> {
  const client = clientFor(cmd);
  const r = await client.loops.trigger(name, {
    ...(o.reason !== undefined ? { reason: o.reason } : {}),
    ...(o.candidateVersion !== undefined ? { candidate_version: String(o.candidateVersion) } : {}),
    ...(o.dryRun ? { dry_run: true } : {}),
  });
  if (o.watch) {
    if (!o.json) print(triggerText(r));
    return watchRun(client, name, r.loop_run.seq, o);
  }
  if (o.json) return printJson(r);
  print(triggerText(r));
  note(`follow it: ferry loops show ${name} ${r.loop_run.seq} --watch`);
}

export async function approve(name: string, seq: number, o: ApproveOptions, cmd: Command): Promise<void> {
  const run = await clientFor(cmd).loops.approve(name, seq, {
    decision: o.reject ? 'reject' : 'approve',
    ...(o.reason !== undefined ? { reason: o.reason } : {}),
  });
  if (o.json) return printJson({ loop_run: run });
  print(runHeadline(run));
}

export async function promote(name: string, seq: number, o: ReasonOptions & { reason: string }, cmd: Command): Promise<void> {
  const run = await clientFor(cmd).loops.promote(name, seq, o.reason);
  if (o.json) return printJson({ loop_run: run });
  print(runHeadline(run));
}

export async function cancel(name: string, seq: number, o: ReasonOptions, cmd: Command): Promise<void> {
  const run = await clientFor(cmd).loops.cancel(name, seq, o.reason);
  if (o.json) return printJson({ loop_run: run });
  print(runHeadline(run));
}

export async function pause(name: string, o: ReasonOptions, cmd: Command): Promise<void> {
  const loop = await clientFor(cmd).loops.pause(name, o.reason);
  if (o.json) return printJson({ loop });
  print(`Loop ${loop.name} is ${loop.state}: triggers are recorded but start no run (a run under way goes on). Resume: ferry loops resume ${loop.name}\n`);
}

export async function resume(name: string, o: OutputOptions, cmd: Command): Promise<void> {
  const loop = await clientFor(cmd).loops.resume(name);
  if (o.json) return printJson({ loop });
  print(`Loop ${loop.name} is ${loop.state}.\n`);
}

export async function verdict(name: string, o: OutputOptions, cmd: Command): Promise<void> {
  const v = await clientFor(cmd).loops.verdict(name);
  if (o.json) return printJson(v);
  print(verdictText(v));
}

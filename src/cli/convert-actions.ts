/** What `ferry models convert` does (its definition is in convert-command.ts). */
import type { Command } from 'commander';
import type { FerryClient, ModelConversion } from '../sdk/index.js';
import { clientFor, note, print, printJson } from './context.js';
import type { OutputOptions } from './options.js';
import { formatDetails } from './table.js';

export interface ConvertOptions extends OutputOptions {
  force?: boolean;
  /** false with --no-wait. */
  wait?: boolean;
}

const ACTIVE = new Set(['queued', 'running']);

function num(x: number | null | undefined): string {
  if (x === null || x === undefined) return '';
  return x === 0 ? '0' : Math.abs(x) < 1e-3 ? x.toExponential(2) : String(Number(x.toPrecision(4)));
}

/** The conversion as a readable block: state, what was converted, the check, where the ONNX file is. */
export function conversionText(c: ModelConversion): string {
  const check = c.check;
  const rows = Object.entries(check?.rows ?? {})
    .filter(([, n]) => n !== null)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return formatDetails([
    ['Model', `${c.model} version ${c.version}`],
    ['State', c.state],
    ['Flavor', c.flavor ?? ''],
    ['Estimator', c.estimator ?? ''],
    ['Check', check?.passed === true ? 'passed' : check?.passed === false ? 'failed' : ''],
    ['Max abs diff', num(check?.max_abs_diff)],
    ['Tolerance', num(check?.tolerance)],
    ['Labels equal', check?.labels_equal === true ? 'yes' : check?.labels_equal === false ? 'no' : ''],
    ['Rows', rows],
    ['Training data', check?.training_data ?? ''],
    ['Failed step', c.step ?? ''],
    ['ONNX file', c.onnx_path ?? ''],
    ['Job', c.job_id],
    ['Requested by', c.requested_by],
    ['Updated', c.updated_at],
  ]).concat(`\n${c.message}\n`);
}

/** Follows the job's log to stderr (the progress), then reads the conversion until it has taken the job's end. */
async function waitForEnd(client: FerryClient, c: ModelConversion): Promise<ModelConversion> {
  note(`Converting ${c.model} version ${c.version} to ONNX (job ${c.job_id}); its log follows. Ctrl-C stops waiting; the conversion goes on.`);
  let last = '\n';
  await client.jobs.follow(c.job_id, (text) => {
    process.stderr.write(text);
    last = text;
  });
  if (!last.endsWith('\n')) process.stderr.write('\n');
  for (;;) {
    const now = await client.conversions.get(c.model, c.version);
    if (!ACTIVE.has(now.state)) return now;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function convert(name: string, version: string, opts: ConvertOptions, cmd: Command): Promise<void> {
  const client = clientFor(cmd);
  let c = await client.conversions.start(name, version, { force: opts.force === true });
  if (opts.wait !== false && ACTIVE.has(c.state)) c = await waitForEnd(client, c);
  if (opts.json) printJson({ conversion: c });
  else print(conversionText(c));
  if (c.state === 'failed') process.exitCode = 1;
}

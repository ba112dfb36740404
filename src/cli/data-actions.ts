/** What the `ferry data ...` commands do (their definitions are in data-command.ts). */
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { FerryClient } from '../sdk/index.js';
import { clientFor, note, print, printJson } from './context.js';
import { bytes, diffText, profileText, validationText, versionDetails } from './data-format.js';
import type { OutputOptions } from './options.js';
import { formatTable } from './table.js';

/** NAME[@REF] → parts (REF defaults to latest). */
export function splitRef(text: string): { name: string; ref: string } {
  const at = text.indexOf('@');
  return at < 0 ? { name: text, ref: 'latest' } : { name: text.slice(0, at), ref: text.slice(at + 1) || 'latest' };
}

/** The file as a web stream, with a progress bar on stderr while it uploads (when stderr is a terminal). */
function fileBody(path: string, label: string, quiet: boolean): { body: ReadableStream<Uint8Array>; done(): void } {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error(`${path} is not a file`);
    size = st.size;
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const bar =
    !quiet && process.stderr.isTTY
      ? new cliProgress.SingleBar(
          { format: `${label} |{bar}| {percentage}% {sent}/{size}`, stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
      : null;
  bar?.start(size, 0, { sent: bytes(0), size: bytes(size) });
  let sent = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      sent += chunk.length;
      bar?.update(sent, { sent: bytes(sent) });
      cb(null, chunk);
    },
  });
  const stream = createReadStream(path).pipe(meter);
  const done = () => {
    if (!bar) return;
    bar.stop();
    if (sent >= size) note('uploaded; the server is profiling the file…');
  };
  meter.on('end', done);
  return { body: Readable.toWeb(stream) as ReadableStream<Uint8Array>, done };
}

function printVersions(rows: Awaited<ReturnType<FerryClient['data']['versions']>>): void {
  print(
    formatTable(
      [
        { header: 'VERSION', value: (v: (typeof rows)[number]) => v.version, align: 'right' },
        { header: 'DIGEST', value: (v) => v.digest.slice(0, 12) },
        { header: 'ROWS', value: (v) => v.rows, align: 'right' },
        { header: 'COLS', value: (v) => v.columns, align: 'right' },
        { header: 'SIZE', value: (v) => bytes(v.size_bytes), align: 'right' },
        { header: 'FORMAT', value: (v) => v.format },
        { header: 'TAGS', value: (v) => v.tags.join(',') },
        { header: 'CREATED', value: (v) => v.created_at.slice(0, 19).replace('T', ' ') },
        { header: 'FILE', value: (v) => v.filename, maxWidth: 40 },
      ],
      rows,
    ),
  );
}

export interface PushOptions extends OutputOptions {
  name: string;
  format?: string;
  description?: string;
}

export async function push(file: string, o: PushOptions, cmd: Command): Promise<void> {
  const { body, done } = fileBody(file, `push ${basename(file)}`, Boolean(o.json));
  const r = await clientFor(cmd)
    .data.push(o.name, body, {
      filename: basename(file),
      ...(o.format ? { format: o.format as 'csv' } : {}),
      ...(o.description ? { description: o.description } : {}),
    })
    .finally(done);
  if (o.json) return printJson(r);
  print(`${r.created ? 'created' : 'already there (same bytes)'}: ${r.version.ref}\n` + versionDetails(r.version));
  for (const w of r.version.schema.warnings) note(`warning: ${w.message}`);
  for (const v of r.validations)
    print(
      `suite ${v.suite}: ${v.success ? 'passed' : 'FAILED'} (${v.evaluated - v.failed}/${v.evaluated}); ferry data validations --dataset ${r.version.dataset}\n`,
    );
}

export async function listDatasets(o: OutputOptions, cmd: Command): Promise<void> {
  const rows = await clientFor(cmd).data.list();
  if (o.json) return printJson(rows);
  print(
    formatTable(
      [
        { header: 'NAME', value: (d: (typeof rows)[number]) => d.name },
        { header: 'VERSIONS', value: (d) => d.versions, align: 'right' },
        { header: 'LATEST', value: (d) => d.latest_version ?? '', align: 'right' },
        { header: 'UPDATED', value: (d) => d.updated_at.slice(0, 19).replace('T', ' ') },
        { header: 'DESCRIPTION', value: (d) => d.description, maxWidth: 60 },
      ],
      rows,
    ),
  );
}

export async function listVersions(name: string, o: OutputOptions, cmd: Command): Promise<void> {
  const rows = await clientFor(cmd).data.versions(name);
  if (o.json) printJson(rows);
  else printVersions(rows);
}

export async function showVersion(text: string, o: OutputOptions, cmd: Command): Promise<void> {
  const { name, ref } = splitRef(text);
  const v = await clientFor(cmd).data.version(name, ref);
  if (o.json) printJson(v);
  else print(profileText(v));
}

export async function diffVersions(fromText: string, toText: string, o: OutputOptions, cmd: Command): Promise<void> {
  const from = splitRef(fromText);
  const d = await clientFor(cmd).data.diff(from.name, from.ref, toText);
  if (o.json) printJson(d);
  else print(diffText(d));
}

export async function tagVersion(text: string, tag: string, o: OutputOptions, cmd: Command): Promise<void> {
  const { name, ref } = splitRef(text);
  const v = await clientFor(cmd).data.tag(name, tag, ref);
  if (o.json) printJson(v);
  else print(`${name}@${tag} → version ${v.version}\n`);
}

export async function untag(name: string, tag: string, o: OutputOptions, cmd: Command): Promise<void> {
  await clientFor(cmd).data.untag(name, tag);
  if (o.json) printJson({ removed: tag });
  else print(`removed tag ${tag}\n`);
}

export async function download(text: string, o: OutputOptions & { output?: string }, cmd: Command): Promise<void> {
  const { name, ref } = splitRef(text);
  const res = await clientFor(cmd).data.download(name, ref);
  const disposition = res.headers.get('content-disposition') ?? '';
  const fallback = decodeURIComponent(/filename="([^"]+)"/.exec(disposition)?.[1] ?? `${name}.data`);
  const out = o.output ?? basename(fallback);
  if (!res.body) throw new Error('the server sent no file');
  await pipeline(Readable.fromWeb(res.body as never), createWriteStream(out, { flags: o.output ? 'w' : 'wx' }));
  const size = statSync(out).size;
  if (o.json) printJson({ file: out, size_bytes: size });
  else print(`wrote ${out} (${bytes(size)})\n`);
}

export async function deleteData(text: string, o: OutputOptions & { allVersions?: boolean; force?: boolean }, cmd: Command): Promise<void> {
  const client = clientFor(cmd);
  if (!text.includes('@')) {
    if (!o.allVersions) throw new Error(`name a version (${text}@VERSION), or pass --all-versions to delete the whole dataset`);
    await client.data.delete(text, { force: o.force ?? false });
    return o.json ? printJson({ deleted: text }) : print(`deleted dataset ${text}\n`);
  }
  const { name, ref } = splitRef(text);
  const v = await client.data.deleteVersion(name, ref, { force: o.force ?? false });
  if (o.json) printJson(v);
  else print(`deleted ${v.ref}\n`);
}

export async function lineage(text: string | undefined, o: OutputOptions & { model?: string }, cmd: Command): Promise<void> {
  const client = clientFor(cmd);
  if (o.model) {
    const slash = o.model.lastIndexOf('/');
    if (slash < 1) throw new Error('--model takes NAME/VERSION, e.g. credit-risk/2');
    const l = await client.data.modelLineage(o.model.slice(0, slash), o.model.slice(slash + 1));
    if (o.json) return printJson(l);
    print(`model version ${l.model.name}/${l.model.version}, run ${l.run?.run_id ?? '(none)'}${l.run?.run_name ? ` (${l.run.run_name})` : ''}\n`);
    print(
      formatTable(
        [
          { header: 'INPUT', value: (d: (typeof l.datasets)[number]) => d.name },
          { header: 'CONTEXT', value: (d) => d.context ?? '' },
          { header: 'DIGEST', value: (d) => d.digest.slice(0, 12) },
          { header: 'FERRY VERSION', value: (d) => d.dataset_versions.map((v) => v.ref).join(', ') || '(not a Ferry dataset)' },
          {
            header: 'VALIDATION',
            value: (d) => d.dataset_versions.flatMap((v) => v.validations.slice(0, 1).map((x) => `${x.suite}: ${x.success ? 'passed' : 'FAILED'}`)).join(', '),
          },
        ],
        l.datasets,
      ),
    );
    return;
  }
  if (!text) throw new Error('name a dataset version (NAME@VERSION) or pass --model NAME/VERSION');
  const { name, ref } = splitRef(text);
  const l = await client.data.lineage(name, ref);
  if (o.json) return printJson(l);
  print(`${l.ref} (sha256:${l.digest.slice(0, 12)})\n\nruns:\n`);
  print(
    l.runs.length
      ? formatTable(
          [
            { header: 'RUN', value: (r: (typeof l.runs)[number]) => r.run_id },
            { header: 'NAME', value: (r) => r.run_name },
            { header: 'EXPERIMENT', value: (r) => r.experiment_id },
            { header: 'CONTEXT', value: (r) => r.context ?? '' },
          ],
          l.runs,
          { indent: 2 },
        )
      : '  (none)\n',
  );
  print(
    '\nmodel versions:\n' + (l.model_versions.length ? l.model_versions.map((m) => `  ${m.name}/${m.version}  (run ${m.run_id})\n`).join('') : '  (none)\n'),
  );
}

export async function validate(target: string, o: OutputOptions & { suite: string; format?: string }, cmd: Command): Promise<void> {
  const client = clientFor(cmd);
  let result;
  if (existsSync(target) || !/^[A-Za-z0-9][\w.-]*@[\w.:-]+$/.test(target)) {
    const { body, done } = fileBody(target, `validate ${basename(target)}`, Boolean(o.json));
    const r = await client.data.validateFile(o.suite, body, { filename: basename(target), ...(o.format ? { format: o.format as 'csv' } : {}) }).finally(done);
    if (o.json) printJson(r);
    else {
      for (const w of r.file.warnings) note(`warning: ${w.message}`);
      print(`${basename(target)}: ${r.file.rows} rows\n` + validationText(r.result));
    }
    result = r.result;
  } else {
    const r = await client.data.validateVersion(o.suite, target);
    if (o.json) printJson(r);
    else print(`${r.target} (validation ${r.id})\n` + validationText(r.result));
    result = r.result;
  }
  if (!result.success) process.exitCode = 1;
}

export interface ValidationsOptions extends OutputOptions {
  dataset?: string;
  deployment?: string;
  suite?: string;
  failed?: boolean;
  limit?: number;
}

export async function validations(o: ValidationsOptions, cmd: Command): Promise<void> {
  const rows = await clientFor(cmd).data.validations({
    ...(o.dataset ? { targetKind: 'dataset' as const, target: o.dataset } : o.deployment ? { targetKind: 'deployment' as const, target: o.deployment } : {}),
    ...(o.suite ? { suite: o.suite } : {}),
    ...(o.failed ? { success: false } : {}),
    maxResults: o.limit ?? 50,
  });
  if (o.json) return printJson(rows);
  print(
    formatTable(
      [
        { header: 'ID', value: (v: (typeof rows)[number]) => v.id, align: 'right' },
        { header: 'WHEN', value: (v) => v.created_at.slice(0, 19).replace('T', ' ') },
        { header: 'SUITE', value: (v) => v.suite },
        {
          header: 'TARGET',
          value: (v) => (v.version !== null ? `${v.target}@${v.version}` : v.window_start ? `${v.target} window ${v.window_start.slice(0, 16)}` : v.target),
        },
        { header: 'RESULT', value: (v) => (v.success ? 'passed' : 'FAILED') },
        { header: 'MET', value: (v) => `${v.evaluated - v.failed}/${v.evaluated}`, align: 'right' },
      ],
      rows,
    ),
  );
}

export async function inferSuite(text: string, o: OutputOptions & { name?: string; save?: boolean; output?: string }, cmd: Command): Promise<void> {
  const r = await clientFor(cmd).data.inferSuite(text, { ...(o.name ? { name: o.name } : {}), save: o.save ?? false });
  if (o.output) createWriteStream(o.output).end(`${JSON.stringify(r.suite, null, 2)}\n`);
  if (o.json || !o.output) return printJson(o.json ? r : r.suite);
  print(`wrote ${o.output} (${r.suite.expectations.length} expectations)${r.saved ? `; saved as suite ${r.suite.name}` : ''}\n`);
}

export async function createSuite(name: string, file: string, o: OutputOptions, cmd: Command): Promise<void> {
  let body: object;
  try {
    body = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8')) as object;
  } catch (err) {
    throw new Error(`cannot read suite ${file}: ${(err as Error).message}`);
  }
  const r = await clientFor(cmd).data.putSuite(name, body as never);
  if (o.json) printJson(r);
  else print(`${r.created ? 'created' : 'replaced'} suite ${name} (${r.suite.expectations.length} expectations)\n`);
}

export async function listSuites(o: OutputOptions, cmd: Command): Promise<void> {
  const rows = await clientFor(cmd).data.suites();
  if (o.json) return printJson(rows);
  print(
    formatTable(
      [
        { header: 'NAME', value: (s: (typeof rows)[number]) => s.name },
        { header: 'EXPECTATIONS', value: (s) => s.expectations, align: 'right' },
        { header: 'UPDATED', value: (s) => s.updated_at.slice(0, 19).replace('T', ' ') },
      ],
      rows,
    ),
  );
}

export async function showSuite(name: string, o: OutputOptions, cmd: Command): Promise<void> {
  const s = await clientFor(cmd).data.suite(name);
  if (o.json) return printJson(s);
  print(`suite ${s.name}; attached to: ${s.attachments.map((a) => `${a.target_kind} ${a.target}`).join(', ') || '(nothing)'}\n\n`);
  print(
    formatTable(
      [
        { header: 'EXPECTATION', value: (e: (typeof s.suite.expectations)[number]) => e.type.replace(/^expect_/, '') },
        { header: 'KWARGS', value: (e) => JSON.stringify(e.kwargs), maxWidth: 100 },
      ],
      s.suite.expectations,
    ),
  );
}

export async function deleteSuite(name: string, o: OutputOptions, cmd: Command): Promise<void> {
  await clientFor(cmd).data.deleteSuite(name);
  if (o.json) printJson({ deleted: name });
  else print(`deleted suite ${name}\n`);
}

export async function attachSuite(
  verb: 'attach' | 'detach',
  name: string,
  o: OutputOptions & { dataset?: string; deployment?: string },
  cmd: Command,
): Promise<void> {
  if (Boolean(o.dataset) === Boolean(o.deployment)) throw new Error('give exactly one of --dataset or --deployment');
  const client = clientFor(cmd);
  if (verb === 'attach') await client.data.attach(name, o.dataset ? { dataset: o.dataset } : { deployment: o.deployment! });
  else await client.data.detach(name, o.dataset ? 'dataset' : 'deployment', (o.dataset ?? o.deployment)!);
  const what = o.dataset ? `dataset ${o.dataset}` : `deployment ${o.deployment}`;
  if (o.json) printJson({ suite: name, [verb === 'attach' ? 'attached' : 'detached']: what });
  else print(`${verb === 'attach' ? 'attached' : 'detached'} suite ${name} ${verb === 'attach' ? 'to' : 'from'} ${what}\n`);
}

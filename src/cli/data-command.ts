/**
 * `ferry data ...`: push files as dataset versions (with a progress bar), list, show profiles, diff versions,
 * tag, download, delete, lineage, validation suites and `ferry data validate` (exits 1 on failure: a CI gate).
 * Every command takes --json. Definitions only; data-actions.ts does the work.
 */
import type { Command } from 'commander';
import type { PushOptions, ValidationsOptions } from './data-actions.js';
import type { OutputOptions } from './options.js';

const actions = () => import('./data-actions.js');

export function registerDataCommand(program: Command): void {
  const data = program.command('data').description('Versioned datasets: push, profiles, diffs, validation suites, lineage');

  data
    .command('push')
    .argument('<file>', 'CSV, JSON Lines or Parquet file')
    .requiredOption('--name <dataset>', 'dataset name')
    .option('--format <format>', 'csv | jsonl | parquet (default: from the file)')
    .option('--description <text>', 'what this version is')
    .option('--json', 'print the API response as JSON')
    .description('Push a file as a new dataset version (identical bytes give back the existing version)')
    .action(async (file: string, o: PushOptions, cmd: Command) => (await actions()).push(file, o, cmd));

  data
    .command('list')
    .option('--json', 'print as JSON')
    .description('Datasets')
    .action(async (o: OutputOptions, cmd: Command) => (await actions()).listDatasets(o, cmd));

  data
    .command('versions')
    .argument('<dataset>')
    .option('--json', 'print as JSON')
    .description("A dataset's versions, newest first")
    .action(async (name: string, o: OutputOptions, cmd: Command) => (await actions()).listVersions(name, o, cmd));

  data
    .command('show')
    .argument('<ref>', 'NAME[@VERSION|@TAG|@DIGEST]')
    .option('--json', 'print as JSON')
    .description('A version: schema and per-column profile')
    .action(async (text: string, o: OutputOptions, cmd: Command) => (await actions()).showVersion(text, o, cmd));

  data
    .command('diff')
    .argument('<from>', 'NAME@VERSION')
    .argument('<to>', 'NAME@VERSION (or just VERSION of the same dataset)')
    .option('--json', 'print as JSON')
    .description('Schema and distribution diff between two versions (drift tests as monitoring runs them)')
    .action(async (fromText: string, toText: string, o: OutputOptions, cmd: Command) => (await actions()).diffVersions(fromText, toText, o, cmd));

  data
    .command('tag')
    .argument('<ref>', 'NAME@VERSION')
    .argument('<tag>')
    .option('--json', 'print as JSON')
    .description('Point a tag at a version')
    .action(async (text: string, tag: string, o: OutputOptions, cmd: Command) => (await actions()).tagVersion(text, tag, o, cmd));

  data
    .command('untag')
    .argument('<dataset>')
    .argument('<tag>')
    .option('--json', 'print as JSON')
    .description('Remove a tag')
    .action(async (name: string, tag: string, o: OutputOptions, cmd: Command) => (await actions()).untag(name, tag, o, cmd));

  data
    .command('download')
    .argument('<ref>', 'NAME[@VERSION]')
    .option('-o, --output <file>', 'where to write (default: the pushed file name)')
    .option('--json', 'print what was written as JSON')
    .description("Download a version's file")
    .action(async (text: string, o: OutputOptions & { output?: string }, cmd: Command) => (await actions()).download(text, o, cmd));

  data
    .command('delete')
    .argument('<ref>', 'NAME@VERSION, or NAME with --all-versions')
    .option('--all-versions', 'delete the whole dataset')
    .option('--force', 'even if runs or model versions used it')
    .option('--json', 'print as JSON')
    .description('Delete a version (refused while a run or model version used it, unless --force)')
    .action(async (text: string, o: OutputOptions & { allVersions?: boolean; force?: boolean }, cmd: Command) => (await actions()).deleteData(text, o, cmd));

  data
    .command('lineage')
    .argument('[ref]', 'NAME@VERSION of a dataset')
    .option('--model <name/version>', 'a model version instead: which run and dataset versions it came from')
    .option('--json', 'print as JSON')
    .description('Which runs and model versions used a dataset version (or, with --model, what a model version was trained on)')
    .action(async (text: string | undefined, o: OutputOptions & { model?: string }, cmd: Command) => (await actions()).lineage(text, o, cmd));

  registerSuiteCommands(data);

  data
    .command('validate')
    .argument('<target>', 'a data file, or NAME@VERSION of a stored version')
    .requiredOption('--suite <name>', 'the validation suite')
    .option('--format <format>', 'csv | jsonl | parquet (default: from the file)')
    .option('--json', 'print the result as JSON')
    .description('Validate a file (or a stored version) against a suite; exits 1 when the suite fails (a CI gate)')
    .action(async (target: string, o: OutputOptions & { suite: string; format?: string }, cmd: Command) => (await actions()).validate(target, o, cmd));

  data
    .command('validations')
    .option('--dataset <name>')
    .option('--deployment <name>')
    .option('--suite <name>')
    .option('--failed', 'only failures')
    .option('--limit <n>', 'at most this many (default 50)', Number)
    .option('--json', 'print as JSON')
    .description('Recorded validation results, newest first')
    .action(async (o: ValidationsOptions, cmd: Command) => (await actions()).validations(o, cmd));
}

function registerSuiteCommands(data: Command): void {
  const suite = data.command('suite').description('Validation suites (Great Expectations-style expectations)');

  suite
    .command('infer')
    .argument('<ref>', 'NAME@VERSION whose profile the suite is proposed from')
    .option('--name <suite>', 'suite name (default NAME-suite)')
    .option('--save', 'store it on the server')
    .option('-o, --output <file>', 'write the suite JSON to a file')
    .option('--json', 'print as JSON')
    .description("Propose a suite from a version's profile")
    .action(async (text: string, o: OutputOptions & { name?: string; save?: boolean; output?: string }, cmd: Command) =>
      (await actions()).inferSuite(text, o, cmd),
    );

  suite
    .command('create')
    .argument('<name>')
    .argument('<file>', 'suite JSON ({"expectations": [...]})')
    .option('--json', 'print as JSON')
    .description('Create or replace a suite from a JSON file')
    .action(async (name: string, file: string, o: OutputOptions, cmd: Command) => (await actions()).createSuite(name, file, o, cmd));

  suite
    .command('list')
    .option('--json', 'print as JSON')
    .description('Suites')
    .action(async (o: OutputOptions, cmd: Command) => (await actions()).listSuites(o, cmd));

  suite
    .command('show')
    .argument('<name>')
    .option('--json', 'print as JSON')
    .description('A suite, its expectations and attachments')
    .action(async (name: string, o: OutputOptions, cmd: Command) => (await actions()).showSuite(name, o, cmd));

  suite
    .command('delete')
    .argument('<name>')
    .option('--json', 'print as JSON')
    .description('Delete a suite')
    .action(async (name: string, o: OutputOptions, cmd: Command) => (await actions()).deleteSuite(name, o, cmd));

  for (const verb of ['attach', 'detach'] as const) {
    suite
      .command(verb)
      .argument('<name>')
      .option('--dataset <name>', 'runs on every version pushed to this dataset')
      .option('--deployment <name>', "runs on every window of this deployment's traffic")
      .option('--json', 'print as JSON')
      .description(verb === 'attach' ? 'Attach a suite to a dataset or a deployment' : 'Detach a suite')
      .action(async (name: string, o: OutputOptions & { dataset?: string; deployment?: string }, cmd: Command) =>
        (await actions()).attachSuite(verb, name, o, cmd),
      );
  }
}

/**
 * `ferry deployments explain NAME --row '{...}'`, `ferry models explain NAME VERSION --row '{...}'` and
 * `ferry models importance NAME VERSION`: Shapley-value attributions of predictions, and global importance.
 * Definitions only; explain-actions.ts does the work. Added to the `deployments` and `models` commands.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { ExplainOptions, ImportanceOptions } from './explain-actions.js';
import { collect, positiveInt } from './options.js';

const actions = () => import('./explain-actions.js');

const METHODS = ['auto', 'tree', 'kernel', 'exact', 'permutation', 'linear'];

function method(value: string): string {
  if (!METHODS.includes(value)) throw new InvalidArgumentError(`expected one of ${METHODS.join(', ')}`);
  return value;
}

function explainOptions(cmd: Command): Command {
  return cmd
    .option('--row <json>', 'a row to explain, as a JSON object of feature values; repeatable (up to 100)', collect)
    .option('--rows <file>', "JSON Lines, one row per line ('-' for stdin)")
    .option('--background <dataset@version>', "the background's dataset version (default: the monitoring reference or the training data)")
    .option('--background-rows <n>', 'background rows sampled (≤ 1000)', positiveInt)
    .option('--method <method>', `${METHODS.join(' | ')} (default auto)`, method)
    .option('--max-evaluations <n>', 'model rows the explanation may evaluate', positiveInt)
    .option('--timeout-ms <ms>', 'wall-clock milliseconds it may run', positiveInt)
    .option('--seed <n>', 'seeds the sampling explainers', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
      return n;
    })
    .option('--top <n>', 'features shown per row in the table (default all)', positiveInt)
    .option('--json', 'print the API response as JSON');
}

export function registerExplainCommands(program: Command): void {
  const find = (name: string) => {
    const c = program.commands.find((x) => x.name() === name);
    if (!c) throw new Error(`The ${name} command must be registered before its explain subcommands.`);
    return c;
  };
  explainOptions(
    find('deployments')
      .command('explain')
      .description("Explain a deployment's predictions for given rows: per-feature Shapley values that add up to the prediction")
      .argument('<name>', 'deployment name'),
  ).action(async (name: string, opts: ExplainOptions, cmd: Command) => (await actions()).explainDeployment(name, opts, cmd));
  const models = find('models');
  explainOptions(
    models
      .command('explain')
      .description("Explain a model version's predictions for given rows: per-feature Shapley values that add up to the prediction")
      .argument('<name>', 'registered model name')
      .argument('<version>', 'model version'),
  ).action(async (name: string, version: string, opts: ExplainOptions, cmd: Command) => (await actions()).explainVersion(name, version, opts, cmd));
  models
    .command('importance')
    .description("A model version's global feature importance: mean |Shapley value| over a seeded sample of the background")
    .argument('<name>', 'registered model name')
    .argument('<version>', 'model version')
    .option('--background <dataset@version>', "the background's dataset version (default: the training data)")
    .option('--rows <n>', 'rows explained (≤ 200, default 50)', positiveInt)
    .option('--method <method>', `${METHODS.join(' | ')} (default auto)`, method)
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, version: string, opts: ImportanceOptions, cmd: Command) => (await actions()).importance(name, version, opts, cmd));
}

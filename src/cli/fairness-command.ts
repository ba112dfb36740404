/**
 * `ferry models fairness NAME VERSION` (a stored offline report: create, list, show) and `ferry deployments fairness
 * NAME --feature F` (live, per window). Definitions only; fairness-actions.ts does the work. Added to the `models`
 * and `deployments` commands defined elsewhere.
 */
import type { Command } from 'commander';
import type { LiveOptions, ReportOptions } from './fairness-actions.js';
import { collect, nonNegativeInt, positiveInt } from './options.js';

const actions = () => import('./fairness-actions.js');

function sub(program: Command, name: string): Command {
  const c = program.commands.find((x) => x.name() === name);
  if (!c) throw new Error(`The ${name} command must be registered before its fairness subcommand.`);
  return c;
}

export function registerFairnessCommands(program: Command): void {
  sub(program, 'models')
    .command('fairness')
    .description(
      'Fairness of a model version on a dataset version: scores it, stores and prints the report (groups as rows, counts always shown); --list or --report ID read stored ones',
    )
    .argument('<name>', 'registered model name')
    .argument('<version>', 'model version')
    .option('--dataset <name>', 'the dataset to score')
    .option('--dataset-version <version>', "its version (default 'latest')")
    .option('--label <column>', 'the column holding the true label')
    .option('--sensitive <column>', 'a sensitive feature (repeat, or comma-separate, for intersections)', collect)
    .option('--metric <name>', 'a group metric (repeatable): selection_rate, accuracy, tpr, fpr, tnr, fnr, precision, recall, count', collect)
    .option('--prediction <output>', 'the model output read as the predicted label (default: the first scalar output)')
    .option('--pos-label <value>', 'the positive label (a number, true/false, or text)')
    .option('--min-group-size <n>', 'groups with fewer rows are flagged insufficient (default 30)', nonNegativeInt)
    .option('--missing-sensitive <how>', 'a missing sensitive value: group (default), drop or refuse')
    .option('--sample-weight <column>', "a column of the dataset holding each row's weight")
    .option('--bootstrap <samples>', 'seeded bootstrap intervals with this many replicates', positiveInt)
    .option('--seed <n>', 'bootstrap seed (default 42)', nonNegativeInt)
    .option('--level <p>', 'bootstrap confidence level (default 0.95)', Number)
    .option('--list', "list the version's stored reports instead")
    .option('--report <id>', 'show a stored report instead', positiveInt)
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, version: string, opts: ReportOptions, cmd: Command) => (await actions()).modelFairness(name, version, opts, cmd));
  sub(program, 'deployments')
    .command('fairness')
    .description('Live fairness of a deployment per window: selection rates per group, TPR/FPR where labels joined (with coverage), parity')
    .argument('<name>', 'deployment name')
    .requiredOption('--feature <input>', 'the sensitive feature (a model input the log keeps)')
    .option('--from <time>', 'start: ISO 8601, epoch ms, or a duration ago such as 24h (default 24h before --to)')
    .option('--to <time>', 'end, exclusive (default now)')
    .option('--window <duration>', 'window length (default 1h)')
    .option('--pos-label <value>', 'the positive label (default 1)')
    .option('--min-group-size <n>', 'groups with fewer predictions are flagged insufficient (default 30)', nonNegativeInt)
    .option('--model-version <version>', "only this model version's predictions (default: every version served)")
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: LiveOptions, cmd: Command) => (await actions()).liveFairness(name, opts, cmd));
}

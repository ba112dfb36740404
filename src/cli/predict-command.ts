/**
 * `ferry predict <deployment> --data '{"instances": [...]}' [--json]` (one request) or
 * `ferry predict <deployment> --file rows.jsonl [--batch-size 100]` (JSON Lines through the deployment in batches).
 * The definition only; predict-actions.ts does the work.
 */
import type { Command } from 'commander';
import { positiveInt } from './options.js';
import type { PredictOptions } from './predict-actions.js';

const actions = () => import('./predict-actions.js');

export function registerPredictCommand(program: Command): void {
  program
    .command('predict')
    .description('Predictions from a deployment: one request (--data) or a JSON Lines file of records (--file)')
    .argument('<deployment>', 'deployment name')
    .option(
      '--data <request>',
      'the request body, e.g. \'{"instances": [{"age": 41}]}\' (also dataframe_split, dataframe_records, inputs); prints a table of predictions',
    )
    .option('--file <rows.jsonl>', "JSON Lines, one record per line ('-' for stdin); prints one JSON line per row")
    .option('--batch-size <n>', 'rows per request with --file', positiveInt, 100)
    .option('--json', "print the server's answer as JSON (with --file the output is JSON Lines either way)")
    // An extra argument is refused by the action with a hint: it is what the old `--json '<body>'` leaves behind.
    .allowExcessArguments()
    .action(async (deployment: string, opts: PredictOptions, cmd: Command) => (await actions()).predict(deployment, opts, cmd));
}

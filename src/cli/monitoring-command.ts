/**
 * Monitoring from the command line: `ferry drift NAME`, `ferry quality NAME`, `ferry performance NAME`,
 * `ferry reference set`, `ferry feedback FILE`, `ferry predictions list|export NAME`, `ferry monitoring estimated NAME`. Every command takes --json.
 * Definitions only; monitoring-actions.ts does the work.
 */
import type { Command } from 'commander';
import type { EstimatedOptions } from './estimated-actions.js';
import type { ExportOptions, PredictionsOptions, ReferenceOptions, WindowOptions } from './monitoring-actions.js';
import { type OutputOptions, positiveInt } from './options.js';

const actions = () => import('./monitoring-actions.js');

const windowOptions = (cmd: Command, json = 'print the API response as JSON') =>
  cmd
    .option('--since <duration>', 'from this long ago to now, e.g. 24h, 1h30m, 1.5h, 7d (default 24h)')
    .option('--from <time>', 'start: ISO time, epoch ms or a duration ago')
    .option('--to <time>', 'end (default now)')
    .option('--json', json);

/** Only where the API filters by it (drift, the prediction log); quality and performance report every version. */
const byModelVersion = (cmd: Command) => cmd.option('--model-version <v>', 'only traffic answered by this model version');

export function registerMonitoringCommands(program: Command): void {
  byModelVersion(
    windowOptions(
      program
        .command('drift')
        .argument('<deployment>')
        .description('Drift of live traffic against the deployment’s reference, per feature and for the prediction'),
    ),
  )
    .option('--drift-share <share>', 'share of drifted features that makes the dataset drifted (default 0.5)', Number)
    .action(async (name: string, o: WindowOptions & { driftShare?: number }, cmd: Command) => (await actions()).showDrift(name, o, cmd));

  windowOptions(
    program
      .command('quality')
      .argument('<deployment>')
      .description('Data quality of live traffic: missing values, type errors, out-of-range numbers, unseen categories'),
  ).action(async (name: string, o: WindowOptions, cmd: Command) => (await actions()).showQuality(name, o, cmd));

  windowOptions(
    program
      .command('performance')
      .argument('<deployment>')
      .description('Live performance from feedback, per model version (accuracy, F1, ROC AUC ... or MAE, RMSE, R² ...)'),
  ).action(async (name: string, o: WindowOptions, cmd: Command) => (await actions()).showPerformance(name, o, cmd));

  // Estimated performance without labels (CBPE): its own group, beside the live performance that needs feedback.
  program
    .command('monitoring')
    .description('Monitoring without labels')
    .command('estimated')
    .argument('<deployment>')
    .description('Estimated performance before labels come (CBPE, binary): per window, estimates with ±3·SE bands beside realized metrics')
    .option('--since <duration>', 'from this long ago to now, e.g. 24h, 7d (default 24h)')
    .option('--from <time>', 'start: ISO time, epoch ms or a duration ago')
    .option('--to <time>', 'end (default now)')
    .option('--window <duration>', 'window length (default 1h)')
    .option('--dataset <NAME@VERSION>', 'the labelled reference (default: the serving version’s training data, from lineage)')
    .option('--label <column>', 'its label column (default: its one column that is not a model input)')
    .option('--calibration <mode>', 'auto (default), isotonic or none')
    .option('--prediction <output>', 'the output read as the predicted label')
    .option('--probability <output>', 'the output read as class probabilities')
    .option('--metrics <list>', `comma-separated, of roc_auc, f1, precision, recall, specificity, accuracy, average_precision (default roc_auc,f1,accuracy)`)
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, o: EstimatedOptions, cmd: Command) => (await import('./estimated-actions.js')).showEstimated(name, o, cmd));

  const reference = program.command('reference').description('The reference (training data) drift is measured against');
  reference
    .command('set')
    .description('Set the reference of a deployment from a file, a window of its traffic or a dataset version')
    .argument('<deployment>')
    .argument('[file]', 'a CSV or JSON Lines table (.csv / .jsonl); - for stdin as CSV')
    .option('--from <time>', 'instead of a file: a past window of the deployment’s own traffic, from this time')
    .option('--to <time>', 'end of that window (default now)')
    .option('--dataset <name@version>', 'instead of a file: a stored dataset version')
    .option('--training-data', 'instead of a file: the dataset version the serving model version was trained on (lineage)')
    .option('--prediction-column <column>', 'a column of the table that holds predictions (else the live model scores the table)')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, file: string | undefined, o: ReferenceOptions, cmd: Command) => (await actions()).setReference(name, file, o, cmd));

  program
    .command('feedback')
    .argument('<file>', 'JSON Lines (one {request_id, row?, label|value|outcome, timestamp?} per line) or a JSON list; - for stdin')
    .description('Send ground truth for earlier predictions (in batches of 10,000, with a progress bar)')
    .option('--json', 'print {accepted, unknown} as JSON')
    .action(async (file: string, o: OutputOptions, cmd: Command) => (await actions()).sendFeedback(file, o, cmd));

  const predictions = program.command('predictions').description('The prediction log of a deployment');
  byModelVersion(
    windowOptions(predictions.command('list').argument('<deployment>').description('Logged predictions, one line per row, a page of requests at a time')),
  )
    .option('--status <status>', 'ok, client_error or error')
    .option('--limit <n>', 'logged requests per page, each shown as its rows (default 20, at most 1000)', positiveInt)
    .option('--page-token <token>', 'continue an earlier listing')
    .action(async (name: string, o: PredictionsOptions, cmd: Command) => (await actions()).listPredictions(name, o, cmd));
  byModelVersion(windowOptions(predictions.command('export').argument('<deployment>'), 'export JSON Lines (the default; not with --format csv)'))
    .option('--format <format>', 'csv or jsonl (default jsonl)', 'jsonl')
    .option('--status <status>', 'ok, client_error or error')
    .description('Every matching logged prediction to stdout (CSV or JSON Lines), e.g. for retraining')
    .action(async (name: string, o: ExportOptions, cmd: Command) => (await actions()).exportPredictions(name, o, cmd));
}

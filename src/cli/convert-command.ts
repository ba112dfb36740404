/**
 * `ferry models convert NAME VERSION`: converts a version logged with its sklearn, xgboost or lightgbm flavor to
 * ONNX on the server (a job, checked against the original). Definitions only; convert-actions.ts does the work.
 * Added to the `models` command that models-command.ts defines.
 */
import type { Command } from 'commander';
import type { ConvertOptions } from './convert-actions.js';

const actions = () => import('./convert-actions.js');

export function registerConvertCommand(program: Command): void {
  const models = program.commands.find((c) => c.name() === 'models');
  if (!models) throw new Error('The models command must be registered before its convert subcommand.');
  models
    .command('convert')
    .description(
      "Convert a model version's sklearn, xgboost or lightgbm flavor to ONNX on the server (a job), checked against the original; " +
        'waits for the end and exits 1 when the conversion fails or is refused',
    )
    .argument('<name>', 'registered model name')
    .argument('<version>', 'model version')
    .option('--force', 'convert again even when a conversion succeeded')
    .option('--no-wait', 'answer once the conversion is started')
    .option('--json', 'print the conversion as JSON (the job’s log goes to stderr while waiting)')
    .action(async (name: string, version: string, opts: ConvertOptions, cmd: Command) => (await actions()).convert(name, version, opts, cmd));
}

/** `ferry models list|show|register`: definitions; models-actions.ts does the work. */
import type { Command } from 'commander';
import type { ListOptions, RegisterOptions } from './models-actions.js';
import { listOptions, type OutputOptions } from './options.js';

const actions = () => import('./models-actions.js');

export function registerModelsCommand(program: Command): void {
  const models = program.command('models').description('Registered models');
  listOptions(models.command('list').description('List registered models'), '"name LIKE \'churn%\'"', 'name ASC')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: ListOptions, cmd: Command) => (await actions()).listModels(opts, cmd));
  models
    .command('show')
    .description('A registered model with its versions and aliases')
    .argument('<name>', 'registered model name')
    .option('--json', 'print {registered_model, model_versions} as JSON')
    .action(async (name: string, opts: OutputOptions, cmd: Command) => (await actions()).showModel(name, opts, cmd));
  models
    .command('register')
    .description('Register an .onnx file as a new model version (checked by loading it before it is stored)')
    .argument('<file>', 'the .onnx file')
    .requiredOption('--name <name>', 'registered model name (created if new)')
    .option('--features <list>', 'comma-separated feature names, for a model whose input is one [N, F] tensor')
    .option('--description <text>', 'version description')
    .option('--json', 'print {model_version, signature} as JSON')
    .action(async (file: string, opts: RegisterOptions, cmd: Command) => (await actions()).registerModel(file, opts, cmd));
}

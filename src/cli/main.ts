import { Command } from 'commander';
import { describeError } from './context.js';
import { registerExperimentsCommand } from './experiments-command.js';
import { registerModelsCommand } from './models-command.js';
import { registerRunsCommand } from './runs-command.js';
import { registerServerCommand } from './server-command.js';
import { registerTokenCommand } from './token-command.js';

const program = new Command();
program
  .name('ferry')
  .description('Ferry: experiment tracking, model registry, serving and monitoring')
  .version('0.1.0')
  .option('--url <url>', 'server URL for client commands (FERRY_URL, default http://127.0.0.1:5050)')
  .option('--token <token>', 'API token for client commands (FERRY_TOKEN)')
  // Commander's own errors (unknown option, missing argument) read like ours: `ferry: <message>`.
  .configureOutput({ outputError: (str, write) => write(`ferry: ${str.replace(/^error: /, '')}`) });
registerServerCommand(program);
registerExperimentsCommand(program);
registerRunsCommand(program);
registerModelsCommand(program);
registerTokenCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`ferry: ${describeError(err)}\n`);
  process.exit(1);
});

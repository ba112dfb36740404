import { Command, Help, Option } from 'commander';
import { registerAlertsCommand } from './alerts-command.js';
import { registerDataCommand } from './data-command.js';
import { describeError } from './context.js';
import { registerDeployCommand, registerDeploymentsCommand } from './deployments-command.js';
import { registerExperimentsCommand } from './experiments-command.js';
import { registerModelsCommand } from './models-command.js';
import { registerMonitoringCommands } from './monitoring-command.js';
import { registerPredictCommand } from './predict-command.js';
import { registerQuickstartCommand } from './quickstart-command.js';
import { registerRunsCommand } from './runs-command.js';
import { registerServerCommand } from './server-command.js';
import { registerTokenCommand } from './token-command.js';

const VERSION = '0.1.0';

// `ferry -V/--version` is answered here, not by commander's .version(): commander reads the program's options
// after the subcommand too, so `ferry deploy x --model m --version 2` would print the version instead.
if (process.argv[2] === '-V' || process.argv[2] === '--version') {
  process.stdout.write(`${VERSION}\n`);
  process.exit(0);
}
const versionHelp = new Option('-V, --version', 'output the version number');

const program = new Command();
program
  .name('ferry')
  .description('Ferry: experiment tracking, model registry, serving and monitoring')
  .configureHelp({
    visibleOptions(cmd) {
      const shown = Help.prototype.visibleOptions.call(this, cmd);
      return cmd === program ? [versionHelp, ...shown] : shown;
    },
  })
  .option('--url <url>', 'server URL for client commands (FERRY_URL, default http://127.0.0.1:5050)')
  .option('--token <token>', 'API token for client commands (FERRY_TOKEN)')
  // Commander's own errors (unknown option, missing argument) read like ours: `ferry: <message>`.
  .configureOutput({ outputError: (str, write) => write(`ferry: ${str.replace(/^error: /, '')}`) });
registerServerCommand(program);
registerQuickstartCommand(program);
registerExperimentsCommand(program);
registerRunsCommand(program);
registerModelsCommand(program);
registerDeployCommand(program);
registerDeploymentsCommand(program);
registerPredictCommand(program);
registerMonitoringCommands(program);
registerTokenCommand(program);
registerAlertsCommand(program);
registerDataCommand(program);

// A reader that stops early (`ferry predict ... | head`) closes the pipe: that ends us quietly, not with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`ferry: ${describeError(err)}\n`);
  process.exit(1);
});

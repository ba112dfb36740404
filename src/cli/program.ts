/**
 * The `ferry` command tree: every command's name, arguments, options and help. Building it loads only the
 * definitions (commander and option parsers); a command's implementation is imported when it runs.
 */
import { Command, Help, Option } from 'commander';
import { registerAbtestCommand } from './abtest-command.js';
import { registerAlertsCommand } from './alerts-command.js';
import { registerApprovalsCommands } from './approvals-command.js';
import { registerCardsCommands } from './cards-command.js';
import { registerConvertCommand } from './convert-command.js';
import { registerFairnessCommands } from './fairness-command.js';
import { registerClusterCommand } from './cluster-command.js';
import { registerDataCommand } from './data-command.js';
import { registerDeployCommand, registerDeploymentsCommand } from './deployments-command.js';
import { registerExecutorsCommand } from './executors-command.js';
import { registerExplainCommands } from './explain-command.js';
import { registerExperimentsCommand } from './experiments-command.js';
import { registerJobsCommand } from './jobs-command.js';
import { registerLoopsCommand } from './loops-command.js';
import { registerModelsCommand } from './models-command.js';
import { registerMonitoringCommands } from './monitoring-command.js';
import { registerPredictCommand } from './predict-command.js';
import { registerQuickstartCommand } from './quickstart-command.js';
import { registerRunsCommand } from './runs-command.js';
import { registerServerCommand } from './server-command.js';
import { registerTokenCommand } from './token-command.js';

export const VERSION = '0.1.0';

export function buildProgram(): Command {
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
  registerCardsCommands(program);
  registerConvertCommand(program);
  registerApprovalsCommands(program);
  registerDeployCommand(program);
  registerDeploymentsCommand(program);
  registerFairnessCommands(program);
  registerExplainCommands(program);
  registerPredictCommand(program);
  registerMonitoringCommands(program);
  registerTokenCommand(program);
  registerAlertsCommand(program);
  registerDataCommand(program);
  registerJobsCommand(program);
  registerExecutorsCommand(program);
  registerAbtestCommand(program);
  registerLoopsCommand(program);
  registerClusterCommand(program);
  return program;
}

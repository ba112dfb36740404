/**
 * `ferry models policy set|show|delete`, `ferry models approve NAME VERSION --alias A`, `ferry models gate NAME
 * VERSION --alias A`: approval gates per alias. Definitions only; approvals-actions.ts does the work. Added to the
 * `models` command defined elsewhere.
 */
import type { Command } from 'commander';
import type { ApproveOptions, GateOptions, PolicySetOptions } from './approvals-actions.js';
import { collect, nonNegativeInt, type OutputOptions } from './options.js';

const actions = () => import('./approvals-actions.js');

export function registerApprovalsCommands(program: Command): void {
  const models = program.commands.find((x) => x.name() === 'models');
  if (!models) throw new Error('The models command must be registered before its approval subcommands.');
  const policy = models.command('policy').description("An alias's approval policy: the checks and approvers a version needs before the alias may point at it");
  policy
    .command('set')
    .description('Set (or replace) the policy of an alias (admin); from a JSON file, or from the flags')
    .argument('<name>', 'registered model name')
    .argument('<alias>', 'the alias it guards, e.g. production')
    .option('--file <policy.json>', 'the policy as JSON: {checks, required_approvals, roles, description}')
    .option('--metric <check>', "a metric check on the source run, e.g. 'accuracy>=0.9' or 'log_loss<=0.3' (repeatable)", collect)
    .option('--card <sections>', "model card sections that must be present and not stale, comma-separated (e.g. 'uses,evaluation')")
    .option('--validation', "the training data's latest validations must have passed")
    .option('--fairness <check>', "a fairness check on the latest stored report, e.g. 'demographic_parity_ratio:sex>=0.8' (repeatable)", collect)
    .option('--approvals <n>', 'independent approvals needed (default 1)', nonNegativeInt)
    .option('--roles <list>', "roles whose approvals count, comma-separated (default 'admin')")
    .option('--description <text>', 'what the policy is for')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, alias: string, opts: PolicySetOptions, cmd: Command) => (await actions()).setPolicy(name, alias, opts, cmd));
  policy
    .command('show')
    .description("The model's policies, or one alias's")
    .argument('<name>', 'registered model name')
    .argument('[alias]', 'only this alias')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, alias: string | undefined, opts: OutputOptions, cmd: Command) => (await actions()).showPolicy(name, alias, opts, cmd));
  policy
    .command('delete')
    .description('Remove the policy: the alias is no longer guarded (admin)')
    .argument('<name>', 'registered model name')
    .argument('<alias>', 'the alias')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, alias: string, opts: OutputOptions, cmd: Command) => (await actions()).deletePolicy(name, alias, opts, cmd));
  models
    .command('approve')
    .description("Approve (or --reject) a version for an alias; records your role, the comment and the version's card hash")
    .argument('<name>', 'registered model name')
    .argument('<version>', 'model version')
    .requiredOption('--alias <alias>', 'the alias the decision is for, e.g. production')
    .option('--reject', 'record a rejection instead')
    .option('--comment <text>', 'why')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, version: string, opts: ApproveOptions, cmd: Command) => (await actions()).approve(name, version, opts, cmd));
  models
    .command('gate')
    .description('Whether the alias may point at the version now: each check with its reason, approvals counted, unmet conditions (exit code 1 while unmet)')
    .argument('<name>', 'registered model name')
    .argument('<version>', 'model version')
    .requiredOption('--alias <alias>', 'the alias, e.g. production')
    .option('--events', "also list the gate's record for the alias (newest first)")
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, version: string, opts: GateOptions, cmd: Command) => (await actions()).gate(name, version, opts, cmd));
}

/** `ferry token create|list|revoke` (admin; `ferry tokens` too): definitions; token-actions.ts does the work. */
import { type Command, Option } from 'commander';
import type { OutputOptions } from './options.js';
import type { CreateOptions } from './token-actions.js';

const actions = () => import('./token-actions.js');

export function registerTokenCommand(program: Command): void {
  const token = program.command('token').alias('tokens').description('API tokens (needs an admin token)');
  token
    .command('create')
    .description('Create a token; its secret is printed once, on stdout')
    .argument('[name]', "the token's name (letters, digits, _ - . @); or --name")
    .option('--name <name>', "the token's name, as the argument gives it")
    .addOption(new Option('--role <role>', 'what it may do (a --deployment token is viewer)').choices(['viewer', 'editor', 'admin']).default('viewer'))
    .option('--expires-in <duration>', 'refuse it after this long, e.g. 12h, 30d (at most 3650d); default: until revoked')
    .option('--deployment <name>', "a prediction-only token: it may call this deployment's prediction routes and nothing else")
    .option('--json', 'print the API response (with the secret) as JSON')
    .action(async (name: string | undefined, opts: CreateOptions, cmd: Command) => (await actions()).createToken(name, opts, cmd));
  token
    .command('list')
    .description('List tokens with their status, expiry and scope (never their secrets)')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions, cmd: Command) => (await actions()).listTokens(opts, cmd));
  token
    .command('revoke')
    .description('Revoke a token')
    .argument('<token_id>', 'the id shown by `ferry token list`')
    .option('--json', 'print the API response as JSON')
    .action(async (tokenId: string, opts: OutputOptions, cmd: Command) => (await actions()).revokeToken(tokenId, opts, cmd));
}

/** `ferry token create|list|revoke` (admin): definitions; token-actions.ts does the work. */
import { type Command, Option } from 'commander';
import type { OutputOptions } from './options.js';
import type { CreateOptions } from './token-actions.js';

const actions = () => import('./token-actions.js');

export function registerTokenCommand(program: Command): void {
  const token = program.command('token').description('API tokens (needs an admin token)');
  token
    .command('create')
    .description('Create a token; its secret is printed once, on stdout')
    .requiredOption('--name <name>', "the token's name (letters, digits, _ - . @)")
    .addOption(new Option('--role <role>', 'what it may do').choices(['viewer', 'editor', 'admin']).default('viewer'))
    .option('--json', 'print the API response (with the secret) as JSON')
    .action(async (opts: CreateOptions, cmd: Command) => (await actions()).createToken(opts, cmd));
  token
    .command('list')
    .description('List tokens (never their secrets)')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions, cmd: Command) => (await actions()).listTokens(opts, cmd));
  token
    .command('revoke')
    .description('Revoke a token')
    .argument('<token_id>', 'the id shown by `ferry token list`')
    .option('--json', 'print the API response as JSON')
    .action(async (tokenId: string, opts: OutputOptions, cmd: Command) => (await actions()).revokeToken(tokenId, opts, cmd));
}

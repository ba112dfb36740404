/** `ferry token create|list|revoke` (admin) */
import { type Command, Option } from 'commander';
import type { ApiToken, Role } from '../sdk/index.js';
import { clientFor, formatTime, note, type OutputOptions, print, printJson } from './context.js';
import { formatTable } from './table.js';

const ROLES: Role[] = ['viewer', 'editor', 'admin'];

export function tokensTable(tokens: readonly ApiToken[]): string {
  return formatTable(
    [
      { header: 'ID', value: (t) => t.token_id },
      { header: 'NAME', value: (t) => t.name },
      { header: 'ROLE', value: (t) => t.role },
      { header: 'STATUS', value: (t) => (t.revoked_at ? `revoked ${formatTime(t.revoked_at)}` : 'active') },
      { header: 'CREATED', value: (t) => formatTime(t.created_at) },
      { header: 'CREATED BY', value: (t) => t.created_by },
    ],
    tokens,
  );
}

export function registerTokenCommand(program: Command): void {
  const token = program.command('token').description('API tokens (needs an admin token)');
  token
    .command('create')
    .description('Create a token; its secret is printed once, on stdout')
    .requiredOption('--name <name>', "the token's name (letters, digits, _ - . @)")
    .addOption(new Option('--role <role>', 'what it may do').choices(ROLES).default('viewer'))
    .option('--json', 'print the API response (with the secret) as JSON')
    .action(async (opts: OutputOptions & { name: string; role: Role }, cmd: Command) => {
      const created = await clientFor(cmd).tokens.create({ name: opts.name, role: opts.role });
      if (opts.json) return printJson(created);
      note(`Created ${created.role} token '${created.name}' (id ${created.token_id}). Save it now: it is not shown again.`);
      print(`${created.token}\n`);
    });
  token
    .command('list')
    .description('List tokens (never their secrets)')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: OutputOptions, cmd: Command) => {
      const tokens = await clientFor(cmd).tokens.list();
      if (opts.json) return printJson({ tokens });
      print(tokensTable(tokens));
    });
  token
    .command('revoke')
    .description('Revoke a token')
    .argument('<token_id>', 'the id shown by `ferry token list`')
    .option('--json', 'print the API response as JSON')
    .action(async (tokenId: string, opts: OutputOptions, cmd: Command) => {
      await clientFor(cmd).tokens.revoke(tokenId);
      if (opts.json) return printJson({});
      print(`Revoked token ${tokenId}.\n`);
    });
}

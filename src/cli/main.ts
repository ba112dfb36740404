import { Command } from 'commander';
import { registerServerCommand } from './server-command.js';

const program = new Command();
program.name('ferry').description('Ferry: experiment tracking, model registry, serving and monitoring').version('0.1.0');
registerServerCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`ferry: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

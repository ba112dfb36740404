/**
 * `ferry`: parses the command line against the command tree (program.ts) and runs the command. Only the
 * definitions load up front; a client command loads its implementation and the SDK, never the server.
 */
import { buildProgram, VERSION } from './program.js';

// `ferry -V/--version` is answered here, not by commander's .version(): commander reads the program's options
// after the subcommand too, so `ferry deploy x --model m --version 2` would print the version instead.
if (process.argv[2] === '-V' || process.argv[2] === '--version') {
  process.stdout.write(`${VERSION}\n`);
  process.exit(0);
}

// A reader that stops early (`ferry predict ... | head`) closes the pipe: that ends us quietly, not with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

buildProgram()
  .parseAsync(process.argv)
  .catch(async (err: unknown) => {
    const { describeError } = await import('./context.js');
    process.stderr.write(`ferry: ${describeError(err)}\n`);
    process.exit(1);
  });

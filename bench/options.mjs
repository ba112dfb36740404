// Command-line options shared by the benchmarks: every option also has a BENCH_* variable; --help lists both.
import { parseArgs } from 'node:util';

/**
 * OPTS: name → [BENCH_* variable, default, help] (strings); FLAGS: name → [BENCH_* variable, help] (booleans,
 * on when the variable is 1/true/yes). Prints usage and exits on --help.
 */
export function parseBenchOptions(usage, OPTS, FLAGS) {
  const options = { help: { type: 'boolean' } };
  for (const [k, [env, dflt]] of Object.entries(OPTS)) options[k] = { type: 'string', default: process.env[env] ?? dflt };
  for (const [k, [env]] of Object.entries(FLAGS)) options[k] = { type: 'boolean', default: ['1', 'true', 'yes'].includes(process.env[env] ?? '') };
  const { values } = parseArgs({ options });
  if (values.help) {
    const width = Math.max(...[...Object.keys(OPTS), ...Object.keys(FLAGS)].map((k) => k.length)) + 2;
    console.log(`Usage: ${usage} [options]\n`);
    for (const [k, [env, dflt, help]] of Object.entries(OPTS)) console.log(`  --${k.padEnd(width)} ${help} (${env}, default ${dflt || 'unset'})`);
    for (const [k, [env, help]] of Object.entries(FLAGS)) console.log(`  --${k.padEnd(width)} ${help} (${env}=1)`);
    process.exit(0);
  }
  return values;
}

// Command-line options shared by the benchmarks: every option also has a BENCH_* variable; --help lists both.
import { parseArgs } from 'node:util';

const on = (v) => ['1', 'true', 'yes'].includes(v ?? '');

/** Whether this run is a smoke run (--smoke or BENCH_SMOKE=1): tiny sizes, peers optional, seconds. */
export const isSmoke = () => process.argv.includes('--smoke') || on(process.env.BENCH_SMOKE);

/**
 * OPTS: name → [BENCH_* variable, default, help] (strings); FLAGS: name → [BENCH_* variable, help] (booleans,
 * on when the variable is 1/true/yes). SMOKE: name → the default under --smoke (an option given on the command
 * line or in its variable still wins). Adds --smoke itself. Prints usage and exits on --help.
 */
export function parseBenchOptions(usage, OPTS, FLAGS, SMOKE = {}) {
  const options = { help: { type: 'boolean' }, smoke: { type: 'boolean', default: isSmoke() } };
  for (const k of Object.keys(OPTS)) options[k] = { type: 'string' };
  for (const [k, [env]] of Object.entries(FLAGS)) options[k] = { type: 'boolean', default: on(process.env[env]) };
  const { values } = parseArgs({ options, allowNegative: true });
  if (values.help) {
    const width = Math.max(...[...Object.keys(OPTS), ...Object.keys(FLAGS), 'smoke'].map((k) => k.length)) + 2;
    console.log(`Usage: ${usage} [options]\n`);
    for (const [k, [env, dflt, help]] of Object.entries(OPTS))
      console.log(`  --${k.padEnd(width)} ${help} (${env}, default ${dflt || 'unset'}${k in SMOKE ? `; --smoke: ${SMOKE[k] || 'unset'}` : ''})`);
    for (const [k, [env, help]] of Object.entries(FLAGS))
      console.log(`  --${k.padEnd(width)} ${help} (${env}=1${k in SMOKE ? `; --smoke: ${SMOKE[k] ? 'on' : 'off'}, --no-${k} turns it off` : ''})`);
    console.log(`  --${'smoke'.padEnd(width)} a smoke run: tiny sizes, peers only where installed, checks that fail the run (BENCH_SMOKE=1)`);
    process.exit(0);
  }
  // Command line, then the variable, then the smoke default, then the default.
  for (const [k, [env, dflt]] of Object.entries(OPTS)) values[k] ??= process.env[env] ?? (values.smoke && k in SMOKE ? SMOKE[k] : dflt);
  for (const [k, [env]] of Object.entries(FLAGS))
    if (values.smoke && k in SMOKE && !process.argv.some((x) => x === `--${k}` || x === `--no-${k}`) && process.env[env] === undefined) values[k] = SMOKE[k];
  return values;
}

/**
 * What a smoke run checks: `check(ok, what)` records one sanity check; `finish(summary)` prints them and the
 * result line, and exits 1 if any failed (the benchmark itself is broken), so CI sees it.
 */
export function smokeChecks(name) {
  const failed = [];
  let passed = 0;
  return {
    check(ok, what) {
      if (ok) passed++;
      else failed.push(what);
      return ok;
    },
    finish(summary) {
      console.log('');
      for (const f of failed) console.log(`smoke check FAILED: ${f}`);
      if (failed.length > 0) {
        console.log(`smoke ${name}: FAILED (${failed.length} of ${failed.length + passed} checks)`);
        process.exitCode = 1;
      } else console.log(`smoke ${name}: OK (${passed} checks; ${summary})`);
    },
  };
}

// Lets pytest call Ferry's pure statistics (dist/stats/<module>/index.js) with data it also feeds to
// scipy / scikit-learn. One JSON request per stdin line: {"module", "fn", "args"}; one JSON answer per
// stdout line: {"ok": true, "result"} or {"ok": false, "error"}. Non-finite numbers cross as the
// strings "NaN", "Infinity", "-Infinity" (JSON has no literal for them).
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'stats');
const SPECIAL = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
const revive = (_k, v) => (typeof v === 'string' && v in SPECIAL ? SPECIAL[v] : v);
const replace = (_k, v) => {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (typeof v === 'bigint') return Number(v);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v);
  return v;
};

const modules = new Map();
async function load(name) {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`bad module name ${JSON.stringify(name)}`);
  if (!modules.has(name)) modules.set(name, await import(pathToFileURL(join(DIST, name, 'index.js')).href));
  return modules.get(name);
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line.trim()) continue;
  let answer;
  try {
    const { module, fn, args = [] } = JSON.parse(line, revive);
    const mod = await load(module);
    if (typeof mod[fn] !== 'function') throw new Error(`${module} has no function ${fn}`);
    answer = { ok: true, result: await mod[fn](...args) };
  } catch (err) {
    answer = { ok: false, error: String(err?.stack ?? err) };
  }
  process.stdout.write(JSON.stringify(answer, replace) + '\n');
}

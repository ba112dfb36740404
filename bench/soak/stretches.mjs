// Long stretches of a Node process's main thread, from a CPU profile (`node --cpu-prof`, e.g. the soak's
// `--cpu-prof DIR`): runs of busy samples with no idle sample between them. A request that arrives during such a
// stretch waits for it to end, so the stretches a p99 is made of show here with what filled them.
//
//   node bench/soak/stretches.mjs PROFILE.cpuprofile [--min-ms 20] [--top 12] [--from S] [--to S] [--json]
//
// --from/--to keep the stretches that start within those seconds of the profile (e.g. the first and the last
// window of a soak, to see what grew).
// For each stretch it names its entry (the first frame from the root in Ferry's own code — the route handler, the
// timer or the worker message that started it) and the functions with the most self time. The summary groups the
// stretches by entry: how many, their total and longest.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
if (!file) {
  console.error('usage: node bench/soak/stretches.mjs PROFILE.cpuprofile [--min-ms 20] [--top 12] [--from S] [--to S] [--json]');
  process.exit(2);
}
const minUs = opt('min-ms', 20) * 1000;
const top = opt('top', 12);
const asJson = args.includes('--json');
const fromS = opt('from', 0);
const toS = opt('to', Infinity);

const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const OWN = /\/(dist|src)\//;
const short = (cf) =>
  `${cf.functionName || '(anonymous)'} ${cf.url.replace(/^.*\/(node_modules\/(?:@[^/]+\/)?[^/]+|dist|src)\//, '$1/').replace(/^node:/, '')}:${cf.lineNumber + 1}`;

/** The first frame of Ferry's own code from the root, for a sample's leaf node (memoised per node). */
const entries = new Map();
function entryOf(id) {
  if (entries.has(id)) return entries.get(id);
  const chain = [];
  for (let at = id; at !== undefined; at = parent.get(at)) chain.push(nodes.get(at).callFrame);
  chain.reverse();
  const own = chain.find((cf) => OWN.test(cf.url) && !cf.url.includes('node_modules'));
  const name = own ? short(own) : short(chain[Math.min(chain.length - 1, 1)] ?? chain[0]);
  entries.set(id, name);
  return name;
}

const isIdle = (id) => nodes.get(id).callFrame.functionName === '(idle)';
const stretches = [];
let cur = null;
let t = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  // timeDeltas[i] is when sample i was taken after sample i − 1: a sample lasts until the next one (as DevTools reads it).
  t += profile.timeDeltas[i] ?? 0;
  const dt = profile.timeDeltas[i + 1] ?? 0;
  if (isIdle(id)) {
    if (cur && cur.us >= minUs) stretches.push(cur);
    cur = null;
    continue;
  }
  cur ??= { at: t, us: 0, entry: new Map(), self: new Map() };
  cur.us += dt;
  const e = entryOf(id);
  cur.entry.set(e, (cur.entry.get(e) ?? 0) + dt);
  const s = short(nodes.get(id).callFrame);
  cur.self.set(s, (cur.self.get(s) ?? 0) + dt);
}
if (cur && cur.us >= minUs) stretches.push(cur);

const inRange = (s) => s.at - profile.startTime >= fromS * 1e6 && s.at - profile.startTime < toS * 1e6;
stretches.splice(0, stretches.length, ...stretches.filter(inRange));

const ranked = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
const ms = (us) => Math.round(us / 100) / 10;
const out = stretches.map((s) => ({
  at_s: Math.round((s.at - profile.startTime) / 1e5) / 10,
  ms: ms(s.us),
  entry: ranked(s.entry, 1)[0][0],
  entries: ranked(s.entry, 4).map(([k, v]) => ({ frame: k, ms: ms(v) })),
  self: ranked(s.self, 4).map(([k, v]) => ({ frame: k, ms: ms(v) })),
}));
const groups = new Map();
for (const s of out) {
  const g = groups.get(s.entry) ?? { entry: s.entry, count: 0, total_ms: 0, max_ms: 0 };
  g.count++;
  g.total_ms += s.ms;
  g.max_ms = Math.max(g.max_ms, s.ms);
  groups.set(s.entry, g);
}
const summary = [...groups.values()].sort((a, b) => b.total_ms - a.total_ms).map((g) => ({ ...g, total_ms: Math.round(g.total_ms) }));
const span = (profile.endTime - profile.startTime) / 1e6;

if (asJson) {
  console.log(JSON.stringify({ profile_seconds: span, min_ms: minUs / 1000, stretches: out, by_entry: summary }, null, 1));
} else {
  const range = fromS > 0 || toS < Infinity ? ` (those starting in [${fromS}, ${toS}) s)` : '';
  console.log(`${out.length} stretches of ≥ ${minUs / 1000} ms in ${span.toFixed(0)} s of profile${range}`);
  console.log("\nby entry (the stretch's dominant entry):");
  for (const g of summary.slice(0, top))
    console.log(`  ${String(g.count).padStart(5)} × total ${String(g.total_ms).padStart(7)} ms, longest ${String(g.max_ms).padStart(6)} ms  ${g.entry}`);
  console.log(`\nthe ${Math.min(top, out.length)} longest:`);
  for (const s of [...out].sort((a, b) => b.ms - a.ms).slice(0, top)) {
    console.log(`  ${s.ms} ms at ${s.at_s} s`);
    for (const e of s.entries) console.log(`      entry ${String(e.ms).padStart(6)} ms  ${e.frame}`);
    for (const e of s.self) console.log(`      self  ${String(e.ms).padStart(6)} ms  ${e.frame}`);
  }
}

// Reads the .cpuprofile files that `node --cpu-prof` wrote for Ferry and summarises the main thread's
// (thread id 0 in the file name): self time by function and by where the code lives (Ferry's dist/,
// a node_modules package, Node's own internals, GC/idle).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function where(url) {
  if (!url) return '(native / V8)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return 'node internals';
  const dist = /\/dist\/(.+)$/.exec(url);
  if (dist) return `ferry ${dist[1].split('/').slice(0, -1).join('/') || '.'}`;
  return url.replace(/^file:\/\//, '');
}

function short(url) {
  if (!url) return '';
  const nm = /node_modules\/(.+)$/.exec(url);
  if (nm) return nm[1];
  const dist = /\/(dist\/.+)$/.exec(url);
  return dist ? dist[1] : url.replace(/^file:\/\//, '');
}

/** {file, total_ms, functions: [{name, where, self_ms, pct}], areas: [{area, self_ms, pct}]}, or null. */
export function hottest(dir, n = 20) {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  // CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile: the main thread is thread 0.
  const main = files.find((f) => f.split('.')[4] === '0') ?? files[0];
  if (!main) return null;
  const prof = JSON.parse(readFileSync(join(dir, main), 'utf8'));
  const byId = new Map(prof.nodes.map((nd) => [nd.id, nd]));
  const self = new Map();
  prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
  const fns = new Map();
  const areas = new Map();
  let total = 0;
  for (const [id, us] of self) {
    const cf = byId.get(id).callFrame;
    total += us;
    const key = `${cf.functionName || '(anonymous)'} ${short(cf.url)}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const area = ['(idle)', '(garbage collector)', '(program)'].includes(cf.functionName) ? cf.functionName : where(cf.url);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const rank = (m, label) =>
    [...m.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, n)
      .map(([k, us]) => ({ [label]: k, self_ms: us / 1000, pct: (100 * us) / total }));
  return { file: join(dir, main), total_ms: total / 1000, functions: rank(fns, 'name'), areas: rank(areas, 'area') };
}

// Sums the .cpuprofile files that `node --cpu-prof` wrote for one Ferry process — the main thread and every worker
// thread — into self time by function and by where the code lives. Idle time is left out (a main thread waiting on
// its workers is idle, not slow), so the percentages are of busy time over all threads.
import { readFileSync, readdirSync } from 'node:fs';
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

const short = (url) => /\/(dist\/.+)$/.exec(url ?? '')?.[1] ?? (url ?? '').replace(/^file:\/\//, '');

/** {threads, busy_ms, idle_ms, functions: [{name, self_ms, pct}], areas: [{area, self_ms, pct}]}, or null. */
export function busiest(dir, n = 20) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) return null;
  const fns = new Map();
  const areas = new Map();
  let busy = 0;
  let idle = 0;
  for (const f of files) {
    const prof = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    const byId = new Map(prof.nodes.map((nd) => [nd.id, nd]));
    prof.samples.forEach((id, i) => {
      const us = prof.timeDeltas[i] ?? 0;
      const cf = byId.get(id).callFrame;
      if (cf.functionName === '(idle)') {
        idle += us;
        return;
      }
      busy += us;
      const key = `${cf.functionName || '(anonymous)'} ${short(cf.url)}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
      fns.set(key, (fns.get(key) ?? 0) + us);
      const area = ['(garbage collector)', '(program)'].includes(cf.functionName) ? cf.functionName : where(cf.url);
      areas.set(area, (areas.get(area) ?? 0) + us);
    });
  }
  const rank = (m, label) =>
    [...m.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, n)
      .map(([k, us]) => ({ [label]: k, self_ms: us / 1000, pct: (100 * us) / busy }));
  return { threads: files.length, busy_ms: busy / 1000, idle_ms: idle / 1000, functions: rank(fns, 'name'), areas: rank(areas, 'area') };
}

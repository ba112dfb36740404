/**
 * docs/architecture.md against the repository: every folder of src/ (and file at its top) is in the map, the map
 * names nothing that does not exist, and its arrows point one way. .dependency-cruiser.cjs checks the code
 * against the same arrows (npm run depcruise).
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { readMap } = require('../scripts/architecture-map.cjs') as {
  readMap: () => { folders: { name: string; holds: string }[]; arrows: Map<string, string[]> };
};

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const { folders, arrows } = readMap();
const names = folders.map((f) => f.name);

describe('the architecture map (docs/architecture.md)', () => {
  it('names every folder of src/ and every file at its top (tests aside)', () => {
    const entries = readdirSync(SRC, { withFileTypes: true });
    const onDisk = [
      ...entries.filter((e) => e.isDirectory()).map((e) => e.name),
      ...entries.filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')).map((e) => e.name),
    ];
    expect(
      onDisk.filter((n) => !names.includes(n)),
      'in src/ but not in the folder map',
    ).toEqual([]);
  });

  it('names nothing that does not exist', () => {
    const missing = names.filter((n) => !existsSync(n === 'ui' ? join(ROOT, 'ui') : join(SRC, n)));
    expect(missing, 'in the folder map but not in src/').toEqual([]);
  });

  it('has one arrows line per folder, naming only folders of the map', () => {
    expect([...arrows.keys()].sort()).toEqual([...names].sort());
    const unknown = [...arrows].flatMap(([from, to]) => to.filter((t) => !names.includes(t)).map((t) => `${from} -> ${t}`));
    expect(unknown).toEqual([]);
    expect(
      [...arrows].filter(([from, to]) => to.includes(from)).map(([from]) => from),
      'an arrow to itself',
    ).toEqual([]);
  });

  it('allows no cycle between folders: dependencies point one way', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (n: string, path: string[]) => {
      if (state.get(n) === 'done') return;
      if (state.get(n) === 'open') {
        cycles.push([...path.slice(path.indexOf(n)), n].join(' -> '));
        return;
      }
      state.set(n, 'open');
      for (const t of arrows.get(n) ?? []) visit(t, [...path, n]);
      state.set(n, 'done');
    };
    for (const n of names) visit(n, []);
    expect(cycles).toEqual([]);
  });

  it('keeps the foundations and the clients apart from the server', () => {
    expect(arrows.get('contract'), 'contract imports nothing of src/').toEqual([]);
    for (const base of ['store', 'stats']) expect(arrows.get(base), `${base} imports no capability`).toEqual(['errors.ts']);
    expect(arrows.get('sdk')).toEqual(['contract']);
    expect([...(arrows.get('ui') ?? [])].sort()).toEqual(['contract', 'sdk']);
  });
});

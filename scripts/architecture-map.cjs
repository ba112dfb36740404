/**
 * Reads the architecture map in docs/architecture.md: the ```folders block (one line per folder of src/, ui/, or
 * top-level file of src/: its name, then what it holds) and the ```arrows block (`from -> to, to, …`: what each
 * may import). Shared by .dependency-cruiser.cjs (which turns the arrows into rules) and
 * test/architecture.test.ts (which checks the map against the folders on disk).
 */
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const DOC = join(ROOT, 'docs', 'architecture.md');

function block(text, tag) {
  const m = new RegExp('^```' + tag + '[ \\t]*\\n([\\s\\S]*?)^```[ \\t]*$', 'm').exec(text);
  if (!m) throw new Error(`docs/architecture.md has no \`\`\`${tag} block`);
  return m[1]
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** A node's name as the map writes it: `serving` (a folder of src/), `ui` (the UI), `app.ts` (a file of src/). */
function nodeName(raw) {
  return raw.replace(/\/$/, '');
}

/** Where a node's modules are, as a dependency-cruiser path pattern. */
function pathOf(node) {
  if (node === 'ui') return '^ui/';
  if (node.endsWith('.ts')) return `^src/${node.replace(/[.]/g, '\\.')}$`;
  return `^src/${node}/`;
}

function readMap(file = DOC) {
  const text = readFileSync(file, 'utf8');
  const folders = block(text, 'folders').map((l) => {
    const m = /^(\S+)\s+(.+)$/.exec(l);
    if (!m) throw new Error(`docs/architecture.md, folders: '${l}' needs a name and what it holds`);
    return { name: nodeName(m[1]), holds: m[2] };
  });
  const arrows = new Map();
  for (const l of block(text, 'arrows')) {
    const m = /^(\S+)\s*->\s*(.*)$/.exec(l);
    if (!m) throw new Error(`docs/architecture.md, arrows: '${l}' is not 'from -> to, to'`);
    const from = nodeName(m[1]);
    if (arrows.has(from)) throw new Error(`docs/architecture.md, arrows: '${from}' has two lines`);
    arrows.set(
      from,
      m[2]
        .split(',')
        .map((t) => nodeName(t.trim()))
        .filter((t) => t !== ''),
    );
  }
  return { folders, arrows };
}

module.exports = { readMap, pathOf, DOC };

/**
 * Boundary rules, checked in CI (`npm run depcruise`). The allowed imports between folders come from the map in
 * docs/architecture.md (its ```folders and ```arrows blocks, read by scripts/architecture-map.cjs): any import
 * from one folder into another that the map does not list is an error, so the map, these rules and the code
 * cannot drift apart. The rules after the map's hold whatever the map says.
 */
const { readMap, pathOf } = require('./scripts/architecture-map.cjs');

const { folders, arrows } = readMap();
const nodes = folders.map((f) => f.name);
for (const n of nodes) if (!arrows.has(n)) throw new Error(`docs/architecture.md: '${n}' is in the folder map but has no line in the arrows block`);
for (const [from, to] of arrows) {
  for (const n of [from, ...to]) if (!nodes.includes(n)) throw new Error(`docs/architecture.md: the arrows name '${n}', which is not in the folder map`);
}
/**
 * Folders of src/ reached from outside only through their index.ts. contract/ is the exception: its modules
 * (one per capability, src/contract/<capability>.ts, schemas only) are its public surface.
 */
const CAPS = nodes.filter((n) => n !== 'ui' && n !== 'contract' && !n.endsWith('.ts')).join('|');

const mapRules = [...arrows].map(([from, to]) => ({
  name: `architecture-map:${from}`,
  comment: `docs/architecture.md allows ${from} -> ${to.length ? to.join(', ') : '(nothing)'}; add an arrow there (with the reason) or import something else.`,
  severity: 'error',
  from: { path: pathOf(from) },
  to: { path: '^(src|ui)/', pathNot: [pathOf(from), ...to.map(pathOf)] },
}));

module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'not-in-architecture-map',
      comment: 'Every folder of src/ (and each file at its top) has a line in docs/architecture.md.',
      severity: 'error',
      from: { path: '^(src|ui)/', pathNot: nodes.map(pathOf) },
      to: {},
    },
    ...mapRules,
    {
      name: 'capability-only-through-index',
      comment: 'Another folder is reached only through its index.ts (contract/ through any of its modules).',
      severity: 'error',
      from: { path: `^src/(${CAPS})/` },
      to: { path: `^src/(${CAPS})/(?!index\\.ts$)`, pathNot: ['^src/$1/'] },
    },
    {
      name: 'ui-only-through-index',
      severity: 'error',
      from: { path: '^ui/' },
      to: { path: `^src/(${CAPS})/(?!index\\.ts$)` },
    },
    {
      name: 'routes-never-touch-store',
      severity: 'error',
      from: { path: '-routes\\.ts$' },
      to: { path: '^src/store/' },
    },
    {
      name: 'services-never-import-fastify',
      severity: 'error',
      from: { path: '-(service|repo)\\.ts$' },
      to: { path: 'node_modules/(fastify|@fastify)/' },
    },
    {
      name: 'store-and-stats-import-no-capability',
      comment: 'store/ and stats/ stand under every capability: nothing of src/ but themselves and errors.ts.',
      severity: 'error',
      from: { path: '^src/(store|stats)/' },
      to: { path: '^src/', pathNot: ['^src/$1/', '^src/errors\\.ts$'] },
    },
    {
      name: 'contract-imports-nothing-of-src',
      comment: 'contract/ is TypeBox schemas with no runtime dependencies: the server, the SDK and the UI all import it.',
      severity: 'error',
      from: { path: '^src/contract/' },
      to: { path: '^src/', pathNot: '^src/contract/' },
    },
    {
      name: 'sdk-and-ui-import-no-server-code',
      severity: 'error',
      from: { path: '^(src/sdk|ui)/' },
      to: { path: '^src/', pathNot: ['^src/sdk/', '^src/contract/'] },
    },
    {
      name: 'cli-only-through-sdk',
      comment: 'cli → sdk (HTTP only), except the server and quickstart commands, which start the server.',
      severity: 'error',
      from: { path: '^src/cli/', pathNot: ['^src/cli/server-command\\.ts$', '^src/cli/quickstart-command\\.ts$'] },
      to: { path: '^src/', pathNot: ['^src/cli/', '^src/sdk/', '^src/contract/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$' },
  },
};

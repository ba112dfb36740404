/** Boundary rules from DESIGN.md, checked in CI. */
const CAPS = 'cli|server|store|artifacts|tracking|registry|data|serving|prediction-log|analysis|alerts|auth|stats|sdk';
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'capability-only-through-index',
      comment: 'Another capability is reached only through its index.ts.',
      severity: 'error',
      from: { path: `^src/(${CAPS})/` },
      to: { path: `^src/(${CAPS})/(?!index\\.ts$)`, pathNot: ['^src/$1/'] },
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
      severity: 'error',
      from: { path: '^src/(store|stats)/' },
      to: { path: `^src/(cli|server|artifacts|tracking|registry|data|serving|prediction-log|analysis|alerts|auth|sdk)/` },
    },
    {
      name: 'sdk-and-ui-import-no-server-code',
      severity: 'error',
      from: { path: '^(src/sdk|ui)/' },
      to: { path: '^src/', pathNot: '^src/sdk/' },
    },
    {
      name: 'cli-only-through-sdk',
      comment: 'cli → sdk (HTTP only), except the server and quickstart commands, which start the server.',
      severity: 'error',
      from: { path: '^src/cli/', pathNot: ['^src/cli/server-command\\.ts$', '^src/cli/quickstart-command\\.ts$'] },
      to: { path: '^src/', pathNot: ['^src/cli/', '^src/sdk/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$' },
  },
};

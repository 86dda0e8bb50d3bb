/**
 * The architecture's import rules (docs/architecture.md), checked in CI by `npm run lint:deps`.
 * Each rule names the room it protects; a violation names the importing file and what it imports.
 */
const LOWER = '^src/(errors|clock|expressions|calendar|definitions|engine|runtime|scheduler|persistence|identity|integrations|handlers|crypto|reports|adapters|simulators)(/|\\.ts$)';

module.exports = {
  forbidden: [
    {
      name: 'no-http-below-api',
      comment: 'Lower layers never import the HTTP layer (src/api) nor express: the API maps their errors and calls them.',
      severity: 'error',
      from: { path: LOWER },
      to: { path: ['^src/api/', '^node_modules/express/', '^node_modules/helmet/', '^node_modules/express-rate-limit/'] },
    },
    {
      name: 'observability-through-ports',
      comment: 'Lower layers report steps and external calls through their own ports (StepTelemetry, observeExternalCalls); the host wires those to the logger and the metrics.',
      severity: 'error',
      from: { path: LOWER },
      to: { path: ['^src/observability/', '^node_modules/prom-client/', '^node_modules/pino/'] },
    },
    {
      name: 'definitions-below-runtime',
      comment: 'Definitions (parse, model, lint, deployment) never import the runtime, the engine or the scheduler.',
      severity: 'error',
      from: { path: '^src/definitions/' },
      to: { path: '^src/(runtime|engine|scheduler)/' },
    },
    {
      name: 'engine-below-runtime',
      comment: 'The bpmn-engine adapter is pure in memory: it never imports the runtime, the scheduler or persistence.',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/(runtime|scheduler|persistence)/' },
    },
    {
      name: 'crypto-imports-nothing-of-the-tree',
      comment: 'EDS (X.509, CMS, CRLs) is a library of its own: it imports nothing else of src/.',
      severity: 'error',
      from: { path: '^src/crypto/' },
      to: { path: '^src/', pathNot: '^src/crypto/' },
    },
    {
      name: 'api-reaches-the-database-through-persistence',
      comment: 'Routes call services and persistence stores; they never build queries (typeorm) themselves.',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: ['^node_modules/typeorm/', '^node_modules/sqlite3/', '^node_modules/pg/'] },
    },
    {
      name: 'scripts-never-import-tests',
      comment: 'Operational scripts stand on src/ alone; test harnesses live under test/.',
      severity: 'error',
      from: { path: '^scripts/' },
      to: { path: '^test/' },
    },
    {
      name: 'src-never-imports-tests-or-scripts',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|scripts)/' },
    },
    {
      name: 'only-the-composition-root-starts-simulators',
      comment: 'Local simulators of the state systems are started by src/server.ts (the default run), test support and the harnesses, never by the host or a layer below it.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/server\\.ts$', '(^|/)simulators?(/|\\.ts$)', 'simulator'] },
      to: { path: ['(^|/)simulators?(/|\\.ts$)', 'simulator[^/]*\\.ts$'] },
    },
    {
      name: 'no-circular',
      comment: 'A cycle means two modules are one concern, or one of them is in the wrong room.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|dist-web|node_modules|coverage)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};

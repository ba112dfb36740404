export type { StoreDialect } from './dialect.js';
export type * from './schema.js';
export type * from './schema-monitoring.js';
export type * from './schema-data.js';
export { openStore, redactPassword, type Store } from './store.js';
export { MIGRATIONS } from './migrator.js';
export type { MatchOp, TextMatch } from './text-match.js';
export { isUniqueViolation } from './unique-violation.js';
export type { PredictionWriter } from './prediction-writer.js';

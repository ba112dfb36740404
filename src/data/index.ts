/** Public surface of data: versioned datasets, profiles, validation suites, lineage. */
export { startData, type Data, type DataDeps } from './data-runtime.js';
export { DatasetService } from './dataset-service.js';
export { SuiteService } from './suite-service.js';
export { LineageService } from './lineage-service.js';
export { dataRoutes } from './data-routes.js';
export { registerDataUploadRoutes } from './data-upload-routes.js';
export { parseDatasetRef } from './version-ref.js';
export { readTableRows, type TableRows, type TableRowsOptions } from './table-rows.js';
export { profileOfRow } from './version-view.js';
export type { VersionView } from './version-view.js';
export type { TableSchema, ColumnSchema, ColumnType, DataFormat } from './table/index.js';

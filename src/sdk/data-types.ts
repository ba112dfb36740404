/** Shapes of the data API's answers (datasets, versions, profiles, diffs, suites, validations, lineage), from the contract. */
import type { Static } from '@sinclair/typebox';
import type * as C from '../contract/data.js';
import type * as S from '../contract/stats.js';

export type DataFormat = Static<typeof C.DataFormat>;
export type ColumnType = Static<typeof C.ColumnType>;
export type DataColumnSchema = Static<typeof C.DataColumnSchema>;
export type DataSchema = Static<typeof C.DataSchema>;

export type DatasetInfo = Static<typeof C.DatasetSummary>;
export type DatasetDetails = Static<typeof C.Dataset>;
export type DatasetVersion = Static<typeof C.DatasetVersion>;
export type ColumnProfileReport = Static<typeof C.ColumnProfileReport>;
export type DataProfileReport = Static<typeof C.ProfileReport>;
export type DatasetVersionWithProfile = Static<typeof C.DatasetVersionWithProfile>;

export type ValidationSummary = Static<typeof C.ValidationSummary>;
export type ValidationDetails = Static<typeof C.Validation>;
export type PushResult = Static<typeof C.PushResult>;

export type ExpectationConfig = Static<typeof C.Expectation>;
export type Suite = Static<typeof C.Suite>;
/** A suite as sent (Great Expectations' JSON; the URL names it). */
export type SuiteInput = Static<typeof C.SuiteInput>;
export type SuiteSummary = Static<typeof C.SuiteSummary>;
export type SuiteInfo = Static<typeof C.SuiteInfo>;
export type ExpectationResult = Static<typeof C.ExpectationResult>;
export type ValidationResult = Static<typeof C.ValidationResult>;
export type FileValidation = Static<typeof C.FileValidation>;
export type VersionValidation = Static<typeof C.VersionValidation>;

/** A column's drift in a diff: the same shape as monitoring's FeatureDrift. */
export type FeatureDriftInfo = Static<typeof S.FeatureDrift>;
export type VersionDiff = Static<typeof C.VersionDiff>;

export type DatasetLineage = Static<typeof C.DatasetLineage>;
export type ModelLineage = Static<typeof C.ModelLineage>;

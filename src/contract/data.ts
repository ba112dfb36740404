/**
 * Data: datasets and their content-addressed versions (pushed as CSV, JSON Lines or Parquet files), tags,
 * profiles, diffs, lineage, and Great Expectations-style validation suites and their results (native API, /api/v1).
 */
import { Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { Empty, NO_NUL, Nullable, StringEnum, Text as NoNulText } from './common.js';
import { ColumnSummary, DriftMethod, DriftSummaryFields, FeatureDrift } from './stats.js';

const tag = 'data';

/** Stored as text: PostgreSQL text cannot hold NUL, so it is refused on both stores. */
const Text = (description: string, maxLength = 256) => NoNulText({ maxLength, description });
const IsoTime = Type.String({ format: 'date-time', description: 'ISO 8601 time' });
/** Row ids and versions are 32-bit integers in the store. */
const INT32_MAX = 2_147_483_647;
/** A positive integer in a path (digits: path parameters reach the handler as text). */
const PositiveId = (description: string) => Type.String({ pattern: '^[1-9][0-9]{0,8}$', description: `${description} (a positive integer)` });

// ---- Names and references ----
/** A dataset or suite name (URL-safe; what `NAME@VERSION` references start with). */
export const DatasetName = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$',
  description: "1–128 letters, digits, '.', '_' or '-', starting with a letter or digit",
});
/** A version reference: a number, a tag, `latest`, or a digest prefix (`sha256:…` or ≥ 8 hex characters). */
export const VersionRef = Type.String({
  minLength: 1,
  maxLength: 71,
  pattern: '^[A-Za-z0-9:._-]+$',
  description: "a version number, a tag, 'latest' or a digest prefix (sha256:… or at least 8 hex characters)",
});
/** `NAME@VERSION` (VERSION optional: the latest). */
export const DatasetRef = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}(@[A-Za-z0-9:._-]+)?$',
  description: 'NAME@VERSION (VERSION a number, tag, latest or digest prefix; latest when omitted)',
});
export const TagName = Type.String({
  pattern: '^[A-Za-z][A-Za-z0-9._-]{0,63}$',
  description: "starts with a letter; up to 64 letters, digits, '.', '_' or '-' ('latest' and digest-like hex strings are reserved)",
});

const DatasetParams = Type.Object({ name: DatasetName });
const VersionParams = Type.Object({ name: DatasetName, ref: VersionRef });
const SuiteParams = Type.Object({ name: DatasetName });

const PageQuery = {
  max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'page size' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: INT32_MAX, default: 0, description: 'items to skip' })),
};
const ForceQuery = Type.Object({ force: Type.Optional(Type.Boolean({ default: false, description: 'delete even while runs or model versions used it' })) });

// ---- Tables ----
export const DataFormat = StringEnum(['csv', 'jsonl', 'parquet']);
export const ColumnType = StringEnum(['integer', 'float', 'boolean', 'string', 'datetime']);
export const DataColumnSchema = Type.Object({ name: Type.String(), type: ColumnType, nullable: Type.Boolean() });
export const SchemaWarning = Type.Object({
  column: Type.String(),
  line: Type.Optional(Type.Integer({ description: 'file line (CSV, JSON Lines)' })),
  row: Type.Optional(Type.Integer({ description: '1-based data row' })),
  message: Type.String(),
});
export const DataSchema = Type.Object({
  format: DataFormat,
  delimiter: Type.Optional(Type.String({ description: 'CSV only: the delimiter sniffed from the header line' })),
  columns: Type.Array(DataColumnSchema),
  warnings: Type.Array(SchemaWarning, { description: 'what did not stop the read (a column demoted to string, …)' }),
});

// ---- Datasets and versions ----
export const DatasetSummary = Type.Object({
  name: Type.String(),
  description: Type.String(),
  versions: Type.Integer(),
  latest_version: Nullable(Type.Integer()),
  created_at: IsoTime,
  created_by: Type.String(),
  updated_at: IsoTime,
});

export const DatasetVersion = Type.Object({
  dataset: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  ref: Type.String({ description: 'NAME@VERSION, what other commands and the API accept' }),
  digest: Type.String({ description: "sha256 of the file's bytes (hex)" }),
  format: DataFormat,
  size_bytes: Type.Integer(),
  rows: Type.Integer(),
  columns: Type.Integer(),
  filename: Type.String({ description: 'the pushed file’s name, for display and downloads' }),
  description: Type.String(),
  tags: Type.Array(Type.String()),
  created_at: IsoTime,
  created_by: Type.String(),
  schema: DataSchema,
});

export const ColumnProfileReport = Type.Object({
  name: Type.String(),
  type: ColumnType,
  nullable: Type.Boolean(),
  summary: ColumnSummary,
  histogram: Nullable(
    Type.Object(
      { edges: Type.Array(Type.Number()), counts: Type.Array(Type.Number()) },
      { description: 'numeric columns: equal-width bins (edges has one more entry than counts)' },
    ),
  ),
  basis: Nullable(
    StringEnum(['exact', 'sketch'], {
      description:
        "where histogram and summary.quantiles come from: every value ('exact', numpy.histogram's bins and numpy.quantile's inverted_cdf) or the KLL sketch ('sketch'); null for a column without numbers",
    }),
  ),
});

export const ProfileReport = Type.Object({ rows: Type.Integer(), columns: Type.Array(ColumnProfileReport) });

export const DatasetVersionWithProfile = Type.Composite([DatasetVersion, Type.Object({ profile: ProfileReport })]);

export const Dataset = Type.Object({
  name: Type.String(),
  description: Type.String(),
  created_at: IsoTime,
  created_by: Type.String(),
  updated_at: IsoTime,
  tags: Type.Record(Type.String(), Type.Integer(), { description: 'tag → version number' }),
  latest: Nullable(DatasetVersion),
});

// ---- Diffs ----
const VersionSide = Type.Object({ ref: Type.String(), rows: Type.Integer(), digest: Type.String() });

export const VersionDiff = Type.Object({
  from: VersionSide,
  to: VersionSide,
  identical: Type.Boolean(),
  schema: Type.Object({
    added: Type.Array(DataColumnSchema),
    removed: Type.Array(DataColumnSchema),
    retyped: Type.Array(Type.Object({ name: Type.String(), from: ColumnType, to: ColumnType })),
    nullability: Type.Array(Type.Object({ name: Type.String(), from: Type.Boolean(), to: Type.Boolean() })),
    unchanged: Type.Integer(),
  }),
  drift: Type.Array(FeatureDrift, { description: "each shared column's drift, the older version as the reference" }),
  skipped: Type.Array(Type.Object({ name: Type.String(), reason: Type.String() }), { description: 'shared columns no test could compare' }),
  summary: Type.Object(DriftSummaryFields),
});

// ---- Suites ----
/** The expectation types the validation engine runs (src/data/validation reads this list). */
export const EXPECTATION_TYPES = [
  'expect_column_to_exist',
  'expect_column_values_to_be_of_type',
  'expect_column_values_to_not_be_null',
  'expect_column_values_to_be_between',
  'expect_column_values_to_be_in_set',
  'expect_column_values_to_match_regex',
  'expect_column_values_to_be_unique',
  'expect_table_row_count_to_be_between',
  'expect_column_mean_to_be_between',
  'expect_column_stdev_to_be_between',
  'expect_column_quantile_values_to_be_between',
  'expect_column_unique_value_count_to_be_between',
  'expect_column_distinct_values_to_be_in_set',
] as const;
export const ExpectationType = StringEnum(EXPECTATION_TYPES, { description: 'a Great Expectations expectation type' });

const Bound = Nullable(Type.Union([Type.Number(), Type.String({ description: 'an ISO 8601 date/time (datetime columns)' })]));
const SetItem = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
const UserMeta = Type.Record(Type.String(), Type.Unknown(), { description: "the author's own notes, kept as given" });

/** An expectation's arguments as stored (checked against its type: each type takes some of these). */
export const ExpectationKwargs = Type.Object({
  column: Type.Optional(Type.String()),
  type_: Type.Optional(Type.String()),
  mostly: Type.Optional(Type.Number({ description: 'share of non-missing values that must pass, in (0, 1]' })),
  min_value: Type.Optional(Bound),
  max_value: Type.Optional(Bound),
  strict_min: Type.Optional(Type.Boolean()),
  strict_max: Type.Optional(Type.Boolean()),
  value_set: Type.Optional(Type.Array(SetItem)),
  regex: Type.Optional(Type.String()),
  // Each range a [min, max] pair (null: open), as a two-item array rather than a tuple: both sides have one type,
  // and tools that read OpenAPI 3.1 (schemathesis among them) mishandle a tuple in a response schema.
  quantile_ranges: Type.Optional(
    Type.Object({
      quantiles: Type.Array(Type.Number()),
      value_ranges: Type.Array(Type.Array(Nullable(Type.Number()), { minItems: 2, maxItems: 2, description: '[min, max]; null leaves that side open' })),
    }),
  ),
});

export const Expectation = Type.Object({ type: ExpectationType, kwargs: ExpectationKwargs, meta: Type.Optional(UserMeta) });
export const Suite = Type.Object({ name: Type.String(), expectations: Type.Array(Expectation), meta: Type.Optional(UserMeta) });

/**
 * A suite as sent: Great Expectations' JSON. GE 0.x spellings (expectation_suite_name, expectation_type) and GE's
 * bookkeeping keys are accepted; each expectation's kwargs are checked against its type by the server.
 */
export const SuiteInput = Type.Object({
  name: Type.Optional(Type.String({ description: 'ignored: the URL names the suite' })),
  expectation_suite_name: Type.Optional(Type.String({ description: 'GE 0.x spelling of name; ignored as name is' })),
  expectations: Type.Array(
    Type.Object({
      type: Type.Optional(ExpectationType),
      expectation_type: Type.Optional(Type.String({ description: 'GE 0.x spelling of type' })),
      kwargs: Type.Optional(
        Type.Record(Type.String(), Type.Unknown(), {
          description: "the type's arguments (see ExpectationKwargs); GE's result_format, catch_exceptions and include_config are accepted and dropped",
        }),
      ),
      meta: Type.Optional(Nullable(UserMeta)),
    }),
    { maxItems: 1000 },
  ),
  meta: Type.Optional(Nullable(UserMeta)),
  data_asset_type: Type.Optional(Type.Unknown({ description: 'GE bookkeeping; accepted and dropped' })),
  ge_cloud_id: Type.Optional(Type.Unknown({ description: 'GE bookkeeping; accepted and dropped' })),
  id: Type.Optional(Type.Unknown({ description: 'GE bookkeeping; accepted and dropped' })),
  notes: Type.Optional(Type.Unknown({ description: 'GE bookkeeping; accepted and dropped' })),
});

export const AttachmentKind = StringEnum(['dataset', 'deployment']);
export const SuiteAttachment = Type.Object({ target_kind: AttachmentKind, target: Type.String() });

export const SuiteSummary = Type.Object({
  name: Type.String(),
  expectations: Type.Integer({ description: 'how many' }),
  updated_at: IsoTime,
  created_by: Type.String(),
});
export const SuiteInfo = Type.Object({
  name: Type.String(),
  suite: Suite,
  attachments: Type.Array(SuiteAttachment),
  created_at: IsoTime,
  created_by: Type.String(),
  updated_at: IsoTime,
});

// ---- Validation results ----
const ReportedValue = Nullable(Type.Union([Type.String(), Type.Number(), Type.Boolean()]));

export const ExpectationResultBody = Type.Object({
  element_count: Type.Optional(Type.Integer()),
  missing_count: Type.Optional(Type.Integer()),
  missing_percent: Type.Optional(Nullable(Type.Number())),
  unexpected_count: Type.Optional(Nullable(Type.Integer())),
  unexpected_percent: Type.Optional(Nullable(Type.Number({ description: 'of the non-missing values' }))),
  unexpected_percent_total: Type.Optional(Nullable(Type.Number())),
  unexpected_percent_nonmissing: Type.Optional(Nullable(Type.Number())),
  partial_unexpected_list: Type.Optional(Type.Array(ReportedValue)),
  partial_unexpected_index_list: Type.Optional(Type.Array(Type.Integer(), { description: '1-based data rows of partial_unexpected_list' })),
  partial_unexpected_line_list: Type.Optional(Type.Array(Type.Integer(), { description: 'file lines of the same values (0: unknown); not in GE' })),
  partial_unexpected_counts: Type.Optional(Type.Array(Type.Object({ value: ReportedValue, count: Type.Integer() }))),
  observed_value: Type.Optional(
    Type.Unknown({ description: "what the aggregate measured (a number, a list of quantiles, …): the expectation type's own shape" }),
  ),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "the expectation type's own details" })),
});

export const ExpectationResult = Type.Object({
  expectation_config: Type.Object({ type: ExpectationType, kwargs: ExpectationKwargs, meta: Type.Optional(UserMeta) }),
  success: Nullable(Type.Boolean({ description: 'null: not evaluated (a profile cannot answer it); skipped says why' })),
  result: ExpectationResultBody,
  exception_info: Type.Optional(
    Type.Object({ raised_exception: Type.Boolean(), exception_message: Nullable(Type.String()), exception_traceback: Nullable(Type.String()) }),
  ),
  skipped: Type.Optional(Type.Object({ reason: Type.String() })),
});

export const ValidationResult = Type.Object({
  success: Type.Boolean({ description: 'every evaluated expectation succeeded (skipped ones do not count)' }),
  suite: Type.String(),
  evaluated_on: StringEnum(['table', 'profile']),
  statistics: Type.Object({
    evaluated_expectations: Type.Integer(),
    successful_expectations: Type.Integer(),
    unsuccessful_expectations: Type.Integer(),
    success_percent: Nullable(Type.Number({ description: 'null when nothing was evaluated' })),
    skipped_expectations: Type.Integer({ description: 'expectations a profile could not answer' }),
  }),
  results: Type.Array(ExpectationResult),
});

export const ValidationSummary = Type.Object({
  id: Type.Integer(),
  suite: Type.String(),
  target_kind: AttachmentKind,
  target: Type.String({ description: 'a dataset or deployment name' }),
  version: Nullable(Type.Integer({ description: 'the dataset version (null for traffic windows)' })),
  window_start: Nullable(Type.String({ format: 'date-time', description: "a traffic window's start (null for dataset versions)" })),
  success: Type.Boolean(),
  evaluated: Type.Integer(),
  failed: Type.Integer(),
  created_at: IsoTime,
});

export const Validation = Type.Composite([ValidationSummary, Type.Object({ result: ValidationResult })]);

/** A suite attached to the dataset, run on a freshly pushed version. */
export const PushValidation = Type.Object({
  id: Type.Integer(),
  suite: Type.String(),
  success: Type.Boolean(),
  evaluated: Type.Integer(),
  failed: Type.Integer(),
});
export const PushResult = Type.Object({
  created: Type.Boolean({ description: 'false: these bytes were pushed before; the existing version is answered' }),
  version: DatasetVersion,
  validations: Type.Array(PushValidation),
});

export const FileValidation = Type.Object({
  file: Type.Object({
    filename: Nullable(Type.String()),
    digest: Type.String(),
    size_bytes: Type.Integer(),
    rows: Type.Integer(),
    format: DataFormat,
    warnings: Type.Array(SchemaWarning),
  }),
  result: ValidationResult,
});

export const VersionValidation = Type.Object({ id: Type.Integer(), target: Type.String({ description: 'NAME@VERSION' }), result: ValidationResult });

// ---- Lineage ----
export const DatasetLineage = Type.Object({
  dataset: Type.String(),
  version: Type.Integer(),
  ref: Type.String(),
  digest: Type.String(),
  runs: Type.Array(
    Type.Object({
      run_id: Type.String(),
      run_name: Type.String(),
      experiment_id: Type.String(),
      status: Type.String(),
      context: Nullable(Type.String()),
      input_name: Type.String(),
    }),
  ),
  model_versions: Type.Array(Type.Object({ name: Type.String(), version: Type.String(), run_id: Nullable(Type.String()), status: Type.String() })),
});

export const ModelLineage = Type.Object({
  model: Type.Object({ name: Type.String(), version: Type.String(), run_id: Nullable(Type.String()), source: Type.String() }),
  run: Nullable(
    Type.Object(
      {
        run_id: Type.String(),
        run_name: Type.Optional(Type.String()),
        experiment_id: Type.Optional(Type.String()),
        status: Type.Optional(Type.String()),
      },
      { description: 'absent fields: the run logged no dataset inputs' },
    ),
  ),
  datasets: Type.Array(
    Type.Object({
      name: Type.String(),
      digest: Type.String(),
      context: Nullable(Type.String()),
      source_type: Type.String(),
      source: Type.String(),
      dataset_versions: Type.Array(
        Type.Object({
          dataset: Type.String(),
          version: Type.Integer(),
          ref: Type.String(),
          digest: Type.String(),
          rows: Type.Integer(),
          validations: Type.Array(ValidationSummary),
        }),
      ),
    }),
  ),
});

// ---- Operations: datasets ----
export const listDatasets = defineOperation({
  method: 'GET',
  path: '/api/v1/datasets',
  operationId: 'listDatasets',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Datasets with their version counts',
  query: Type.Object({ ...PageQuery, name_like: Type.Optional(Text("SQL LIKE pattern on the name ('%' any run, '_' one character)", 200)) }),
  responses: { 200: Type.Object({ datasets: Type.Array(DatasetSummary) }) },
});

export const getDataset = defineOperation({
  method: 'GET',
  path: '/api/v1/datasets/:name',
  operationId: 'getDataset',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'A dataset: description, tags and its latest version',
  params: DatasetParams,
  responses: { 200: Type.Object({ dataset: Dataset }) },
});

export const updateDataset = defineOperation({
  method: 'PATCH',
  path: '/api/v1/datasets/:name',
  operationId: 'updateDataset',
  tag,
  access: 'editor',
  style: 'native',
  summary: "Change a dataset's description",
  params: DatasetParams,
  body: Type.Object({ description: Text('the new description', 5000) }),
  responses: { 200: Type.Object({ dataset: Dataset }) },
});

export const deleteDataset = defineOperation({
  method: 'DELETE',
  path: '/api/v1/datasets/:name',
  operationId: 'deleteDataset',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Delete a dataset and all its versions (refused while runs used them, unless force=true)',
  params: DatasetParams,
  query: ForceQuery,
  responses: { 200: Empty },
});

export const pushDatasetVersion = defineOperation({
  method: 'POST',
  path: '/api/v1/datasets/:name/versions',
  operationId: 'pushDatasetVersion',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Push a data file (CSV, JSON Lines, Parquet) as a dataset version; identical bytes answer the existing version',
  description:
    'The body is the file itself, streamed. Its format is taken from `format`, else from the file name, the Content-Type and the first bytes. Suites attached to the dataset run on a new version.',
  params: DatasetParams,
  query: Type.Object({
    filename: Type.Optional(Type.String({ maxLength: 1024, description: "the file's name (format detection by extension; downloads)" })),
    format: Type.Optional(DataFormat),
    description: Type.Optional(Text("the version's description", 5000)),
  }),
  rawBody: {
    description: 'The data file',
    content: {
      'text/csv': { schema: Type.String() },
      'application/x-ndjson': { schema: Type.String() },
      'application/vnd.apache.parquet': { schema: Type.String({ format: 'binary' }) },
      'application/octet-stream': { schema: Type.String({ format: 'binary' }) },
    },
  },
  responses: { 200: PushResult, 201: PushResult },
});

export const listDatasetVersions = defineOperation({
  method: 'GET',
  path: '/api/v1/datasets/:name/versions',
  operationId: 'listDatasetVersions',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "A dataset's versions, newest first",
  params: DatasetParams,
  query: Type.Object(PageQuery),
  responses: { 200: Type.Object({ versions: Type.Array(DatasetVersion) }) },
});

export const getDatasetVersion = defineOperation({
  method: 'GET',
  path: '/api/v1/datasets/:name/versions/:ref',
  operationId: 'getDatasetVersion',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'A version (number, tag, latest or digest prefix) with its schema and, unless profile=false, its per-column profile',
  params: VersionParams,
  query: Type.Object({ profile: Type.Optional(Type.Boolean({ default: true, description: 'include the per-column profile' })) }),
  responses: { 200: Type.Object({ version: Type.Union([DatasetVersionWithProfile, DatasetVersion]) }) },
});

export const deleteDatasetVersion = defineOperation({
  method: 'DELETE',
  path: '/api/v1/datasets/:name/versions/:ref',
  operationId: 'deleteDatasetVersion',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Delete a version (refused while a run or model version used it, unless force=true)',
  params: VersionParams,
  query: ForceQuery,
  responses: { 200: Type.Object({ deleted: DatasetVersion }) },
});

export const downloadDatasetVersion = defineOperation({
  method: 'GET',
  path: '/api/v1/datasets/:name/versions/:ref/file',
  operationId: 'downloadDatasetVersion',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "Download a dataset version's file (the exact bytes pushed)",
  params: VersionParams,
  responses: {
    200: {
      description: 'The file, with its name in Content-Disposition',
      content: {
        'text/csv': { schema: Type.String() },
        'application/x-ndjson': { schema: Type.String() },
        'application/vnd.apache.parquet': { schema: Type.String({ format: 'binary' }) },
      },
    },
  },
});

export const setDatasetTag = defineOperation({
  method: 'PUT',
  path: '/api/v1/datasets/:name/tags/:tag',
  operationId: 'setDatasetTag',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Point a tag at a version',
  params: Type.Object({ name: DatasetName, tag: TagName }),
  body: Type.Object({ version: Type.Union([VersionRef, Type.Integer({ minimum: 1 })], { description: 'version number, tag or digest prefix' }) }),
  responses: { 200: Type.Object({ version: DatasetVersion }) },
});

export const deleteDatasetTag = defineOperation({
  method: 'DELETE',
  path: '/api/v1/datasets/:name/tags/:tag',
  operationId: 'deleteDatasetTag',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Remove a tag',
  params: Type.Object({ name: DatasetName, tag: Type.String({ minLength: 1, maxLength: 64, pattern: NO_NUL }) }),
  responses: { 200: Empty },
});

export const diffDatasetVersions = defineOperation({
  method: 'GET',
  path: '/api/v1/datasets/:name/diff',
  operationId: 'diffDatasetVersions',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Schema and distribution diff between two versions (to may name another dataset as NAME@VERSION)',
  params: DatasetParams,
  query: Type.Object({
    from: VersionRef,
    to: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9:@._-]+$', description: 'a version of this dataset, or NAME@VERSION of another' }),
  }),
  responses: { 200: Type.Object({ diff: VersionDiff }) },
});

export const getDatasetVersionLineage = defineOperation({
  method: 'GET',
  path: '/api/v1/datasets/:name/versions/:ref/lineage',
  operationId: 'getDatasetVersionLineage',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Which runs and model versions used this version',
  params: VersionParams,
  responses: { 200: Type.Object({ lineage: DatasetLineage }) },
});

export const listDatasetVersionValidations = defineOperation({
  method: 'GET',
  path: '/api/v1/datasets/:name/versions/:ref/validations',
  operationId: 'listDatasetVersionValidations',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Validation results of a version, newest first',
  params: VersionParams,
  query: Type.Object(PageQuery),
  responses: { 200: Type.Object({ validations: Type.Array(ValidationSummary) }) },
});

export const getModelVersionLineage = defineOperation({
  method: 'GET',
  path: '/api/v1/models/:name/versions/:version/lineage',
  operationId: 'getModelVersionLineage',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Which run produced a model version and which dataset versions (and their validation results) it was trained on',
  params: Type.Object({
    name: Type.String({ minLength: 1, maxLength: 256, pattern: NO_NUL, description: 'registered model name' }),
    version: PositiveId('the model version number'),
  }),
  responses: { 200: Type.Object({ lineage: ModelLineage }) },
});

// ---- Operations: suites and validations ----
export const listSuites = defineOperation({
  method: 'GET',
  path: '/api/v1/suites',
  operationId: 'listSuites',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Validation suites, by name',
  query: Type.Object(PageQuery),
  responses: { 200: Type.Object({ suites: Type.Array(SuiteSummary) }) },
});

export const getSuite = defineOperation({
  method: 'GET',
  path: '/api/v1/suites/:name',
  operationId: 'getSuite',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'A suite with its expectations and attachments',
  params: SuiteParams,
  responses: { 200: Type.Object({ suite: SuiteInfo }) },
});

export const putSuite = defineOperation({
  method: 'PUT',
  path: '/api/v1/suites/:name',
  operationId: 'putSuite',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Create or replace a suite (Great Expectations-style expectations JSON)',
  params: SuiteParams,
  body: SuiteInput,
  responses: { 200: Type.Object({ created: Type.Boolean({ description: 'false: an existing suite was replaced' }), suite: Suite }) },
});

export const deleteSuite = defineOperation({
  method: 'DELETE',
  path: '/api/v1/suites/:name',
  operationId: 'deleteSuite',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Delete a suite (and its attachments; past results stay)',
  params: SuiteParams,
  responses: { 200: Empty },
});

export const inferSuite = defineOperation({
  method: 'POST',
  path: '/api/v1/suites/infer',
  operationId: 'inferSuite',
  tag,
  access: 'editor',
  style: 'native',
  summary: "Propose a suite from a dataset version's profile (saved with save=true)",
  body: Type.Object({
    dataset: DatasetRef,
    name: Type.Optional(DatasetName),
    save: Type.Optional(Type.Boolean({ default: false, description: 'store the suite (replacing one of that name)' })),
  }),
  responses: { 200: Type.Object({ suite: Suite, saved: Type.Boolean() }) },
});

export const attachSuite = defineOperation({
  method: 'POST',
  path: '/api/v1/suites/:name/attachments',
  operationId: 'attachSuite',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Attach a suite to a dataset (runs on every pushed version) or a deployment (runs on every traffic window)',
  params: SuiteParams,
  body: Type.Object(
    {
      dataset: Type.Optional(DatasetName),
      deployment: Type.Optional(Type.String({ minLength: 1, maxLength: 63, pattern: NO_NUL, description: 'a deployment name' })),
    },
    { description: 'exactly one of dataset / deployment' },
  ),
  responses: { 200: Type.Object({ suite: SuiteInfo }) },
});

export const detachSuite = defineOperation({
  method: 'DELETE',
  path: '/api/v1/suites/:name/attachments/:kind/:target',
  operationId: 'detachSuite',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Detach a suite',
  params: Type.Object({ name: DatasetName, kind: AttachmentKind, target: Type.String({ minLength: 1, maxLength: 256, pattern: NO_NUL }) }),
  responses: { 200: Empty },
});

export const validateDatasetVersion = defineOperation({
  method: 'POST',
  path: '/api/v1/suites/:name/validations',
  operationId: 'validateDatasetVersion',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Validate a stored dataset version against the suite and record the result',
  params: SuiteParams,
  body: Type.Object({ dataset: DatasetRef }),
  responses: { 200: VersionValidation },
});

export const validateFile = defineOperation({
  method: 'POST',
  path: '/api/v1/suites/:name/validate',
  operationId: 'validateFile',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Validate a data file (the body) against a suite (a CI gate: nothing is stored)',
  params: SuiteParams,
  query: Type.Object({
    filename: Type.Optional(Type.String({ maxLength: 1024, description: "the file's name (format detection by extension)" })),
    format: Type.Optional(DataFormat),
  }),
  rawBody: {
    description: 'The data file',
    content: {
      'text/csv': { schema: Type.String() },
      'application/x-ndjson': { schema: Type.String() },
      'application/vnd.apache.parquet': { schema: Type.String({ format: 'binary' }) },
      'application/octet-stream': { schema: Type.String({ format: 'binary' }) },
    },
  },
  responses: { 200: FileValidation },
});

export const listValidations = defineOperation({
  method: 'GET',
  path: '/api/v1/validations',
  operationId: 'listValidations',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Validation results, newest first (filter by target_kind, target, suite, success)',
  query: Type.Object({
    ...PageQuery,
    target_kind: Type.Optional(AttachmentKind),
    target: Type.Optional(Text('a dataset or deployment name')),
    suite: Type.Optional(Text('a suite name')),
    success: Type.Optional(Type.Boolean()),
  }),
  responses: { 200: Type.Object({ validations: Type.Array(ValidationSummary) }) },
});

export const getValidation = defineOperation({
  method: 'GET',
  path: '/api/v1/validations/:id',
  operationId: 'getValidation',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'One validation result, whole',
  params: Type.Object({ id: PositiveId("the validation result's id") }),
  responses: { 200: Type.Object({ validation: Validation }) },
});

// ---- Operations: offline drift and validation (tables in the body; nothing stored) ----
/** The most rows and columns one table of an offline drift or validation may hold (the body limit binds first for wide ones). */
export const MAX_INLINE_ROWS = 1_000_000;
export const MAX_INLINE_COLUMNS = 1000;
/** A cell: JSON has no NaN, so a missing value is null; datetimes travel as ISO 8601 text. */
const Cell = Type.Unsafe<string | number | boolean | null>({
  type: ['string', 'number', 'boolean', 'null'],
  description: 'a value: number, text, boolean or null',
});
const ColumnName = Type.String({ minLength: 1, maxLength: 1024, pattern: NO_NUL });

export const InlineTable = Type.Object(
  {
    columns: Type.Optional(
      Type.Record(ColumnName, Type.Array(Cell), {
        maxProperties: MAX_INLINE_COLUMNS,
        description: 'column-oriented: name → its values, every column as long as the others',
      }),
    ),
    rows: Type.Optional(
      Type.Array(Type.Record(ColumnName, Cell, { maxProperties: MAX_INLINE_COLUMNS }), {
        description: 'row-oriented: one object per row; a key a row lacks is null there',
      }),
    ),
    floats: Type.Optional(
      Type.Array(ColumnName, {
        maxItems: MAX_INLINE_COLUMNS,
        description: 'columns typed float even where every value is whole (JSON cannot tell 1.0 from 1; a CSV can)',
      }),
    ),
  },
  { description: `exactly one of columns / rows; at most ${MAX_INLINE_ROWS} rows and ${MAX_INLINE_COLUMNS} columns; one JSON type per column` },
);

const DRIFT_METHOD_NAMES = DriftMethod.anyOf.map((m) => m.const).join('|');
const TableSide = Type.Object({ rows: Type.Integer(), columns: Type.Integer(), warnings: Type.Array(SchemaWarning) });

export const TableDrift = Type.Object({
  reference: TableSide,
  current: TableSide,
  schema: VersionDiff.properties.schema,
  drift: Type.Array(FeatureDrift, { description: "each shared column's drift, reference against current" }),
  skipped: VersionDiff.properties.skipped,
  summary: Type.Object(DriftSummaryFields),
});

export const tableDrift = defineOperation({
  method: 'POST',
  path: '/api/v1/drift',
  operationId: 'tableDrift',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Drift between two tables sent in the body (what a dataset diff answers; nothing is stored)',
  description:
    'Both tables are profiled as a pushed dataset version is, and compared with the tests a dataset diff and monitoring run (Evidently-style defaults, or `method` per feature).',
  body: Type.Object({
    reference: InlineTable,
    current: InlineTable,
    method: Type.Optional(
      Type.String({
        maxLength: 65_536,
        pattern: `^[^:,]+:(${DRIFT_METHOD_NAMES})(,[^:,]+:(${DRIFT_METHOD_NAMES}))*$`,
        description: 'drift test per feature: feature:method pairs, e.g. age:psi,income:ks',
      }),
    ),
    drift_share: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'share of drifted features at which the dataset counts as drifted (default 0.5)' }),
    ),
    columns: Type.Optional(
      Type.Array(ColumnName, { minItems: 1, maxItems: MAX_INLINE_COLUMNS, description: 'compare only these columns (both tables must have them)' }),
    ),
  }),
  responses: { 200: TableDrift },
});

export const validateTable = defineOperation({
  method: 'POST',
  path: '/api/v1/validate',
  operationId: 'validateTable',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Validate a table sent in the body against a suite sent with it (what a suite validation answers; nothing is stored)',
  body: Type.Object({ suite: SuiteInput, data: InlineTable }),
  responses: { 200: FileValidation },
});

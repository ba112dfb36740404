"""Typed shapes of Ferry's HTTP API, generated from its OpenAPI document (/openapi.json).

Do not edit: regenerate with ``python clients/python/scripts/gen_types.py`` (after ``npm run build``);
tests/test_types.py fails when this file and the server's document differ.

``<OperationId>Response`` is an operation's JSON answer, ``<OperationId>Body`` its JSON request body;
``OPERATIONS`` maps each operationId to its method and path template.
"""
# fmt: off
from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional, Tuple, TypedDict, Union


class _ApproveLoopRunBodyRequired(TypedDict):
    decision: Literal["approve", "reject"]


class ApproveLoopRunBody(_ApproveLoopRunBodyRequired, total=False):
    """The JSON body of ``POST /api/v1/loops/{name}/runs/{seq}/approve``: Approve or reject a loop run that
    awaits approval
    """
    reason: str


class AttachSuiteBody(TypedDict, total=False):
    """The JSON body of ``POST /api/v1/suites/{name}/attachments``: Attach a suite to a dataset (runs on every
    pushed version) or a deployment (runs on every traffic window)
    """
    #: 1–128 letters, digits, '.', '_' or '-', starting with a letter or digit
    dataset: str
    #: a deployment name
    deployment: str


class _CreateAbTestBodyRequired(TypedDict):
    #: lowercase letters, digits and dashes; 1–63 characters
    deployment: str
    #: unique A/B test name: letters, digits and _ . -, at most 128 characters
    name: str
    primary_metric: GetAbTestResponseAbtestPrimaryMetric


class CreateAbTestBody(_CreateAbTestBodyRequired, total=False):
    """The JSON body of ``POST /api/v1/abtests``: Create an A/B test on a deployment: its routes are the arms, a
    primary metric and guardrails decide
    """
    #: the split the test expects (checked for sample-ratio mismatch); default: the deployment's routes and weights,
    #: which these must equal
    arms: List[CreateAbTestBodyArmsItem]
    #: the control arm's version (default the deployment's first route)
    control: str
    description: str
    #: metrics that must not get worse
    guardrails: List[GetAbTestResponseAbtestPrimaryMetric]
    settings: CreateAbTestBodySettings
    #: start at once (default true); false leaves it a draft
    start: bool


class CreateAbTestBodyArmsItem(TypedDict):
    #: a model version the deployment serves (one of its routes)
    version: str
    #: its share of traffic in percent; the arms' weights sum to 100
    weight: float


class CreateAbTestBodySettings(TypedDict, total=False):
    #: false-positive rate (default 0.05)
    alpha: float
    #: across the primary metric and the guardrails (default holm)
    correction: Literal["holm", "benjamini-hochberg", "none"]
    #: sequential (default: always-valid, peek at will), fixed (one look at a planned horizon) or bayesian
    method: Literal["sequential", "fixed", "bayesian"]
    #: bayesian: prior mean of the relative lift (default 0)
    prior_mean: float
    #: bayesian: prior standard deviation of the relative lift (default 0.1)
    prior_stddev: float
    #: bayesian: use the prior (default false: flat)
    proper_prior: bool
    #: sequential: N*, the units at which you expect to decide (default 5000)
    sequential_tuning: float


_CreateAlertRuleBodyRequired = TypedDict('_CreateAlertRuleBodyRequired', {
    'comparison': 'Literal[">", ">=", "<", "<=", "==", "!="]',
    #: deployment the rule watches (it need not exist yet)
    'deployment': 'str',
    #: dataset_drift, drift_share, error_rate, latency_p99, request_rate, validation_failures, accuracy, precision,
    #: recall, f1, roc_auc, log_loss, mae, rmse, r2, mape, abtest_guardrail_worse, estimated_roc_auc, estimated_f1,
    #: estimated_precision, estimated_recall, estimated_specificity, estimated_accuracy,
    #: estimated_average_precision, or feature_drift:<feature>, drift_score:<feature>, null_rate:<feature>,
    #: demographic_parity_ratio:<feature>, demographic_parity_difference:<feature>, equalized_odds_ratio:<feature>,
    #: equalized_odds_difference:<feature>, equal_opportunity_ratio:<feature>, estimated_roc_auc:<feature>,
    #: estimated_f1:<feature>, estimated_precision:<feature>, estimated_recall:<feature>,
    #: estimated_specificity:<feature>, estimated_accuracy:<feature>, estimated_average_precision:<feature>
    'metric': 'str',
    #: unique rule name: letters, digits and _ . : -, at most 128 characters
    'name': 'str',
    'threshold': 'float',
})
_CreateAlertRuleBodyOptional = TypedDict('_CreateAlertRuleBodyOptional', {
    'enabled': 'bool',
    #: the condition must hold this long before the alert fires (default 0s); a duration: 0, or numbers (integer or
    #: decimal) with units ms, s, m, h, d, w written together from the largest unit down, e.g. 90s, 5m, 1h30m, 1.5h,
    #: 2d12h; at most 3650d, rounded to the millisecond
    'for': 'str',
    #: a firing alert keeps firing this long after the condition clears (default 0s); a duration: 0, or numbers
    #: (integer or decimal) with units ms, s, m, h, d, w written together from the largest unit down, e.g. 90s, 5m,
    #: 1h30m, 1.5h, 2d12h; at most 3650d, rounded to the millisecond
    'keep_firing_for': 'str',
    #: label names: letters, digits and _, not starting with a digit
    'labels': 'Dict[str, str]',
    'severity': 'Literal["info", "warning", "critical"]',
    #: the metric is computed over this window ending now (default 5m; not 0); a duration: 0, or numbers (integer or
    #: decimal) with units ms, s, m, h, d, w written together from the largest unit down, e.g. 90s, 5m, 1h30m, 1.5h,
    #: 2d12h; at most 3650d, rounded to the millisecond
    'window': 'str',
}, total=False)
class CreateAlertRuleBody(_CreateAlertRuleBodyRequired, _CreateAlertRuleBodyOptional):
    """The JSON body of ``POST /api/v1/alerts/rules``: Create an alert rule"""


class _CreateDeploymentBodyRequired(TypedDict):
    #: lowercase letters, digits and dashes; 1–63 characters
    name: str
    routes: List[CreateDeploymentBodyRoutesItem]


class CreateDeploymentBody(_CreateDeploymentBodyRequired, total=False):
    """The JSON body of ``POST /api/v1/deployments``: Create a deployment (revision 1); loads and warms its
    models
    """
    #: unset fields take the defaults (256 rows, 2 ms, 4096 rows)
    batching: CreateDeploymentBodyBatching
    #: routes that get a copy of each request; results are logged, never returned
    shadow: List[CreateDeploymentBodyShadowItem]
    #: a request field whose value (hashed) pins a caller to one route
    sticky_key: str


class CreateDeploymentBodyBatching(TypedDict, total=False):
    """unset fields take the defaults (256 rows, 2 ms, 4096 rows)"""
    #: rows per model call
    max_batch_size: int
    #: how long a request may wait for others to fill a batch
    max_queue_delay_ms: int
    #: rows waiting beyond which requests are refused with 503
    max_queue_rows: int


class _CreateDeploymentBodyRoutesItemRequired(TypedDict):
    #: registered model name
    model: str


class CreateDeploymentBodyRoutesItem(_CreateDeploymentBodyRoutesItemRequired, total=False):
    #: an alias the route follows when it moves (or give version)
    alias: str
    #: a version number (or give alias)
    version: str
    #: relative share of traffic (default 100)
    weight: float


class _CreateDeploymentBodyShadowItemRequired(TypedDict):
    #: registered model name
    model: str


class CreateDeploymentBodyShadowItem(_CreateDeploymentBodyShadowItemRequired, total=False):
    """a model version: exactly one of version or alias"""
    #: an alias the route follows when it moves (or give version)
    alias: str
    #: a version number (or give alias)
    version: str


class _CreateExperimentBodyRequired(TypedDict):
    name: str


class CreateExperimentBody(_CreateExperimentBodyRequired, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/experiments/create``: Create an experiment"""
    #: where the runs' artifacts go; default mlflow-artifacts:/<id>
    artifact_location: str
    tags: List[LogBatchBodyTagsItem]


class CreateExperimentResponse(TypedDict):
    """The answer of ``POST /api/2.0/mlflow/experiments/create``: Create an experiment"""
    experiment_id: str


class _CreateFairnessReportBodyRequired(TypedDict):
    #: a registered dataset
    dataset: str
    #: a version number, or 'latest'
    dataset_version: Union[int, str]
    #: a column of the dataset (offline) or a logged model input (live)
    label: str
    sensitive_features: List[str]


class CreateFairnessReportBody(_CreateFairnessReportBodyRequired, total=False):
    """The JSON body of ``POST /api/v1/models/{name}/versions/{version}/fairness``: Score a dataset version with
    the model version and store its fairness report (metrics by group, parity, four-fifths, intervals)
    """
    bootstrap: CreateFairnessReportBodyBootstrap
    #: group metrics (default selection_rate, accuracy, true_positive_rate, false_positive_rate); tpr/fpr/tnr/fnr
    #: are short names
    metrics: List[Literal["selection_rate", "true_positive_rate", "false_positive_rate", "true_negative_rate", "false_negative_rate", "accuracy", "precision", "recall", "count", "tpr", "fpr", "tnr", "fnr"]]
    #: groups with fewer rows are flagged insufficient (default 30)
    min_group_size: int
    #: a row whose sensitive value is missing: 'group' (default) puts it in a group of its own, '(missing)'; 'drop'
    #: leaves it out (counted); 'refuse' answers 400, as Fairlearn raises
    missing_sensitive: Literal["group", "drop", "refuse"]
    pos_label: Optional[Union[str, float, bool]]
    #: the model output read as the predicted label
    prediction: str
    #: a column of the dataset holding each row's weight (a finite number ≥ 0), as Fairlearn's sample_weight
    sample_weight: str


class CreateFairnessReportBodyBootstrap(TypedDict, total=False):
    #: default 0.95
    level: float
    #: replicates (default 1000)
    samples: int
    #: default 42
    seed: int


class _CreateLoggedModelBodyRequired(TypedDict):
    #: the experiment's id, e.g. "0"
    experiment_id: str


class CreateLoggedModelBody(_CreateLoggedModelBodyRequired, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/logged-models``: Create a logged model (status
    LOGGED_MODEL_PENDING until finalised)
    """
    model_type: str
    #: default: a random name
    name: str
    params: List[LogBatchBodyTagsItem]
    source_run_id: str
    tags: List[LogBatchBodyTagsItem]


class _CreateLoopBodyRequired(TypedDict):
    #: lowercase letters, digits and dashes; 1–63 characters
    deployment: str
    gate: GetLoopResponseLoopSpecGate
    #: a registered model
    model: str
    #: unique loop name: lowercase letters, digits and dashes; 1–63 characters
    name: str
    rollout: GetLoopResponseLoopSpecRollout


class CreateLoopBody(_CreateLoopBodyRequired, total=False):
    """The JSON body of ``POST /api/v1/loops``: Create a loop on a registered model and the deployment that
    serves it
    """
    approvals: List[GetLoopResponseLoopSpecApprovalsItem]
    #: triggers closer than this to the last run start are coalesced into it (default 10m); a duration: 0, or
    #: numbers (integer or decimal) with units ms, s, m, h, d, w written together from the largest unit down, e.g.
    #: 90s, 5m, 1h30m, 1.5h, 2d12h; at most 3650d, rounded to the millisecond
    debounce: str
    description: str
    #: every run only reports what it would decide: no deployment or alias changes (default false)
    dry_run: bool
    training: Optional[GetLoopResponseLoopSpecTraining]
    triggers: List[GetLoopResponseLoopSpecTriggersItem]


class _CreateModelVersionBodyRequired(TypedDict):
    #: the registered model's name
    name: str
    #: where the files are: runs:/<run_id>/<path>, models:/m-<id> (a logged model), mlflow-artifacts:/…, or any URI
    source: str


class CreateModelVersionBody(_CreateModelVersionBodyRequired, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/model-versions/create``: Create a model version"""
    description: str
    #: the logged model (m-…) it comes from
    model_id: str
    #: the run that produced it; taken from the logged model when absent
    run_id: str
    run_link: str
    tags: List[LogBatchBodyTagsItem]


class _CreateNotifierBodyRequired(TypedDict):
    #: letters, digits and _ . -, at most 64 characters
    name: str
    #: http(s) URL without credentials; checked against the destination allow/deny list
    url: str


class CreateNotifierBody(_CreateNotifierBodyRequired, total=False):
    """The JSON body of ``POST /api/v1/alerts/notifiers``: Add a webhook or Slack notifier (the URL is checked
    against the destination list)
    """
    enabled: bool
    #: webhook: Ferry's signed JSON body (docs/alerts.md); slack: a Slack incoming webhook; alertmanager: Prometheus
    #: Alertmanager's webhook body (version 4), for on-call tools that take Alertmanager's notifications
    kind: Literal["webhook", "slack", "alertmanager"]
    #: HMAC-SHA256 key receivers verify signatures with (required for webhook); write-only
    secret: str


class _CreateRegisteredModelBodyRequired(TypedDict):
    #: the registered model's name
    name: str


class CreateRegisteredModelBody(_CreateRegisteredModelBodyRequired, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/registered-models/create``: Create a registered model"""
    description: str
    tags: List[LogBatchBodyTagsItem]


class CreateRunBody(TypedDict, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/runs/create``: Create a run"""
    #: default "0" (the Default experiment)
    experiment_id: str
    #: default: a random name; must agree with a mlflow.runName tag
    run_name: str
    #: epoch ms; default now
    start_time: int
    tags: List[LogBatchBodyTagsItem]
    #: default: the caller's name
    user_id: str


class _CreateSilenceBodyRequired(TypedDict):
    #: every matcher must match
    matchers: List[Union[CreateSilenceBodyMatchersItemVariant1, str]]


class CreateSilenceBody(_CreateSilenceBodyRequired, total=False):
    """The JSON body of ``POST /api/v1/alerts/silences``: Silence alerts matching every matcher for a period"""
    comment: str
    #: how long from starts_at (or give ends_at); a duration: 0, or numbers (integer or decimal) with units ms, s,
    #: m, h, d, w written together from the largest unit down, e.g. 90s, 5m, 1h30m, 1.5h, 2d12h; at most 3650d,
    #: rounded to the millisecond
    duration: str
    #: when it ends (or give duration): ISO 8601, epoch milliseconds, or a duration ago such as 1h30m or 1.5h
    ends_at: Union[str, int]
    #: when the silence starts (default now): ISO 8601, epoch milliseconds, or a duration ago such as 1h30m or 1.5h
    starts_at: Union[str, int]


class _CreateSilenceBodyMatchersItemVariant1Required(TypedDict):
    #: deployment, rule, severity, metric or a label name
    name: str
    #: the whole value, or a regular expression matching all of it
    value: str


class CreateSilenceBodyMatchersItemVariant1(_CreateSilenceBodyMatchersItemVariant1Required, total=False):
    is_regex: bool


class _CreateStreamBindingBodyRequired(TypedDict):
    #: the topic (kafka), stream key (redis) or subject (nats) to consume: letters, digits, '.', '_' and '-'
    input: str
    #: kafka (a topic, consumer group), redis (a Redis stream, XREADGROUP group) or nats (a JetStream subject,
    #: durable consumer)
    kind: Literal["kafka", "redis", "nats"]
    #: lowercase letters, digits and dashes; 1–63 characters
    name: str
    #: where results go: letters, digits, '.', '_' and '-'
    output: str
    #: kafka: bootstrap servers as host:port[,host:port…]; redis: redis://[host][:port][/db] (or rediss:// for TLS);
    #: nats: nats://host:port[,nats://…] (or tls://…). No credentials in the URL: give them in `credentials`.
    url: str


class CreateStreamBindingBody(_CreateStreamBindingBodyRequired, total=False):
    """The JSON body of ``POST /api/v1/deployments/{name}/streams``: Bind a deployment to a stream: consume its
    input, produce results to its output
    """
    #: messages fetched per read (default 100)
    batch_size: int
    #: format bytes: each row's numbers (default float32)
    bytes_dtype: Literal["float32", "float64"]
    #: messages being scored at once per replica (default 64)
    concurrency: int
    #: write-only: stored encrypted, never returned (a binding answers has_credentials)
    credentials: CreateStreamBindingBodyCredentials
    #: where messages that cannot be scored go, with the reason (default: the input's name + '.dlq'): letters,
    #: digits, '.', '_' and '-'
    dead_letter: str
    #: consume (default true); false stops consuming and keeps the binding
    enabled: bool
    #: records: a JSON object per message, one row ({feature: value}) or MLflow's scoring forms (instances,
    #: dataframe_split, dataframe_records, inputs); v2: the Open Inference Protocol's JSON inference request; bytes:
    #: rows of little-endian numbers in the model's feature order, as `bytes_dtype` says
    format: Literal["records", "v2", "bytes"]
    #: the consumer group (kafka, redis) or durable consumer (nats) every replica joins (default
    #: 'ferry-<deployment>-<binding>')
    group: str
    #: a field of the message whose value is the request id (records and v2: a top-level field; v2's `id` by
    #: default). Absent: the id comes from the message's place in the stream (topic, partition and offset; the
    #: stream entry id; the stream sequence), so a redelivered message gets the same id
    id_field: str
    #: a field of the message whose value is the sticky unit (A/B tests, sticky routes); absent: the message's key
    #: (kafka) when it has one, else the deployment's sticky key
    key_field: str
    #: how long a read waits for messages (default 100 ms)
    max_wait_ms: int
    #: connect with TLS (kafka; redis and nats also take rediss:// and tls:// URLs). Default false
    tls: bool


class _CreateStreamBindingBodyCredentialsRequired(TypedDict):
    password: str
    username: str


class CreateStreamBindingBodyCredentials(_CreateStreamBindingBodyCredentialsRequired, total=False):
    """write-only: stored encrypted, never returned (a binding answers has_credentials)"""
    #: kafka SASL mechanism (default plain)
    mechanism: Literal["plain", "scram-sha-256", "scram-sha-512"]


class _CreateTokenBodyRequired(TypedDict):
    #: 1–100 letters, digits, '_', '-', '.' or '@'
    name: str


class CreateTokenBody(_CreateTokenBodyRequired, total=False):
    """The JSON body of ``POST /api/v1/tokens``: Create an API token (the secret is shown once)"""
    #: the one deployment the token may call, prediction routes only (lowercase letters, digits and dashes; 1–63
    #: characters)
    deployment: str
    #: how long the token is accepted, from now (absent: until revoked); a duration: 0, or numbers (integer or
    #: decimal) with units ms, s, m, h, d, w written together from the largest unit down, e.g. 90s, 5m, 1h30m, 1.5h,
    #: 2d12h; at most 3650d, rounded to the millisecond
    expires_in: str
    #: viewer reads; editor writes; admin manages tokens, users and the audit log
    role: Literal["viewer", "editor", "admin"]


class CreateTokenResponse(TypedDict):
    """The answer of ``POST /api/v1/tokens``: Create an API token (the secret is shown once)"""
    #: milliseconds since the Unix epoch
    created_at: int
    #: the one deployment a prediction-only token may call (its prediction routes); null: an ordinary token, its
    #: role says what it may do
    deployment: Optional[str]
    #: milliseconds since the Unix epoch from which the token is refused (401, saying it expired); null: never
    expires_at: Optional[int]
    name: str
    #: viewer reads; editor writes; admin manages tokens, users and the audit log
    role: Literal["viewer", "editor", "admin"]
    #: the secret, shown once
    token: str
    token_id: str


class _CreateUserBodyRequired(TypedDict):
    #: 1–100 letters, digits, '_', '-', '.' or '@'
    username: str


class CreateUserBody(_CreateUserBodyRequired, total=False):
    """The JSON body of ``POST /api/v1/users``: Create a user for basic auth (the generated password is shown
    once)
    """
    #: viewer reads; editor writes; admin manages tokens, users and the audit log
    role: Literal["viewer", "editor", "admin"]


class CreateUserResponse(TypedDict):
    """The answer of ``POST /api/v1/users``: Create a user for basic auth (the generated password is shown once)"""
    #: generated; shown once
    password: str
    #: viewer reads; editor writes; admin manages tokens, users and the audit log
    role: Literal["viewer", "editor", "admin"]
    username: str


class DeleteDatasetVersionResponse(TypedDict):
    """The answer of ``DELETE /api/v1/datasets/{name}/versions/{ref}``: Delete a version (refused while a run or
    model version used it, unless force=true)
    """
    deleted: SetDatasetTagResponseVersion


class DeleteExperimentTagBody(TypedDict):
    """The JSON body of ``POST /api/2.0/mlflow/experiments/delete-experiment-tag``: Delete an experiment tag"""
    #: the experiment's id, e.g. "0"
    experiment_id: str
    #: letters, digits, '_', '-', '.', ' ', ':' and '/'; at most 250 characters
    key: str


class DeleteModelVersionTagBody(TypedDict):
    """The JSON body of ``DELETE /api/2.0/mlflow/model-versions/delete-tag``: Delete a model version tag"""
    key: str
    #: the registered model's name
    name: str
    #: a version number, as a string (MLflow sends int64 as strings); a JSON number is accepted too
    version: str


class DeleteRegisteredModelAliasBody(TypedDict):
    """The JSON body of ``DELETE /api/2.0/mlflow/registered-models/alias``: Delete an alias"""
    alias: str
    #: the registered model's name
    name: str


class DeleteRegisteredModelBody(TypedDict):
    """The JSON body of ``DELETE /api/2.0/mlflow/registered-models/delete``: Delete a registered model and its
    versions
    """
    #: the registered model's name
    name: str


class DeleteRegisteredModelTagBody(TypedDict):
    """The JSON body of ``DELETE /api/2.0/mlflow/registered-models/delete-tag``: Delete a registered model tag"""
    key: str
    #: the registered model's name
    name: str


class DeleteRunBody(TypedDict, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/runs/delete``: Delete a run (soft)"""
    #: the run's id (run_uuid is accepted for older clients)
    run_id: str
    #: deprecated alias of run_id
    run_uuid: str


class _DeleteTagBodyRequired(TypedDict):
    #: letters, digits, '_', '-', '.', ' ', ':' and '/'; at most 250 characters
    key: str


class DeleteTagBody(_DeleteTagBodyRequired, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/runs/delete-tag``: Delete a run tag"""
    #: the run's id (run_uuid is accepted for older clients)
    run_id: str
    #: deprecated alias of run_id
    run_uuid: str


class DiffDatasetVersionsResponse(TypedDict):
    """The answer of ``GET /api/v1/datasets/{name}/diff``: Schema and distribution diff between two versions (to
    may name another dataset as NAME@VERSION)
    """
    diff: DiffDatasetVersionsResponseDiff


DiffDatasetVersionsResponseDiff = TypedDict('DiffDatasetVersionsResponseDiff', {
    #: each shared column's drift, the older version as the reference
    'drift': 'List[GetDriftResponsePrediction]',
    'from': 'DiffDatasetVersionsResponseDiffTo',
    'identical': 'bool',
    'schema': 'TableDriftResponseSchema',
    #: shared columns no test could compare
    'skipped': 'List[TableDriftResponseSkippedItem]',
    'summary': 'TableDriftResponseSummary',
    'to': 'DiffDatasetVersionsResponseDiffTo',
})


class DiffDatasetVersionsResponseDiffTo(TypedDict):
    digest: str
    ref: str
    rows: int


class EvaluateAlertsResponse(TypedDict):
    """The answer of ``POST /api/v1/alerts/evaluate``: Evaluate every rule now; answers the transitions and
    notifications
    """
    #: milliseconds since the Unix epoch
    evaluated_at: int
    notifications: List[EvaluateAlertsResponseNotificationsItem]
    #: enabled rules evaluated
    rules: int
    transitions: List[EvaluateAlertsResponseTransitionsItem]


class EvaluateAlertsResponseNotificationsItem(TypedDict):
    alert_status: Literal["firing", "resolved"]
    attempts: int
    deployment: str
    group_key: str
    id: str
    last_error: Optional[str]
    notifier: Optional[str]
    #: the rules listed in it
    rules: List[str]
    status: Literal["sent", "failed", "silenced"]


EvaluateAlertsResponseTransitionsItem = TypedDict('EvaluateAlertsResponseTransitionsItem', {
    #: milliseconds since the Unix epoch
    'at': 'int',
    'deployment': 'str',
    'event': 'Literal["pending", "firing", "resolved", "inactive"]',
    'from': 'Literal["inactive", "pending", "firing"]',
    'metric': 'str',
    'rule': 'str',
    'rule_id': 'str',
    'to': 'Literal["inactive", "pending", "firing"]',
    'value': 'Optional[float]',
})


class _ExplainDeploymentBodyRequired(TypedDict):
    #: the rows to explain, {feature: value}
    instances: List[Dict[str, Any]]


class ExplainDeploymentBody(_ExplainDeploymentBodyRequired, total=False):
    """The JSON body of ``POST /api/v1/deployments/{name}/explain``: Explain a deployment's predictions for given
    rows (Shapley values)
    """
    background: ExplainDeploymentBodyBackground
    budget: ExplainDeploymentBodyBudget
    #: default auto: TreeSHAP for a tree ensemble, linear (exact, margin space) for a linear model, exact up to 10
    #: features, else kernel
    method: Literal["auto", "tree", "linear", "kernel", "exact", "permutation"]
    #: seeds the sampling explainers (default 0)
    seed: int


class _ExplainDeploymentBodyBackgroundRequired(TypedDict):
    #: a registered dataset
    dataset: str
    #: its version number
    version: str


class ExplainDeploymentBodyBackground(_ExplainDeploymentBodyBackgroundRequired, total=False):
    #: rows sampled (seeded) from it; default 100 model-agnostic, 1000 for TreeSHAP and linear
    rows: int


class ExplainDeploymentBodyBudget(TypedDict, total=False):
    #: model rows the explanation may evaluate (default 5,000,000)
    max_evaluations: int
    #: wall-clock milliseconds it may run (default 30,000)
    timeout_ms: int


class ExplainDeploymentResponse(TypedDict):
    """The answer of ``POST /api/v1/deployments/{name}/explain``: Explain a deployment's predictions for given
    rows (Shapley values)
    """
    #: max over rows and outputs of |base + Σφ − f(x)| / max(1, |f(x)|)
    additivity_max_error: float
    background: ModelImportanceResponseBackground
    #: per output: the mean model output over the background
    base_values: List[float]
    #: model rows evaluated (0 for TreeSHAP and linear, which read the graph)
    evaluations: int
    explanations: List[ExplainDeploymentResponseExplanationsItem]
    method: Literal["tree_interventional", "kernel", "exact", "permutation", "linear"]
    model: str
    model_version: str
    #: probability: a classifier's class probabilities; margin: its raw score before the link; raw: a regressor's
    #: value
    output_space: Literal["probability", "margin", "raw"]
    #: the explained outputs, in order
    outputs: List[str]
    #: the budget ran out: the attributions are an estimate (they still add up)
    truncated: bool


class ExplainDeploymentResponseExplanationsItem(TypedDict):
    #: per output: {feature: φ}
    attributions: List[Dict[str, float]]
    #: per output: f(x), what base + Σφ adds up to
    prediction: List[float]


class _FinalizeLoggedModelBodyRequired(TypedDict):
    status: Literal["LOGGED_MODEL_STATUS_UNSPECIFIED", "LOGGED_MODEL_PENDING", "LOGGED_MODEL_READY", "LOGGED_MODEL_UPLOAD_FAILED"]


class FinalizeLoggedModelBody(_FinalizeLoggedModelBodyRequired, total=False):
    """The JSON body of ``PATCH /api/2.0/mlflow/logged-models/{model_id}``: Finalise a logged model (set its
    status)
    """
    #: the same as the path (the mlflow client sends it)
    model_id: str


class _FlaggerWebhookBodyRequired(TypedDict):
    #: the Canary's name
    name: str
    #: the Canary's namespace
    namespace: str


class FlaggerWebhookBody(_FlaggerWebhookBodyRequired, total=False):
    """The JSON body of ``POST /api/v1/loops/{name}/flagger/{hook}``: A Flagger webhook gated on the loop's
    current (or last) run: 200 advances the canary, 412 halts it
    """
    #: a hash of the Canary's tracked configuration
    checksum: str
    #: the webhook's metadata, as the Canary spec gives it
    metadata: Dict[str, str]
    #: the Canary's phase (Progressing, Promoting, …)
    phase: str


class FlaggerWebhookResponse(TypedDict):
    """The answer of ``POST /api/v1/loops/{name}/flagger/{hook}``: A Flagger webhook gated on the loop's current
    (or last) run: 200 advances the canary, 412 halts it
    """
    hook: Literal["confirm-rollout", "confirm-traffic-increase", "rollout", "confirm-promotion", "rollback"]
    loop_run: Optional[int]
    #: true: the canary may go on (or, for rollback, Flagger should roll back)
    ok: bool
    phase: Optional[Literal["triggered", "training", "registered", "evaluating", "shadow", "canary", "awaiting_approval", "approved", "promoted", "rolled_back", "rejected", "failed", "cancelled", "dry_run"]]
    #: one sentence saying why
    reason: str
    state: Optional[Literal["running", "awaiting_approval", "promoted", "rolled_back", "rejected", "failed", "cancelled", "dry_run"]]
    verdict: Optional[Literal["pass", "fail", "inconclusive", "insufficient_data"]]


class GetAbTestReportResponse(TypedDict):
    """The answer of ``GET /api/v1/abtests/{name}/report``: The report: per metric and arm, mature and pending
    units, the effect with its interval, p-value, verdict and why; the sample-ratio check
    """
    abtest: str
    alpha: float
    #: milliseconds since the Unix epoch
    at: int
    decision: GetAbTestReportResponseDecision
    #: the primary metric over time (with history=true)
    history: List[GetAbTestReportResponseHistoryItem]
    method: Literal["sequential", "fixed", "bayesian"]
    metrics: List[GetAbTestReportResponseMetricsItem]
    srm: GetAbTestReportResponseSrm
    state: Literal["draft", "running", "stopped"]


class GetAbTestReportResponseDecision(TypedDict):
    #: the primary metric and the guardrails in one sentence
    reason: str
    verdict: Literal["better", "worse", "inconclusive", "insufficient_data"]


class GetAbTestReportResponseHistoryItem(TypedDict):
    arm: str
    #: milliseconds since the Unix epoch
    at: int
    estimate: Optional[float]
    lower: Optional[float]
    metric: str
    units: int
    upper: Optional[float]


class GetAbTestReportResponseMetricsItem(TypedDict):
    arms: List[GetAbTestReportResponseMetricsItemArmsItem]
    comparisons: List[GetAbTestReportResponseMetricsItemComparisonsItem]
    direction: Literal["increase", "decrease"]
    kind: Literal["proportion", "mean", "ratio"]
    metric: str
    role: Literal["primary", "guardrail"]


class GetAbTestReportResponseMetricsItemArmsItem(TypedDict):
    #: the model version
    arm: str
    cuped_mean: Optional[float]
    mean: Optional[float]
    #: exposed units whose window is still open (not counted yet)
    pending_units: int
    #: mature units: their window has closed
    units: int


class GetAbTestReportResponseMetricsItemComparisonsItem(TypedDict):
    absolute: Optional[GetAbTestReportResponseMetricsItemComparisonsItemAbsolute]
    adjusted_p_value: Optional[float]
    #: the treatment arm
    arm: str
    chance_to_win: Optional[float]
    control: str
    p_value: Optional[float]
    #: one sentence saying why
    reason: str
    relative: Optional[GetAbTestReportResponseMetricsItemComparisonsItemAbsolute]
    risk: Optional[GetAbTestReportResponseMetricsItemComparisonsItemRisk]
    verdict: Literal["better", "worse", "inconclusive", "insufficient_data"]


class GetAbTestReportResponseMetricsItemComparisonsItemAbsolute(TypedDict):
    estimate: float
    lower: Optional[float]
    p_value: Optional[float]
    stderr: float
    upper: Optional[float]


class GetAbTestReportResponseMetricsItemComparisonsItemRisk(TypedDict):
    control: float
    treatment: float


class GetAbTestReportResponseSrm(TypedDict):
    chi_squared: Optional[float]
    #: p < 0.001: the split differs from the configured weights; results are suspect
    flagged: bool
    p_value: Optional[float]
    reason: str
    units: List[GetAbTestReportResponseSrmUnitsItem]


class GetAbTestReportResponseSrmUnitsItem(TypedDict):
    arm: str
    expected_share: float
    observed_share: Optional[float]
    units: int


class GetAbTestResponse(TypedDict):
    """The answer of ``GET /api/v1/abtests/{name}``: One A/B test"""
    abtest: GetAbTestResponseAbtest


class GetAbTestResponseAbtest(TypedDict):
    arms: List[GetAbTestResponseAbtestArmsItem]
    control: str
    #: milliseconds since the Unix epoch
    created_at: int
    created_by: str
    deployment: str
    description: Optional[str]
    guardrails: List[GetAbTestResponseAbtestPrimaryMetric]
    id: str
    name: str
    primary_metric: GetAbTestResponseAbtestPrimaryMetric
    settings: GetAbTestResponseAbtestSettings
    started_at: Optional[int]
    state: Literal["draft", "running", "stopped"]
    stop_reason: Optional[str]
    stopped_at: Optional[int]
    stopped_by: Optional[str]
    unit_key: Optional[str]


class GetAbTestResponseAbtestArmsItem(TypedDict):
    version: str
    weight: float


class _GetAbTestResponseAbtestPrimaryMetricRequired(TypedDict):
    #: proportion: share of units with an event of the metric in their window; mean: the sum of the unit's values in
    #: its window, averaged over units; ratio: the sum of the metric over the sum of `denominator` (delta method)
    kind: Literal["proportion", "mean", "ratio"]
    #: an outcome metric: letters, digits and _ . : -, at most 128 characters (e.g. conversion, revenue)
    metric: str
    #: attribution window: a unit counts once this long has passed since its first exposure (plus the delay); a
    #: duration: 0, or numbers (integer or decimal) with units ms, s, m, h, d, w written together from the largest
    #: unit down, e.g. 90s, 5m, 1h30m, 1.5h, 2d12h; at most 3650d, rounded to the millisecond
    window: str


class GetAbTestResponseAbtestPrimaryMetric(_GetAbTestResponseAbtestPrimaryMetricRequired, total=False):
    cuped_lookback: Optional[str]
    #: events this soon after the first exposure are not counted (default 0); a duration: 0, or numbers (integer or
    #: decimal) with units ms, s, m, h, d, w written together from the largest unit down, e.g. 90s, 5m, 1h30m, 1.5h,
    #: 2d12h; at most 3650d, rounded to the millisecond
    delay: str
    #: ratio only: the denominator's metric, or $requests (the unit's predictions)
    denominator: str
    #: which way is better (default increase)
    direction: Literal["increase", "decrease"]


class GetAbTestResponseAbtestSettings(TypedDict):
    alpha: float
    correction: Literal["holm", "benjamini-hochberg", "none"]
    method: Literal["sequential", "fixed", "bayesian"]
    prior_mean: float
    prior_stddev: float
    proper_prior: bool
    sequential_tuning: float


class GetAlertDestinationsResponse(TypedDict):
    """The answer of ``GET /api/v1/alerts/destinations``: Where notifiers may send: the allow/deny list"""
    destinations: GetAlertDestinationsResponseDestinations


class GetAlertDestinationsResponseDestinations(TypedDict):
    allow: List[str]
    allow_only: bool
    deny: List[str]


class GetAlertRuleResponse(TypedDict):
    """The answer of ``GET /api/v1/alerts/rules/{id}``: An alert rule (by id or name)"""
    rule: GetAlertRuleResponseRule


GetAlertRuleResponseRule = TypedDict('GetAlertRuleResponseRule', {
    'comparison': 'Literal[">", ">=", "<", "<=", "==", "!="]',
    #: milliseconds since the Unix epoch
    'created_at': 'int',
    'created_by': 'str',
    'deployment': 'str',
    'enabled': 'bool',
    'for': 'str',
    'for_ms': 'int',
    'id': 'str',
    'keep_firing_for': 'str',
    'keep_firing_for_ms': 'int',
    'labels': 'Dict[str, str]',
    'metric': 'str',
    'name': 'str',
    'severity': 'Literal["info", "warning", "critical"]',
    'threshold': 'float',
    #: milliseconds since the Unix epoch
    'updated_at': 'int',
    'window': 'str',
    'window_ms': 'int',
})


class GetApprovalGateResponse(TypedDict):
    """The answer of ``GET /api/v1/models/{name}/versions/{version}/gate``: Whether the alias may point at the
    version now: every check with its reason, approvals counted, unmet conditions
    """
    alias: str
    approvals: GetApprovalGateResponseApprovals
    #: who created the version and its source run: their approvals never count
    authors: List[str]
    checks: List[GetApprovalGateResponseChecksItem]
    #: the version's card (facts) hash now; approvals recorded with another are superseded
    facts_hash: str
    #: false: no policy guards this alias, so any version may take it
    has_policy: bool
    model: str
    #: the verdict in one sentence
    reason: str
    satisfied: bool
    #: each condition not met, one sentence each
    unmet: List[str]
    version: str


class GetApprovalGateResponseApprovals(TypedDict):
    approvers: List[str]
    counted: int
    not_counted: List[GetApprovalGateResponseApprovalsNotCountedItem]
    rejected_by: List[str]
    required: int


class GetApprovalGateResponseApprovalsNotCountedItem(TypedDict):
    actor: str
    reason: str


class GetApprovalGateResponseChecksItem(TypedDict):
    evidence: Dict[str, Any]
    kind: Literal["metric", "fairness", "card", "validation"]
    name: str
    passed: bool
    #: one sentence
    reason: str


class GetApprovalPolicyResponse(TypedDict):
    """The answer of ``GET /api/v1/models/{name}/policies/{alias}``: The alias's approval policy"""
    policy: GetApprovalPolicyResponsePolicy


class GetApprovalPolicyResponsePolicy(TypedDict):
    alias: str
    checks: List[Union[GetApprovalPolicyResponsePolicyChecksItemMetric, GetApprovalPolicyResponsePolicyChecksItemFairness, GetApprovalPolicyResponsePolicyChecksItemCard, GetApprovalPolicyResponsePolicyChecksItemValidation]]
    #: milliseconds since the Unix epoch
    created_at: int
    created_by: str
    description: str
    model: str
    required_approvals: int
    roles: List[Literal["editor", "admin"]]
    #: milliseconds since the Unix epoch
    updated_at: int
    updated_by: str


class _GetApprovalPolicyResponsePolicyChecksItemCardRequired(TypedDict):
    kind: Literal["card"]
    #: the model card's sections that must be present and not stale (e.g. uses, training_data, evaluation, fairness)
    sections: List[Literal["identity", "uses", "risks", "training_data", "training_run", "evaluation", "fairness", "explanations", "monitoring", "approvals"]]


class GetApprovalPolicyResponsePolicyChecksItemCard(_GetApprovalPolicyResponsePolicyChecksItemCardRequired, total=False):
    #: how the gate names this check (default: built from the check)
    name: str


class _GetApprovalPolicyResponsePolicyChecksItemFairnessRequired(TypedDict):
    #: the sensitive feature the report analysed, or several (their intersections)
    features: List[str]
    kind: Literal["fairness"]
    #: a parity metric of the latest stored fairness report that analysed these features
    metric: Literal["demographic_parity_difference", "demographic_parity_ratio", "equalized_odds_difference", "equalized_odds_ratio", "equal_opportunity_difference", "equal_opportunity_ratio"]


class GetApprovalPolicyResponsePolicyChecksItemFairness(_GetApprovalPolicyResponsePolicyChecksItemFairnessRequired, total=False):
    #: the value must be at most this (a difference: e.g. 0.1)
    max: float
    #: default between_groups
    method: Literal["between_groups", "to_overall"]
    #: the value must be at least this (a ratio: e.g. 0.8)
    min: float
    #: how the gate names this check (default: built from the check)
    name: str


class _GetApprovalPolicyResponsePolicyChecksItemMetricRequired(TypedDict):
    kind: Literal["metric"]
    #: a metric of the version's source run (its latest value), e.g. accuracy
    metric: str
    #: the value must be at least (>=) or at most (<=) the threshold
    op: Literal[">=", "<="]
    #: the bound
    threshold: float


class GetApprovalPolicyResponsePolicyChecksItemMetric(_GetApprovalPolicyResponsePolicyChecksItemMetricRequired, total=False):
    #: how the gate names this check (default: built from the check)
    name: str


class _GetApprovalPolicyResponsePolicyChecksItemValidationRequired(TypedDict):
    kind: Literal["validation"]


class GetApprovalPolicyResponsePolicyChecksItemValidation(_GetApprovalPolicyResponsePolicyChecksItemValidationRequired, total=False):
    #: how the gate names this check (default: built from the check)
    name: str
    #: only this suite (default: every suite that validated the data)
    suite: str


class GetCardFieldsResponse(TypedDict):
    """The answer of ``GET /api/v1/models/{name}/card``: A model's authored card fields (the model's and each
    version's)
    """
    #: the model level first, then versions
    levels: List[GetCardFieldsResponseLevelsItem]
    model: str


class GetCardFieldsResponseLevelsItem(TypedDict):
    fields: Dict[str, str]
    #: milliseconds since the Unix epoch
    updated_at: int
    updated_by: str
    version: Optional[str]


class GetCardStatusResponse(TypedDict):
    """The answer of ``GET /api/v1/models/{name}/versions/{version}/card/status``: A card's hash and the state of
    each section (what approvals sign)
    """
    content_hash: str
    #: the same as content_hash
    hash: str
    model: str
    sections: List[GetCardStatusResponseSectionsItem]
    stale_sections: List[Literal["identity", "uses", "risks", "training_data", "training_run", "evaluation", "fairness", "explanations", "monitoring", "approvals"]]
    version: str


class GetCardStatusResponseSectionsItem(TypedDict):
    as_of: Optional[int]
    id: Literal["identity", "uses", "risks", "training_data", "training_run", "evaluation", "fairness", "explanations", "monitoring", "approvals"]
    #: the same as id
    name: str
    #: status is 'present'
    present: bool
    stale: bool
    status: Literal["present", "empty", "unavailable"]


class GetClusterStatusResponse(TypedDict):
    """The answer of ``GET /api/v1/cluster``: The live replicas and who holds each once-per-cluster task"""
    #: how often replicas write their heartbeat
    heartbeat_ms: int
    leases: List[GetClusterStatusResponseLeasesItem]
    #: the id of the replica that answered
    replica: str
    #: replicas seen within three heartbeats, oldest first
    replicas: List[GetClusterStatusResponseReplicasItem]


class GetClusterStatusResponseLeasesItem(TypedDict):
    #: epoch ms
    acquired_at: int
    #: epoch ms; past it another replica takes over
    expires_at: int
    #: the replica id running it
    holder: str
    #: alerts, retention, traffic_validation, …
    task: str


class GetClusterStatusResponseReplicasItem(TypedDict):
    #: the machine (or pod) name
    host: str
    #: random per process start
    id: str
    pid: int
    #: its last heartbeat, epoch ms
    seen_at: int
    #: the replica that answered
    self: bool
    #: epoch ms
    started_at: int
    #: draining: stopping, readiness off
    state: Literal["serving", "draining"]
    #: where it listens, as it sees itself
    url: Optional[str]
    version: str


class GetConversionResponse(TypedDict):
    """The answer of ``GET /api/v1/models/{name}/versions/{version}/conversion``: A model version's ONNX
    conversion: its state, the check's result, the ONNX file (404 when none was started)
    """
    conversion: GetConversionResponseConversion


class GetConversionResponseConversion(TypedDict):
    check: Optional[GetConversionResponseConversionCheck]
    #: an ISO 8601 time (UTC)
    created_at: str
    error: Optional[str]
    estimator: Optional[str]
    flavor: Optional[str]
    #: the conversion job (GET /api/v1/jobs/{id} for its log)
    job_id: str
    #: the conversion in a sentence (a refusal names the step and the estimator)
    message: str
    model: str
    onnx_path: Optional[str]
    #: who asked for it (the registering principal, the caller, or ferry:deploy)
    requested_by: str
    state: Literal["queued", "running", "succeeded", "failed"]
    step: Optional[Literal["load", "types", "convert", "verify", "upload", "job"]]
    #: an ISO 8601 time (UTC)
    updated_at: str
    version: str


class GetConversionResponseConversionCheck(TypedDict, total=False):
    """the job's check (conversion.json's `check`)"""
    compared: Optional[List[str]]
    labels_equal: Optional[bool]
    max_abs_diff: Optional[float]
    passed: Optional[bool]
    rows: Optional[Dict[str, Optional[int]]]
    tolerance: Optional[float]
    training_data: Optional[str]


class GetDatasetResponse(TypedDict):
    """The answer of ``GET /api/v1/datasets/{name}``: A dataset: description, tags and its latest version"""
    dataset: GetDatasetResponseDataset


class GetDatasetResponseDataset(TypedDict):
    #: ISO 8601 time
    created_at: str
    created_by: str
    description: str
    latest: Optional[SetDatasetTagResponseVersion]
    name: str
    #: tag → version number
    tags: Dict[str, int]
    #: ISO 8601 time
    updated_at: str


class GetDatasetVersionLineageResponse(TypedDict):
    """The answer of ``GET /api/v1/datasets/{name}/versions/{ref}/lineage``: Which runs and model versions used
    this version
    """
    lineage: GetDatasetVersionLineageResponseLineage


class GetDatasetVersionLineageResponseLineage(TypedDict):
    dataset: str
    digest: str
    model_versions: List[GetDatasetVersionLineageResponseLineageModelVersionsItem]
    ref: str
    runs: List[GetDatasetVersionLineageResponseLineageRunsItem]
    version: int


class GetDatasetVersionLineageResponseLineageModelVersionsItem(TypedDict):
    name: str
    run_id: Optional[str]
    status: str
    version: str


class GetDatasetVersionLineageResponseLineageRunsItem(TypedDict):
    context: Optional[str]
    experiment_id: str
    input_name: str
    run_id: str
    run_name: str
    status: str


class GetDatasetVersionResponse(TypedDict):
    """The answer of ``GET /api/v1/datasets/{name}/versions/{ref}``: A version (number, tag, latest or digest
    prefix) with its schema and, unless profile=false, its per-column profile
    """
    version: Union[GetDatasetVersionResponseVersionVariant1, SetDatasetTagResponseVersion]


class GetDatasetVersionResponseVersionVariant1(TypedDict):
    columns: int
    #: ISO 8601 time
    created_at: str
    created_by: str
    dataset: str
    description: str
    #: sha256 of the file's bytes (hex)
    digest: str
    #: the pushed file’s name, for display and downloads
    filename: str
    format: Literal["csv", "jsonl", "parquet"]
    profile: GetDatasetVersionResponseVersionVariant1Profile
    #: NAME@VERSION, what other commands and the API accept
    ref: str
    rows: int
    schema: SetDatasetTagResponseVersionSchema
    size_bytes: int
    tags: List[str]
    version: int


class GetDatasetVersionResponseVersionVariant1Profile(TypedDict):
    columns: List[GetDatasetVersionResponseVersionVariant1ProfileColumnsItem]
    rows: int


class GetDatasetVersionResponseVersionVariant1ProfileColumnsItem(TypedDict):
    basis: Optional[Literal["exact", "sketch"]]
    histogram: Optional[GetDatasetVersionResponseVersionVariant1ProfileColumnsItemHistogram]
    name: str
    nullable: bool
    summary: GetReferenceResponseReferenceColumnsValue
    type: Literal["integer", "float", "boolean", "string", "datetime"]


class GetDatasetVersionResponseVersionVariant1ProfileColumnsItemHistogram(TypedDict):
    """numeric columns: equal-width bins (edges has one more entry than counts)"""
    counts: List[float]
    edges: List[float]


class GetDeploymentResponse(TypedDict):
    """The answer of ``GET /api/v1/deployments/{name}``: A deployment, its spec and per-route status"""
    deployment: GetDeploymentResponseDeployment


class GetDeploymentResponseDeployment(TypedDict):
    #: milliseconds since the Unix epoch
    created_at: int
    created_by: str
    name: str
    revision: int
    spec: GetDeploymentResponseDeploymentSpec
    status: GetDeploymentResponseDeploymentStatus
    #: milliseconds since the Unix epoch
    updated_at: int


class _GetDeploymentResponseDeploymentSpecRequired(TypedDict):
    batching: GetDeploymentResponseDeploymentSpecBatching
    routes: List[GetDeploymentResponseDeploymentSpecRoutesItem]
    #: routes that get a copy of each request; results are logged, never returned
    shadow: List[GetDeploymentResponseDeploymentSpecShadowItem]


class GetDeploymentResponseDeploymentSpec(_GetDeploymentResponseDeploymentSpecRequired, total=False):
    #: a request field whose value (hashed) pins a caller to one route
    sticky_key: str


class GetDeploymentResponseDeploymentSpecBatching(TypedDict):
    #: rows per model call
    max_batch_size: int
    #: how long a request may wait for others to fill a batch
    max_queue_delay_ms: int
    #: rows waiting beyond which requests are refused with 503
    max_queue_rows: int


class _GetDeploymentResponseDeploymentSpecRoutesItemRequired(TypedDict):
    #: registered model name
    model: str
    #: relative share of traffic
    weight: float


class GetDeploymentResponseDeploymentSpecRoutesItem(_GetDeploymentResponseDeploymentSpecRoutesItemRequired, total=False):
    #: an alias the route follows when it moves (or give version)
    alias: str
    #: a version number (or give alias)
    version: str


class _GetDeploymentResponseDeploymentSpecShadowItemRequired(TypedDict):
    #: registered model name
    model: str


class GetDeploymentResponseDeploymentSpecShadowItem(_GetDeploymentResponseDeploymentSpecShadowItemRequired, total=False):
    """a model version: exactly one of version or alias"""
    #: an alias the route follows when it moves (or give version)
    alias: str
    #: a version number (or give alias)
    version: str


class GetDeploymentResponseDeploymentStatus(TypedDict):
    applied_revision: Optional[int]
    #: main routes first, then shadow routes
    routes: List[GetDeploymentResponseDeploymentStatusRoutesItem]
    serving_revision: Optional[int]


class _GetDeploymentResponseDeploymentStatusRoutesItemRequired(TypedDict):
    model: str
    #: a model version: exactly one of version or alias
    ref: GetDeploymentResponseDeploymentSpecShadowItem
    state: Literal["loading", "ready", "failed"]


class GetDeploymentResponseDeploymentStatusRoutesItem(_GetDeploymentResponseDeploymentStatusRoutesItemRequired, total=False):
    #: true when the route serves the ONNX model Ferry converted from the version's sklearn, xgboost or lightgbm
    #: flavor (GET /api/v1/models/{name}/versions/{version}/conversion has its check)
    converted: bool
    #: why the route failed to load
    reason: str
    #: the version the route resolved to (absent while loading or when it failed)
    version: str


class GetDeploymentTrafficResponse(TypedDict):
    """The answer of ``GET /api/v1/deployments/{name}/traffic``: A deployment's serving counters, summed over
    every live replica
    """
    #: epoch ms of the answer
    at: int
    deployment: str
    #: replicas summed (seen within three heartbeats)
    replicas: int
    #: cumulative counters of ferry_predictions_total, ferry_prediction_duration_seconds,
    #: ferry_shadow_predictions_total for this deployment, summed over replicas by name and labels (a replica that
    #: restarts starts from 0: read rates as Prometheus' increase() does)
    samples: List[GetDeploymentTrafficResponseSamplesItem]


class GetDeploymentTrafficResponseSamplesItem(TypedDict):
    labels: Dict[str, str]
    #: the sample name, with _bucket / _sum / _count for histograms
    name: str
    value: float


_GetDriftResponseRequired = TypedDict('_GetDriftResponseRequired', {
    'current': 'GetDriftResponseCurrent',
    'dataset_drift': 'bool',
    'deployment': 'str',
    #: share of drifted features at which the dataset counts as drifted
    'drift_share': 'float',
    'features': 'List[Union[GetDriftResponsePrediction, GetDriftResponseFeaturesItemVariant2]]',
    #: ISO 8601
    'from': 'str',
    'number_drifted': 'int',
    #: features judged (with values on both sides)
    'number_of_features': 'int',
    'prediction': 'Optional[GetDriftResponsePrediction]',
    'reference': 'GetDriftResponseReference',
    'share_drifted': 'float',
    #: ISO 8601
    'to': 'str',
})
_GetDriftResponseOptional = TypedDict('_GetDriftResponseOptional', {
    'model_version': 'str',
}, total=False)
class GetDriftResponse(_GetDriftResponseRequired, _GetDriftResponseOptional):
    """The answer of ``GET /api/v1/deployments/{name}/drift``: Drift of a window of traffic (from, to; default 24
    h) against the reference, per feature and for the prediction
    """


class GetDriftResponseCurrent(TypedDict):
    requests: int
    rows: int


class GetDriftResponseFeaturesItemVariant2(TypedDict):
    drifted: None
    name: str
    note: str


class _GetDriftResponsePredictionRequired(TypedDict):
    #: exact, on uniform samples, or from sketches
    basis: Literal["exact", "sample", "sketch"]
    current: GetDriftResponsePredictionCurrent
    drifted: Optional[bool]
    kind: Literal["numerical", "categorical"]
    #: the drift test
    method: Literal["ks", "chisquare", "z", "wasserstein", "jensenshannon", "psi", "kl_div", "hellinger"]
    name: str
    p_value: Optional[float]
    reference: GetDriftResponsePredictionCurrent
    statistic: Optional[float]
    threshold: float


class GetDriftResponsePrediction(_GetDriftResponsePredictionRequired, total=False):
    note: str


class _GetDriftResponsePredictionCurrentRequired(TypedDict):
    counts: List[float]
    #: non-missing values on this side
    rows: int
    shares: List[float]


class GetDriftResponsePredictionCurrent(_GetDriftResponsePredictionCurrentRequired, total=False):
    categories: List[Union[str, float, bool]]
    edges: List[float]
    overflow: GetDriftResponsePredictionCurrentUnseen
    underflow: GetDriftResponsePredictionCurrentUnseen
    unseen: GetDriftResponsePredictionCurrentUnseen


class GetDriftResponsePredictionCurrentUnseen(TypedDict):
    count: float
    share: float


class GetDriftResponseReference(TypedDict):
    created_at: str
    rows: int
    source: Union[GetDriftResponseReferenceSourceFile, GetDriftResponseReferenceSourceDataset, GetDriftResponseReferenceSourceWindow]


class _GetDriftResponseReferenceSourceDatasetRequired(TypedDict):
    #: NAME@VERSION
    dataset: str
    kind: Literal["dataset"]
    prediction: Optional[Union[GetDriftResponseReferenceSourceFilePredictionVariant1, GetDriftResponseReferenceSourceFilePredictionVariant2]]
    rows: int


class GetDriftResponseReferenceSourceDataset(_GetDriftResponseReferenceSourceDatasetRequired, total=False):
    #: MODEL/VERSION whose training data it is
    training_data_of: str


class GetDriftResponseReferenceSourceFile(TypedDict):
    format: Literal["csv", "jsonl"]
    kind: Literal["file"]
    prediction: Optional[Union[GetDriftResponseReferenceSourceFilePredictionVariant1, GetDriftResponseReferenceSourceFilePredictionVariant2]]
    rows: int


class GetDriftResponseReferenceSourceFilePredictionVariant1(TypedDict):
    #: the table’s column holding predictions
    column: str


class _GetDriftResponseReferenceSourceFilePredictionVariant2Required(TypedDict):
    #: the live model scored the table
    scored_by_model_version: str


class GetDriftResponseReferenceSourceFilePredictionVariant2(_GetDriftResponseReferenceSourceFilePredictionVariant2Required, total=False):
    #: rows scored, for a dataset version
    sample_rows: int


GetDriftResponseReferenceSourceWindow = TypedDict('GetDriftResponseReferenceSourceWindow', {
    'from': 'str',
    'kind': 'Literal["window"]',
    'to': 'str',
})


class GetDriftWindowsResponse(TypedDict):
    """The answer of ``GET /api/v1/deployments/{name}/drift/windows``: Drift per profile window over a time range
    (for charts)
    """
    deployment: str
    windows: List[GetDriftWindowsResponseWindowsItem]


class GetDriftWindowsResponseWindowsItem(TypedDict):
    dataset_drift: bool
    features: List[GetDriftWindowsResponseWindowsItemFeaturesItem]
    prediction: Optional[GetDriftWindowsResponseWindowsItemPrediction]
    rows: int
    share_drifted: float
    #: ISO 8601
    start: str


class GetDriftWindowsResponseWindowsItemFeaturesItem(TypedDict):
    drifted: Optional[bool]
    method: Optional[Literal["ks", "chisquare", "z", "wasserstein", "jensenshannon", "psi", "kl_div", "hellinger"]]
    name: str
    statistic: Optional[float]


class GetDriftWindowsResponseWindowsItemPrediction(TypedDict):
    drifted: Optional[bool]
    statistic: Optional[float]


GetEstimatedPerformanceResponse = TypedDict('GetEstimatedPerformanceResponse', {
    #: the band is ± band_width sampling errors (3, as nannyml)
    'band_width': 'float',
    'deployment': 'str',
    'from': 'str',
    'model': 'GetModelCardResponseVariant1Model',
    'notes': 'List[str]',
    'overall': 'GetEstimatedPerformanceResponseOverall',
    'reference': 'GetEstimatedPerformanceResponseReference',
    #: predictions by other model versions in the range (not estimated: the estimator is the reference's version's)
    'rows_other_versions': 'int',
    'to': 'str',
    'window': 'str',
    'windows': 'List[GetEstimatedPerformanceResponseOverall]',
})


class GetEstimatedPerformanceResponseOverall(TypedDict):
    end: str
    expected_confusion: Optional[GetEstimatedPerformanceResponseOverallExpectedConfusion]
    label_coverage: Optional[float]
    #: of those, rows with label feedback
    labelled: int
    metrics: Optional[GetEstimatedPerformanceResponseOverallMetrics]
    outside_band: List[str]
    #: answered predictions of the reference's model version in the window
    rows: int
    start: str


class GetEstimatedPerformanceResponseOverallExpectedConfusion(TypedDict):
    """Σ of calibrated probabilities by predicted label"""
    fn: float
    fp: float
    tn: float
    tp: float


class GetEstimatedPerformanceResponseOverallMetrics(TypedDict):
    accuracy: GetEstimatedPerformanceResponseOverallMetricsF1
    average_precision: GetEstimatedPerformanceResponseOverallMetricsF1
    f1: GetEstimatedPerformanceResponseOverallMetricsF1
    precision: GetEstimatedPerformanceResponseOverallMetricsF1
    recall: GetEstimatedPerformanceResponseOverallMetricsF1
    roc_auc: GetEstimatedPerformanceResponseOverallMetricsF1
    specificity: GetEstimatedPerformanceResponseOverallMetricsF1


class GetEstimatedPerformanceResponseOverallMetricsF1(TypedDict):
    estimated: Optional[float]
    lower: Optional[float]
    realized: Optional[float]
    realized_outside_band: Optional[bool]
    sampling_error: Optional[float]
    upper: Optional[float]


class _GetEstimatedPerformanceResponseReferenceRequired(TypedDict):
    calibration: GetEstimatedPerformanceResponseReferenceCalibration
    #: NAME@VERSION of the labelled reference
    dataset: str
    #: when this server fitted the estimator (kept in memory; the fit is deterministic)
    fitted_at: str
    label: str
    positives: int
    predicted_positives: int
    #: the model output read as the predicted label
    prediction_output: str
    #: the model output read as the probability of class 1
    probability_output: str
    #: the model’s realized metrics on the reference
    realized: Dict[str, Optional[float]]
    #: reference rows with a 0/1 label
    rows: int
    rows_without_label: int


class GetEstimatedPerformanceResponseReference(_GetEstimatedPerformanceResponseReferenceRequired, total=False):
    #: MODEL/VERSION when the reference is that version’s training data (lineage)
    training_data_of: str


class GetEstimatedPerformanceResponseReferenceCalibration(TypedDict):
    ece_after: Optional[float]
    ece_before: Optional[float]
    method: Literal["isotonic", "none"]
    #: why, in one sentence
    reason: str
    reference_roc_auc: Optional[float]
    requested: Literal["auto", "isotonic", "none"]


class GetExecutorResponse(TypedDict):
    """The answer of ``GET /api/v1/executors/{name}``: An executor"""
    executor: GetExecutorResponseExecutor


class _GetExecutorResponseExecutorRequired(TypedDict):
    enabled: bool
    #: local: the executor's own Python; virtualenv: a virtual environment built from python_env.yaml (cached by its
    #: digest)
    env_manager: Literal["local", "virtualenv"]
    has_ca_cert: bool
    #: a token is stored (its value is never returned)
    has_token: bool
    kind: Literal["local", "ray", "kubernetes"]
    max_concurrent: int
    name: str
    #: where the setting came from
    source: Literal["builtin", "config-file", "api"]
    tracking_uri: Optional[str]
    updated_at: Optional[int]
    updated_by: Optional[str]


class GetExecutorResponseExecutor(_GetExecutorResponseExecutorRequired, total=False):
    address: str
    grace_period: str
    image: str
    insecure_skip_tls_verify: bool
    namespace: str
    server: str
    service_account: str
    token_env: str
    ttl_seconds_after_finished: int


class GetExperimentResponse(TypedDict):
    """The answer of ``GET /api/2.0/mlflow/experiments/get``: Get an experiment"""
    experiment: GetExperimentResponseExperiment


class GetExperimentResponseExperiment(TypedDict):
    artifact_location: str
    #: epoch ms
    creation_time: int
    experiment_id: str
    #: epoch ms
    last_update_time: int
    lifecycle_stage: Literal["active", "deleted"]
    name: str
    tags: List[GetRunResponseRunDataTagsItem]


class GetFairnessReportResponse(TypedDict):
    """The answer of ``GET /api/v1/models/{name}/versions/{version}/fairness/{id}``: One stored fairness report"""
    report: GetFairnessReportResponseReport


class _GetFairnessReportResponseReportRequired(TypedDict):
    #: the intersection of all sensitive features first, then each feature alone (when several)
    analyses: List[GetFairnessReportResponseReportAnalysesItem]
    #: ISO 8601
    created_at: str
    created_by: str
    dataset: str
    dataset_version: int
    id: int
    model: str
    #: rows scored and analysed
    n_rows: int
    notes: List[str]
    #: rows with a missing sensitive value (grouped as '(missing)', or left out, as missing_sensitive says)
    rows_missing_sensitive: int
    #: dataset rows left out because their label was missing
    rows_without_label: int
    spec: GetFairnessReportResponseReportSpec
    version: str


class GetFairnessReportResponseReport(_GetFairnessReportResponseReportRequired, total=False):
    #: the scored rows the report was computed on (column by column), for an independent recomputation
    rows: GetFairnessReportResponseReportRows


class GetFairnessReportResponseReportAnalysesItem(TypedDict):
    #: the sensitive features grouped by (several: their intersections)
    features: List[str]
    four_fifths: GetFairnessReportResponseReportAnalysesItemFourFifths
    frames: List[GetFairnessReportResponseReportAnalysesItemFramesItem]
    #: groups below min_group_size in any frame
    insufficient_groups: List[str]
    #: Fairlearn's parity metrics; equalized odds with agg='worst_case' (NaN parts skipped, see docs/fairness.md)
    parity: GetFairnessReportResponseReportAnalysesItemParity


class GetFairnessReportResponseReportAnalysesItemFourFifths(TypedDict):
    #: what the heuristic is (and is not)
    explanation: str
    flagged: bool
    ratio: Optional[float]
    threshold: float
    undefined: bool


class _GetFairnessReportResponseReportAnalysesItemFramesItemRequired(TypedDict):
    difference: GetFairnessReportResponseReportAnalysesItemFramesItemRatio
    group_max: Optional[float]
    group_min: Optional[float]
    groups: List[GetFairnessReportResponseReportAnalysesItemFramesItemGroupsItem]
    insufficient_groups: List[str]
    metric: str
    n: int
    overall: Optional[float]
    ratio: GetFairnessReportResponseReportAnalysesItemFramesItemRatio


class GetFairnessReportResponseReportAnalysesItemFramesItem(_GetFairnessReportResponseReportAnalysesItemFramesItemRequired, total=False):
    bootstrap: GetFairnessReportResponseReportAnalysesItemFramesItemBootstrap


class GetFairnessReportResponseReportAnalysesItemFramesItemBootstrap(TypedDict):
    difference: GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapRatio
    level: float
    overall: GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapOverall
    ratio: GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapRatio
    replicates: int
    seed: int


class GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapOverall(TypedDict):
    estimate: Optional[float]
    hi: Optional[float]
    lo: Optional[float]
    #: replicates where the statistic was NaN (left out of the percentiles)
    undefined_replicates: int


class GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapRatio(TypedDict):
    between_groups: GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapOverall
    to_overall: GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapOverall


class _GetFairnessReportResponseReportAnalysesItemFramesItemGroupsItemRequired(TypedDict):
    #: n < min_group_size: reported and counted in difference/ratio, but flagged
    insufficient: bool
    #: one value per sensitive feature
    key: List[Union[str, float]]
    label: str
    #: rows in the group (always shown)
    n: int
    #: false for an intersection with no rows (value null)
    observed: bool
    value: Optional[float]
    weight: float


class GetFairnessReportResponseReportAnalysesItemFramesItemGroupsItem(_GetFairnessReportResponseReportAnalysesItemFramesItemGroupsItemRequired, total=False):
    interval: GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapOverall


class GetFairnessReportResponseReportAnalysesItemFramesItemRatio(TypedDict):
    between_groups: Optional[float]
    to_overall: Optional[float]


class GetFairnessReportResponseReportAnalysesItemParity(TypedDict):
    """Fairlearn's parity metrics; equalized odds with agg='worst_case' (NaN parts skipped, see docs/fairness.md)"""
    demographic_parity_difference: GetFairnessReportResponseReportAnalysesItemFramesItemRatio
    demographic_parity_ratio: GetFairnessReportResponseReportAnalysesItemFramesItemRatio
    equal_opportunity_difference: GetFairnessReportResponseReportAnalysesItemFramesItemRatio
    equal_opportunity_ratio: GetFairnessReportResponseReportAnalysesItemFramesItemRatio
    equalized_odds_difference: GetFairnessReportResponseReportAnalysesItemFramesItemRatio
    equalized_odds_ratio: GetFairnessReportResponseReportAnalysesItemFramesItemRatio


class _GetFairnessReportResponseReportRowsRequired(TypedDict):
    sensitive: Dict[str, List[Union[str, float, bool]]]
    y_pred: List[Union[str, float, bool]]
    y_true: List[Union[str, float, bool]]


class GetFairnessReportResponseReportRows(_GetFairnessReportResponseReportRowsRequired, total=False):
    """the scored rows the report was computed on (column by column), for an independent recomputation"""
    #: each row's weight, when the report was weighted
    sample_weight: List[float]


class _GetFairnessReportResponseReportSpecRequired(TypedDict):
    bootstrap: Optional[GetFairnessReportResponseReportSpecBootstrap]
    dataset: str
    dataset_version: int
    label: str
    metrics: List[str]
    min_group_size: int
    missing_sensitive: Literal["group", "drop", "refuse"]
    pos_label: Optional[Union[str, float, bool]]
    #: the model output read as the predicted label (default: the first scalar output, skl2onnx's 'label')
    prediction: str
    sensitive_features: List[str]


class GetFairnessReportResponseReportSpec(_GetFairnessReportResponseReportSpecRequired, total=False):
    sample_weight: Optional[str]


class GetFairnessReportResponseReportSpecBootstrap(TypedDict):
    level: float
    samples: int
    seed: int


class GetHealthResponse(TypedDict):
    """The answer of ``GET /health``: Liveness: the process answers"""
    status: Literal["ok"]


class GetJobLogsResponse(TypedDict):
    """The answer of ``GET /api/v1/jobs/{job_id}/logs``: A job's log from an offset; with wait, holds the answer
    until new lines arrive or the job ends (follow)
    """
    #: the log's text from offset (stdout and stderr interleaved)
    data: str
    #: the job has ended and the whole log has been read
    done: bool
    #: 'job-' and 32 hex digits
    job_id: str
    #: ask again from here
    next_offset: int
    #: where data starts (bytes)
    offset: int
    state: Literal["queued", "starting", "running", "succeeded", "failed", "cancelled"]


class GetJobProjectResponse(TypedDict):
    """The answer of ``GET /api/v1/jobs/projects/{digest}``: A stored project: its name, entry points and
    parameters
    """
    project: GetJobProjectResponseProject


class GetJobProjectResponseProject(TypedDict):
    #: a stored project: 'sha256:' and 64 hex digits
    digest: str
    entry_points: List[GetJobProjectResponseProjectEntryPointsItem]
    #: number of files
    files: int
    #: the project has a python_env.yaml
    has_python_env: bool
    #: the MLproject's name (the folder's name when it has none)
    name: str
    #: unpacked size
    size_bytes: int


class GetJobProjectResponseProjectEntryPointsItem(TypedDict):
    #: the command template, {name} placeholders unsubstituted
    command: str
    name: str
    parameters: List[GetJobProjectResponseProjectEntryPointsItemParametersItem]


class GetJobProjectResponseProjectEntryPointsItemParametersItem(TypedDict):
    default: Optional[str]
    name: str
    type: Literal["string", "float", "path", "uri"]


class GetJobResponse(TypedDict):
    """The answer of ``GET /api/v1/jobs/{job_id}``: A job"""
    job: GetJobResponseJob


class GetJobResponseJob(TypedDict):
    attempts: int
    cancel_requested: bool
    #: the command the executor runs, parameters substituted and shell-quoted
    command: str
    entry_point: str
    #: local: the executor's own Python; virtualenv: a virtual environment built from python_env.yaml (cached by its
    #: digest)
    env_manager: Literal["local", "virtualenv"]
    executor: str
    exit_code: Optional[int]
    experiment_id: str
    external_id: Optional[str]
    finished_at: Optional[int]
    #: 'job-' and 32 hex digits
    job_id: str
    log_bytes: int
    max_attempts: int
    message: Optional[str]
    parameters: Dict[str, str]
    priority: int
    project: GetJobResponseJobProject
    resources: GetJobResponseJobResources
    #: the MLflow run Ferry made for the job (MLFLOW_RUN_ID)
    run_id: str
    running_at: Optional[int]
    started_at: Optional[int]
    state: Literal["queued", "starting", "running", "succeeded", "failed", "cancelled"]
    #: milliseconds since the Unix epoch
    submitted_at: int
    submitted_by: str


class _GetJobResponseJobProjectRequired(TypedDict):
    #: a stored project: 'sha256:' and 64 hex digits
    digest: str
    name: str


class GetJobResponseJobProject(_GetJobResponseJobProjectRequired, total=False):
    git_commit: str
    git_url: str


class GetJobResponseJobResources(TypedDict, total=False):
    #: CPUs for the entry point (Ray entrypoint_num_cpus, a Kubernetes request)
    cpus: float
    #: GPUs for the entry point
    gpus: float
    #: memory in MiB
    memory_mb: int


class _GetLatestVersionsBodyRequired(TypedDict):
    #: the registered model's name
    name: str


class GetLatestVersionsBody(_GetLatestVersionsBodyRequired, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/registered-models/get-latest-versions``: The newest version in
    each stage
    """
    #: stages to include (None, Staging, Production, Archived; any case); all when absent
    stages: List[str]


class GetLatestVersionsResponse(TypedDict):
    """The answer of ``POST /api/2.0/mlflow/registered-models/get-latest-versions``: The newest version in each
    stage
    """
    model_versions: List[GetModelVersionResponseModelVersion]


GetLiveFairnessResponse = TypedDict('GetLiveFairnessResponse', {
    'deployment': 'str',
    'feature': 'str',
    #: the prediction log keeps model inputs only
    'feature_source': 'Literal["model_input"]',
    'from': 'str',
    'min_group_size': 'int',
    'model_version': 'Optional[str]',
    'notes': 'List[str]',
    'overall': 'GetLiveFairnessResponseOverall',
    'pos_label': 'Optional[Union[str, float, bool]]',
    'prediction': 'str',
    'to': 'str',
    'window': 'str',
    'windows': 'List[GetLiveFairnessResponseOverall]',
})


class GetLiveFairnessResponseOverall(TypedDict):
    demographic_parity_difference: Optional[float]
    demographic_parity_ratio: Optional[float]
    end: str
    equal_opportunity_difference: Optional[float]
    equal_opportunity_ratio: Optional[float]
    equalized_odds_difference: Optional[float]
    equalized_odds_ratio: Optional[float]
    groups: List[GetLiveFairnessResponseOverallGroupsItem]
    insufficient_groups: List[str]
    labelled: int
    #: predictions whose sensitive value was missing (left out)
    missing_feature: int
    n: int
    start: str


class GetLiveFairnessResponseOverallGroupsItem(TypedDict):
    false_positive_rate: Optional[float]
    #: n < min_group_size
    insufficient: bool
    key: Union[str, float]
    label: str
    label_coverage: Optional[float]
    #: predictions with label feedback
    labelled: int
    #: predictions in the window
    n: int
    selection_rate: Optional[float]
    true_positive_rate: Optional[float]


class GetLoggedModelResponse(TypedDict):
    """The answer of ``GET /api/2.0/mlflow/logged-models/{model_id}``: Get a logged model"""
    model: GetLoggedModelResponseModel


class GetLoggedModelResponseModel(TypedDict):
    data: GetLoggedModelResponseModelData
    info: GetLoggedModelResponseModelInfo


class GetLoggedModelResponseModelData(TypedDict):
    metrics: List[GetLoggedModelResponseModelDataMetricsItem]
    params: List[GetRunResponseRunDataTagsItem]


class _GetLoggedModelResponseModelDataMetricsItemRequired(TypedDict):
    key: str
    model_id: str
    run_id: str
    step: int
    #: epoch ms
    timestamp: int
    #: a number; "NaN", "Infinity" or "-Infinity" for non-finite values
    value: Union[Literal["NaN", "Infinity", "-Infinity"], float]


class GetLoggedModelResponseModelDataMetricsItem(_GetLoggedModelResponseModelDataMetricsItemRequired, total=False):
    dataset_digest: str
    dataset_name: str


class _GetLoggedModelResponseModelInfoRequired(TypedDict):
    artifact_uri: str
    creation_timestamp_ms: int
    experiment_id: str
    last_updated_timestamp_ms: int
    lifecycle_stage: Literal["active", "deleted"]
    #: m- and 32 hex digits
    model_id: str
    name: str
    status: Literal["LOGGED_MODEL_STATUS_UNSPECIFIED", "LOGGED_MODEL_PENDING", "LOGGED_MODEL_READY", "LOGGED_MODEL_UPLOAD_FAILED"]
    tags: List[GetRunResponseRunDataTagsItem]


class GetLoggedModelResponseModelInfo(_GetLoggedModelResponseModelInfoRequired, total=False):
    model_type: str
    source_run_id: str
    status_message: str


class GetLoopResponse(TypedDict):
    """The answer of ``GET /api/v1/loops/{name}``: One loop"""
    loop: GetLoopResponseLoop


class GetLoopResponseLoop(TypedDict):
    #: milliseconds since the Unix epoch
    created_at: int
    created_by: str
    deployment: str
    description: Optional[str]
    last_run: Optional[GetLoopResponseLoopLastRun]
    model: str
    name: str
    spec: GetLoopResponseLoopSpec
    state: Literal["active", "paused"]
    #: milliseconds since the Unix epoch
    updated_at: int


class GetLoopResponseLoopLastRun(TypedDict):
    reason: Optional[str]
    seq: int
    #: milliseconds since the Unix epoch
    started_at: int
    state: Literal["running", "awaiting_approval", "promoted", "rolled_back", "rejected", "failed", "cancelled", "dry_run"]


class GetLoopResponseLoopSpec(TypedDict):
    approvals: List[GetLoopResponseLoopSpecApprovalsItem]
    debounce: str
    dry_run: bool
    gate: GetLoopResponseLoopSpecGate
    rollout: GetLoopResponseLoopSpecRollout
    training: Optional[GetLoopResponseLoopSpecTraining]
    triggers: List[GetLoopResponseLoopSpecTriggersItem]


class _GetLoopResponseLoopSpecApprovalsItemRequired(TypedDict):
    at: Literal["before_training", "before_shadow", "before_canary", "before_promotion"]


class GetLoopResponseLoopSpecApprovalsItem(_GetLoopResponseLoopSpecApprovalsItemRequired, total=False):
    #: the approver may not be the loop run's author (default true)
    distinct_from_author: bool


class _GetLoopResponseLoopSpecGateRequired(TypedDict):
    thresholds: List[GetLoopResponseLoopSpecGateThresholdsItem]


class GetLoopResponseLoopSpecGate(_GetLoopResponseLoopSpecGateRequired, total=False):
    #: statistical mode: two-sided level of the interval (default 0.05)
    alpha: float
    #: fairness conditions on the holdout (needs holdout)
    fairness: List[GetLoopResponseLoopSpecGateFairnessItem]
    holdout: GetLoopResponseLoopSpecGateHoldout
    #: the holdout's label column (default 'label')
    label: str
    #: smaller slices are reported, not judged (default 30)
    min_slice_size: int
    production_window: Optional[str]
    #: bootstrap replicates (default 1000)
    replicates: int
    #: bootstrap seed (default 0)
    seed: int
    slices: List[GetLoopResponseLoopSpecGateSlicesItem]


class _GetLoopResponseLoopSpecGateFairnessItemRequired(TypedDict):
    feature: str
    metric: Literal["demographic_parity_difference", "demographic_parity_ratio", "equalized_odds_difference", "equalized_odds_ratio", "equal_opportunity_difference", "equal_opportunity_ratio"]


class GetLoopResponseLoopSpecGateFairnessItem(_GetLoopResponseLoopSpecGateFairnessItemRequired, total=False):
    """judged on the candidate's predicted labels on the holdout; groups under min_slice_size rows are left out"""
    #: the candidate's value at most this (inclusive)
    max: float
    #: the candidate's value at least this (inclusive)
    min: float
    #: the favourable label (default 1; labels other than {0, 1} or {−1, 1} need it)
    pos_label: Union[float, str, bool]


class _GetLoopResponseLoopSpecGateHoldoutRequired(TypedDict):
    #: a Ferry dataset
    dataset: str


class GetLoopResponseLoopSpecGateHoldout(_GetLoopResponseLoopSpecGateHoldoutRequired, total=False):
    #: a version number, a tag, latest or a digest prefix
    version: str


class _GetLoopResponseLoopSpecGateSlicesItemRequired(TypedDict):
    feature: str


class GetLoopResponseLoopSpecGateSlicesItem(_GetLoopResponseLoopSpecGateSlicesItemRequired, total=False):
    #: numeric feature: bin edges; absent: its categories
    bins: List[float]


class _GetLoopResponseLoopSpecGateThresholdsItemRequired(TypedDict):
    metric: Literal["accuracy", "log_loss", "roc_auc", "mae", "rmse"]


class GetLoopResponseLoopSpecGateThresholdsItem(_GetLoopResponseLoopSpecGateThresholdsItemRequired, total=False):
    #: change threshold on candidate − champion, TFX semantics (negative: may regress by at most)
    absolute: float
    #: value threshold: the candidate at least this (inclusive)
    lower: float
    #: statistical mode: pass only if the interval of the paired difference clears −margin (bootstrap; DeLong for
    #: roc_auc)
    margin: float
    #: apply to every slice too (default true)
    per_slice: bool
    #: change threshold on (candidate − champion) / champion
    relative: float
    #: value threshold: the candidate at most this (inclusive)
    upper: float


class _GetLoopResponseLoopSpecRolloutRequired(TypedDict):
    #: canary steps, in order (empty: promote after the gate and shadow)
    steps: List[GetLoopResponseLoopSpecRolloutStepsItem]


class GetLoopResponseLoopSpecRollout(_GetLoopResponseLoopSpecRolloutRequired, total=False):
    #: the alias promotion moves (default 'champion')
    alias: str
    guardrails: List[GetAbTestResponseAbtestPrimaryMetric]
    #: serving guardrail: the candidate's error rate may exceed the champion's by at most this (default 0.01)
    max_error_rate_increase: float
    #: serving guardrail: candidate p99 / champion p99 at most (default 1.5)
    max_latency_ratio: float
    #: hold: stay at the step; extend: pass with its evidence; ask: a human decides; rollback (default ask)
    on_inconclusive: Literal["hold", "extend", "ask", "rollback"]
    #: the same choices for too few units at max_duration (default hold)
    on_insufficient_data: Literal["hold", "extend", "ask", "rollback"]
    #: a canary passes when the primary metric's relative lift clears −margin (default 0: no worse)
    primary_margin: float
    primary_metric: GetAbTestResponseAbtestPrimaryMetric
    shadow: Optional[GetLoopResponseLoopSpecRolloutShadow]
    #: on shadow pairs, how much more loss per request the candidate may have and still pass (default 0.01)
    shadow_margin: float


class GetLoopResponseLoopSpecRolloutShadow(TypedDict, total=False):
    #: how long the candidate shadows the champion (default 10m); a duration: 0, or numbers (integer or decimal)
    #: with units ms, s, m, h, d, w written together from the largest unit down, e.g. 90s, 5m, 1h30m, 1.5h, 2d12h;
    #: at most 3650d, rounded to the millisecond
    duration: str
    #: labelled shadow requests before it may pass (default 0)
    min_units: int


class _GetLoopResponseLoopSpecRolloutStepsItemRequired(TypedDict):
    #: the candidate's share of traffic in percent
    weight: float


class GetLoopResponseLoopSpecRolloutStepsItem(_GetLoopResponseLoopSpecRolloutStepsItemRequired, total=False):
    #: after this long without a pass the inconclusive or insufficient-data policy applies (default 1h); a duration:
    #: 0, or numbers (integer or decimal) with units ms, s, m, h, d, w written together from the largest unit down,
    #: e.g. 90s, 5m, 1h30m, 1.5h, 2d12h; at most 3650d, rounded to the millisecond
    max_duration: str
    #: mature units per arm before the judge may pass the step (default 100)
    min_units: int


class GetLoopResponseLoopSpecTraining(TypedDict, total=False):
    """a job (exactly one of project or git) that registers a new version of the loop's model"""
    #: the pinned training set; with a production window, the loop pushes both as a new version of output_dataset
    #: and the job trains on it
    data: GetLoopResponseLoopSpecTrainingData
    entry_point: str
    #: lowercase letters, digits and dashes; 1–63 characters
    executor: str
    git: GetLoopResponseLoopSpecTrainingGit
    parameters: Dict[str, Union[str, float, bool]]
    #: a stored project: 'sha256:' and 64 hex digits
    project: str
    #: the job is cancelled and the step fails after this long (default 2h); a duration: 0, or numbers (integer or
    #: decimal) with units ms, s, m, h, d, w written together from the largest unit down, e.g. 90s, 5m, 1h30m, 1.5h,
    #: 2d12h; at most 3650d, rounded to the millisecond
    timeout: str


class _GetLoopResponseLoopSpecTrainingDataRequired(TypedDict):
    #: a Ferry dataset
    dataset: str


class GetLoopResponseLoopSpecTrainingData(_GetLoopResponseLoopSpecTrainingDataRequired, total=False):
    """the pinned training set; with a production window, the loop pushes both as a new version of output_dataset
    and the job trains on it
    """
    #: the entry point's parameter that names the dataset (default 'dataset')
    dataset_param: str
    #: the share of labelled production rows kept out of training for the gate's production window, chosen by a hash
    #: of request id and row (default 0.2)
    holdout_share: float
    #: the label column (default 'label')
    label: str
    #: a Ferry dataset
    output_dataset: str
    production_window: Optional[str]
    #: a version number, a tag, latest or a digest prefix
    version: str
    #: the entry point's parameter that names its version (default 'dataset_version')
    version_param: str


class _GetLoopResponseLoopSpecTrainingGitRequired(TypedDict):
    #: the commit (hex), so the job runs exactly this code
    commit: str
    #: https://, http://, ssh:// or git@host:path (file:// only where the admin allows it)
    url: str


class GetLoopResponseLoopSpecTrainingGit(_GetLoopResponseLoopSpecTrainingGitRequired, total=False):
    #: the project folder inside the repository
    subdirectory: str


class _GetLoopResponseLoopSpecTriggersItemRequired(TypedDict):
    #: alert: a rule of the deployment fires; schedule: a cron expression; labels: N new feedback labels on the
    #: deployment; dataset: a new version of a dataset; registry: a new version of the model registered by anyone
    #: (the mlflow client too); manual needs no entry (always allowed)
    kind: Literal["manual", "alert", "schedule", "labels", "dataset", "registry"]


class GetLoopResponseLoopSpecTriggersItem(_GetLoopResponseLoopSpecTriggersItemRequired, total=False):
    #: schedule: a cron expression ('0 3 * * *'), in UTC unless timezone
    cron: str
    #: a Ferry dataset
    dataset: str
    #: labels: how many new feedback labels fire it
    min_labels: int
    #: alert: the rule (name or id); absent: any rule on the deployment
    rule: str
    #: schedule: an IANA time zone
    timezone: str


class GetLoopRunResponse(TypedDict):
    """The answer of ``GET /api/v1/loops/{name}/runs/{seq}``: One loop run: its timeline of steps with evidence
    and reasons, and the triggers coalesced into it
    """
    loop_run: GetLoopRunResponseLoopRun


class GetLoopRunResponseLoopRun(TypedDict):
    #: who or what started it
    author: str
    candidate_version: Optional[str]
    champion_version: Optional[str]
    dry_run: bool
    ended_at: Optional[int]
    loop: str
    #: the step the run is at (or ended with)
    phase: Literal["triggered", "training", "registered", "evaluating", "shadow", "canary", "awaiting_approval", "approved", "promoted", "rolled_back", "rejected", "failed", "cancelled", "dry_run"]
    reason: Optional[str]
    seq: int
    #: milliseconds since the Unix epoch
    started_at: int
    state: Literal["running", "awaiting_approval", "promoted", "rolled_back", "rejected", "failed", "cancelled", "dry_run"]
    steps: List[GetLoopRunResponseLoopRunStepsItem]
    trigger: Literal["manual", "alert", "schedule", "labels", "dataset", "registry"]
    triggers: List[GetLoopRunResponseLoopRunTriggersItem]
    #: milliseconds since the Unix epoch
    updated_at: int


class GetLoopRunResponseLoopRunStepsItem(TypedDict):
    #: who or what acted: 'loop' for the driver, else a user or token name
    actor: str
    #: milliseconds since the Unix epoch
    at: int
    #: the numbers the decision stood on: values, intervals, thresholds, sample sizes, windows
    evidence: Dict[str, Any]
    index: Optional[int]
    kind: Literal["triggered", "training", "registered", "evaluating", "shadow", "canary", "awaiting_approval", "approved", "promoted", "rolled_back", "rejected", "failed", "cancelled", "dry_run"]
    links: GetLoopRunResponseLoopRunStepsItemLinks
    of: Optional[int]
    #: one sentence saying why
    reason: str
    #: order within the loop run, from 1
    seq: int
    status: Literal["started", "passed", "failed", "info"]


class GetLoopRunResponseLoopRunStepsItemLinks(TypedDict, total=False):
    abtest: str
    alert_rule: str
    champion_version: str
    dataset_versions: List[GetLoopRunResponseLoopRunStepsItemLinksDatasetVersionsItem]
    deployment_revision: int
    job_id: str
    model_version: str
    #: the tracking run
    run_id: str


class GetLoopRunResponseLoopRunStepsItemLinksDatasetVersionsItem(TypedDict):
    dataset: str
    version: int


class GetLoopRunResponseLoopRunTriggersItem(TypedDict):
    actor: str
    #: milliseconds since the Unix epoch
    at: int
    #: arrived while this run was going (or within the debounce): recorded, no new run
    coalesced: bool
    #: what fired, in words
    detail: str
    kind: Literal["manual", "alert", "schedule", "labels", "dataset", "registry"]


class GetLoopVerdictResponse(TypedDict):
    """The answer of ``GET /api/v1/loops/{name}/verdict``: The current rollout's verdict as an Argo Rollouts web
    metric reads it (successCondition: result.ok)
    """
    #: neither ok nor failed: the judge waits for data or a person (Argo Rollouts pauses when neither condition
    #: matches)
    inconclusive: bool
    interval: Optional[List[Optional[float]]]
    lift: Optional[float]
    loop_run: Optional[int]
    #: the judge passes the current step (or the run was promoted)
    ok: bool
    phase: Optional[Literal["triggered", "training", "registered", "evaluating", "shadow", "canary", "awaiting_approval", "approved", "promoted", "rolled_back", "rejected", "failed", "cancelled", "dry_run"]]
    reason: str
    verdict: Optional[Literal["pass", "fail", "inconclusive", "insufficient_data"]]


class _GetMetricHistoryResponseRequired(TypedDict):
    metrics: List[GetRunResponseRunDataMetricsItem]


class GetMetricHistoryResponse(_GetMetricHistoryResponseRequired, total=False):
    """The answer of ``GET /api/2.0/mlflow/metrics/get-history``: A metric's full history, by step"""
    #: from the previous page; absent on the last page
    next_page_token: str


class _GetModelCardResponseVariant1Required(TypedDict):
    as_of: Optional[int]
    card_schema: Literal["ferry.model_card/1"]
    #: sha256 of the facts (not of staleness, nor of the render time)
    content_hash: str
    #: Model Card Toolkit schema v0.0.2
    mct: Dict[str, Any]
    model: GetModelCardResponseVariant1Model
    #: Hugging Face's model-index
    model_index: List[Any]
    sections: List[GetModelCardResponseVariant1SectionsItem]
    stale_sections: List[Literal["identity", "uses", "risks", "training_data", "training_run", "evaluation", "fairness", "explanations", "monitoring", "approvals"]]


class GetModelCardResponseVariant1(_GetModelCardResponseVariant1Required, total=False):
    #: only when asked for (generated_at=true)
    generated_at: str


class GetModelCardResponseVariant1Model(TypedDict):
    name: str
    version: str


class GetModelCardResponseVariant1SectionsItem(TypedDict):
    as_of: Optional[int]
    as_of_iso: Optional[str]
    facts: Dict[str, Any]
    id: Literal["identity", "uses", "risks", "training_data", "training_run", "evaluation", "fairness", "explanations", "monitoring", "approvals"]
    reason: Optional[str]
    stale: bool
    stale_after_days: Optional[float]
    status: Literal["present", "empty", "unavailable"]
    title: str


class GetModelCardResponseVariant2(TypedDict):
    """Model Card Toolkit schema v0.0.2"""
    considerations: Dict[str, Any]
    model_details: Dict[str, Any]
    model_parameters: Dict[str, Any]
    quantitative_analysis: Dict[str, Any]
    schema_version: Literal["0.0.2"]


GetModelCardResponseVariant3 = TypedDict('GetModelCardResponseVariant3', {
    'model-index': 'List[Any]',
})


class GetModelVersionDownloadUriResponse(TypedDict):
    """The answer of ``GET /api/2.0/mlflow/model-versions/get-download-uri``: Where a version's files are"""
    artifact_uri: str


class GetModelVersionLineageResponse(TypedDict):
    """The answer of ``GET /api/v1/models/{name}/versions/{version}/lineage``: Which run produced a model version
    and which dataset versions (and their validation results) it was trained on
    """
    lineage: GetModelVersionLineageResponseLineage


class GetModelVersionLineageResponseLineage(TypedDict):
    datasets: List[GetModelVersionLineageResponseLineageDatasetsItem]
    model: GetModelVersionLineageResponseLineageModel
    run: Optional[GetModelVersionLineageResponseLineageRun]


class GetModelVersionLineageResponseLineageDatasetsItem(TypedDict):
    context: Optional[str]
    dataset_versions: List[GetModelVersionLineageResponseLineageDatasetsItemDatasetVersionsItem]
    digest: str
    name: str
    source: str
    source_type: str


class GetModelVersionLineageResponseLineageDatasetsItemDatasetVersionsItem(TypedDict):
    dataset: str
    digest: str
    ref: str
    rows: int
    validations: List[ListValidationsResponseValidationsItem]
    version: int


class GetModelVersionLineageResponseLineageModel(TypedDict):
    name: str
    run_id: Optional[str]
    source: str
    version: str


class _GetModelVersionLineageResponseLineageRunRequired(TypedDict):
    run_id: str


class GetModelVersionLineageResponseLineageRun(_GetModelVersionLineageResponseLineageRunRequired, total=False):
    """absent fields: the run logged no dataset inputs"""
    experiment_id: str
    run_name: str
    status: str


class GetModelVersionResponse(TypedDict):
    """The answer of ``GET /api/2.0/mlflow/model-versions/get``: Get a model version"""
    model_version: GetModelVersionResponseModelVersion


class _GetModelVersionResponseModelVersionRequired(TypedDict):
    #: the aliases pointing at this version
    aliases: List[str]
    #: milliseconds since the Unix epoch
    creation_timestamp: int
    #: the version's stage (deprecated in mlflow 3, still part of its API)
    current_stage: Literal["None", "Staging", "Production", "Archived"]
    description: str
    #: milliseconds since the Unix epoch
    last_updated_timestamp: int
    name: str
    #: where the files were registered from: runs:/…, models:/m-…, mlflow-artifacts:/…
    source: str
    #: Ferry registers versions synchronously: READY once created
    status: Literal["PENDING_REGISTRATION", "FAILED_REGISTRATION", "READY"]
    tags: List[GetRunResponseRunDataTagsItem]
    #: who registered it
    user_id: str
    #: the version number, as a string
    version: str


class GetModelVersionResponseModelVersion(_GetModelVersionResponseModelVersionRequired, total=False):
    #: the logged model (m-…) the version was registered from
    model_id: str
    run_id: str
    run_link: str
    status_message: str


class GetMonitoringSettingsResponse(TypedDict):
    """The answer of ``GET /api/v1/deployments/{name}/monitoring``: A deployment's monitoring settings and what
    its prediction log stored, sampled out or dropped
    """
    #: what this server’s prediction log did with the deployment’s requests since it started
    log: GetMonitoringSettingsResponseLog
    settings: GetMonitoringSettingsResponseSettings


class GetMonitoringSettingsResponseLog(TypedDict):
    """what this server’s prediction log did with the deployment’s requests since it started"""
    #: refused by a full queue
    dropped: int
    sampled_out: int
    stored: int
    write_failed: int


class GetMonitoringSettingsResponseSettings(TypedDict):
    #: false: requests are neither logged nor profiled
    enabled: bool
    #: input fields removed / replaced by a keyed hash before anything is stored
    pii: GetMonitoringSettingsResponseSettingsPii
    retention_days: int
    #: share of requests whose rows are stored; profiles see every request
    sample_rate: float
    #: profile window, e.g. 1h
    window: str


class GetMonitoringSettingsResponseSettingsPii(TypedDict):
    """input fields removed / replaced by a keyed hash before anything is stored"""
    drop: List[str]
    hash: List[str]


class GetNotifierResponse(TypedDict):
    """The answer of ``GET /api/v1/alerts/notifiers/{id}``: A notifier (by id or name)"""
    notifier: GetNotifierResponseNotifier


class GetNotifierResponseNotifier(TypedDict):
    #: milliseconds since the Unix epoch
    created_at: int
    created_by: str
    enabled: bool
    has_secret: bool
    id: str
    #: webhook: Ferry's signed JSON body (docs/alerts.md); slack: a Slack incoming webhook; alertmanager: Prometheus
    #: Alertmanager's webhook body (version 4), for on-call tools that take Alertmanager's notifications
    kind: Literal["webhook", "slack", "alertmanager"]
    name: str
    #: milliseconds since the Unix epoch
    updated_at: int
    url: str


GetPerformanceResponse = TypedDict('GetPerformanceResponse', {
    'deployment': 'str',
    'from': 'str',
    #: predictions with feedback in the range
    'n': 'int',
    'overall': 'Optional[Union[GetPerformanceResponseOverallVariant1, GetPerformanceResponseOverallVariant2, GetPerformanceResponseOverallVariant3]]',
    'prediction': 'Optional[str]',
    'to': 'str',
    'versions': 'List[Union[GetPerformanceResponseVersionsItemVariant1, GetPerformanceResponseVersionsItemVariant2, GetPerformanceResponseVersionsItemVariant3]]',
    'windows': 'List[GetPerformanceResponseWindowsItem]',
})


class GetPerformanceResponseOverallVariant1(TypedDict):
    accuracy: float
    average: Literal["binary", "macro", "weighted", "micro"]
    #: rows: true label, columns: predicted label, in labels order
    confusion_matrix: List[List[float]]
    f1: float
    labels: List[Union[str, float, bool]]
    log_loss: Optional[float]
    macro: GetPerformanceResponseOverallVariant1Macro
    micro: GetPerformanceResponseOverallVariant1Macro
    n: int
    notes: List[str]
    per_class: List[GetPerformanceResponseOverallVariant1PerClassItem]
    positive_label: Optional[Union[str, float, bool]]
    precision: float
    recall: float
    roc_auc: Optional[float]
    roc_auc_error_bound: Optional[float]
    roc_auc_mode: Optional[Literal["exact", "binned"]]
    task: Literal["classification"]
    weighted: GetPerformanceResponseOverallVariant1Macro


class GetPerformanceResponseOverallVariant1Macro(TypedDict):
    f1: float
    precision: float
    recall: float


class GetPerformanceResponseOverallVariant1PerClassItem(TypedDict):
    f1: float
    #: a class: string, number or boolean
    label: Union[str, float, bool]
    precision: float
    recall: float
    support: int


class GetPerformanceResponseOverallVariant2(TypedDict):
    mae: float
    mape: float
    max_error: float
    mse: float
    n: int
    notes: List[str]
    r2: Optional[float]
    rmse: float
    task: Literal["regression"]


class GetPerformanceResponseOverallVariant3(TypedDict):
    n: Literal[0]
    task: Literal["classification", "regression", "outcome"]


class GetPerformanceResponseVersionsItemVariant1(TypedDict):
    accuracy: float
    average: Literal["binary", "macro", "weighted", "micro"]
    #: rows: true label, columns: predicted label, in labels order
    confusion_matrix: List[List[float]]
    f1: float
    labels: List[Union[str, float, bool]]
    log_loss: Optional[float]
    macro: GetPerformanceResponseOverallVariant1Macro
    micro: GetPerformanceResponseOverallVariant1Macro
    model_version: str
    n: int
    notes: List[str]
    per_class: List[GetPerformanceResponseOverallVariant1PerClassItem]
    positive_label: Optional[Union[str, float, bool]]
    precision: float
    recall: float
    roc_auc: Optional[float]
    roc_auc_error_bound: Optional[float]
    roc_auc_mode: Optional[Literal["exact", "binned"]]
    task: Literal["classification"]
    weighted: GetPerformanceResponseOverallVariant1Macro


class GetPerformanceResponseVersionsItemVariant2(TypedDict):
    mae: float
    mape: float
    max_error: float
    model_version: str
    mse: float
    n: int
    notes: List[str]
    r2: Optional[float]
    rmse: float
    task: Literal["regression"]


class GetPerformanceResponseVersionsItemVariant3(TypedDict):
    model_version: str
    n: Literal[0]
    task: Literal["classification", "regression", "outcome"]


class GetPerformanceResponseWindowsItem(TypedDict):
    start: str
    versions: List[Union[GetPerformanceResponseVersionsItemVariant1, GetPerformanceResponseVersionsItemVariant2, GetPerformanceResponseVersionsItemVariant3]]


GetQualityResponse = TypedDict('GetQualityResponse', {
    'deployment': 'str',
    'features': 'List[GetQualityResponseFeaturesItem]',
    'from': 'str',
    #: range and category checks need a reference
    'has_reference': 'bool',
    'to': 'str',
    'validations': 'List[GetQualityResponseValidationsItem]',
    'windows': 'List[GetQualityResponseWindowsItem]',
})


class _GetQualityResponseFeaturesItemRequired(TypedDict):
    name: str
    null_rate: Optional[float]
    out_of_range: Optional[float]
    rows: int
    type_errors: int
    unseen_categories: Optional[float]


class GetQualityResponseFeaturesItem(_GetQualityResponseFeaturesItemRequired, total=False):
    unseen_top: List[GetQualityResponseFeaturesItemUnseenTopItem]


class GetQualityResponseFeaturesItemUnseenTopItem(TypedDict):
    count: float
    value: str


class GetQualityResponseValidationsItem(TypedDict):
    evaluated: int
    failed: int
    failures: List[GetQualityResponseValidationsItemFailuresItem]
    success: bool
    suite: str


class _GetQualityResponseValidationsItemFailuresItemRequired(TypedDict):
    type: str


class GetQualityResponseValidationsItemFailuresItem(_GetQualityResponseValidationsItemFailuresItemRequired, total=False):
    column: str


class GetQualityResponseWindowsItem(TypedDict):
    features: List[GetQualityResponseFeaturesItem]
    rows: int
    start: str
    validations: List[GetQualityResponseValidationsItem]


class GetReadinessResponse(TypedDict):
    """The answer of ``GET /ready``: Readiness: the metadata store answers, the deployments have loaded, and the
    server is not stopping
    """
    status: Literal["ready"]


class GetReferenceResponse(TypedDict):
    """The answer of ``GET /api/v1/deployments/{name}/reference``: The deployment's reference: source, rows and a
    per-column summary
    """
    reference: GetReferenceResponseReference


class GetReferenceResponseReference(TypedDict):
    columns: Dict[str, GetReferenceResponseReferenceColumnsValue]
    #: ISO 8601
    created_at: str
    created_by: str
    rows: int
    source: Union[GetDriftResponseReferenceSourceFile, GetDriftResponseReferenceSourceDataset, GetDriftResponseReferenceSourceWindow]


class _GetReferenceResponseReferenceColumnsValueRequired(TypedDict):
    count: int
    #: 'unknown': no usable value seen yet
    kind: Literal["numerical", "categorical", "unknown"]
    max: Optional[float]
    mean: Optional[float]
    min: Optional[float]
    null_rate: Optional[float]
    nulls: int
    quantiles: Optional[GetReferenceResponseReferenceColumnsValueQuantiles]
    std: Optional[float]
    top: List[GetQualityResponseFeaturesItemUnseenTopItem]
    type_errors: int


class GetReferenceResponseReferenceColumnsValue(_GetReferenceResponseReferenceColumnsValueRequired, total=False):
    #: distinct values, while they are counted exactly
    unique_estimate: int


class GetReferenceResponseReferenceColumnsValueQuantiles(TypedDict):
    p01: float
    p05: float
    p25: float
    p50: float
    p75: float
    p95: float
    p99: float


class GetRegisteredModelResponse(TypedDict):
    """The answer of ``GET /api/2.0/mlflow/registered-models/get``: Get a registered model"""
    registered_model: GetRegisteredModelResponseRegisteredModel


class GetRegisteredModelResponseRegisteredModel(TypedDict):
    aliases: List[GetRegisteredModelResponseRegisteredModelAliasesItem]
    #: milliseconds since the Unix epoch
    creation_timestamp: int
    description: str
    #: milliseconds since the Unix epoch
    last_updated_timestamp: int
    #: the newest version in each stage
    latest_versions: List[GetModelVersionResponseModelVersion]
    name: str
    tags: List[GetRunResponseRunDataTagsItem]


class GetRegisteredModelResponseRegisteredModelAliasesItem(TypedDict):
    alias: str
    version: str


class GetRunResponse(TypedDict):
    """The answer of ``GET /api/2.0/mlflow/runs/get``: Get a run"""
    run: GetRunResponseRun


class GetRunResponseRun(TypedDict):
    data: GetRunResponseRunData
    info: GetRunResponseRunInfo
    inputs: GetRunResponseRunInputs
    outputs: GetRunResponseRunOutputs


class GetRunResponseRunData(TypedDict):
    #: each metric’s latest value
    metrics: List[GetRunResponseRunDataMetricsItem]
    params: List[GetRunResponseRunDataTagsItem]
    tags: List[GetRunResponseRunDataTagsItem]


class GetRunResponseRunDataMetricsItem(TypedDict):
    key: str
    step: int
    #: epoch ms
    timestamp: int
    #: a number; "NaN", "Infinity" or "-Infinity" for non-finite values
    value: Union[Literal["NaN", "Infinity", "-Infinity"], float]


class GetRunResponseRunDataTagsItem(TypedDict):
    key: str
    value: str


class _GetRunResponseRunInfoRequired(TypedDict):
    artifact_uri: str
    experiment_id: str
    lifecycle_stage: Literal["active", "deleted"]
    run_id: str
    run_name: str
    #: the same as run_id (older clients read this)
    run_uuid: str
    #: epoch ms
    start_time: int
    status: Literal["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"]
    user_id: str


class GetRunResponseRunInfo(_GetRunResponseRunInfoRequired, total=False):
    #: epoch ms; absent while the run has not ended
    end_time: int


class GetRunResponseRunInputs(TypedDict):
    dataset_inputs: List[GetRunResponseRunInputsDatasetInputsItem]
    #: always empty: Ferry records no model inputs
    model_inputs: List[GetRunResponseRunInputsModelInputsItem]


class GetRunResponseRunInputsDatasetInputsItem(TypedDict):
    dataset: GetRunResponseRunInputsDatasetInputsItemDataset
    tags: List[GetRunResponseRunDataTagsItem]


class _GetRunResponseRunInputsDatasetInputsItemDatasetRequired(TypedDict):
    digest: str
    name: str
    #: JSON describing where the data came from
    source: str
    #: e.g. local, http, s3
    source_type: str


class GetRunResponseRunInputsDatasetInputsItemDataset(_GetRunResponseRunInputsDatasetInputsItemDatasetRequired, total=False):
    #: JSON
    profile: str
    #: JSON
    schema: str


class GetRunResponseRunInputsModelInputsItem(TypedDict):
    model_id: str


class GetRunResponseRunOutputs(TypedDict):
    model_outputs: List[GetRunResponseRunOutputsModelOutputsItem]


class GetRunResponseRunOutputsModelOutputsItem(TypedDict):
    model_id: str
    step: int


class GetServerInfoResponse(TypedDict):
    """The answer of ``GET /api/2.0/mlflow/server-info``: Server information"""
    server: Literal["ferry"]
    #: Ferry's version
    version: str


class GetSilenceResponse(TypedDict):
    """The answer of ``GET /api/v1/alerts/silences/{id}``: A silence"""
    silence: GetSilenceResponseSilence


class GetSilenceResponseSilence(TypedDict):
    comment: str
    #: milliseconds since the Unix epoch
    created_at: int
    created_by: str
    #: milliseconds since the Unix epoch
    ends_at: int
    id: str
    matchers: List[GetSilenceResponseSilenceMatchersItem]
    #: milliseconds since the Unix epoch
    starts_at: int
    #: pending: starts later
    status: Literal["active", "pending", "expired"]


class GetSilenceResponseSilenceMatchersItem(TypedDict):
    is_regex: bool
    name: str
    value: str


class GetStreamBindingResponse(TypedDict):
    """The answer of ``GET /api/v1/deployments/{name}/streams/{stream}``: One stream binding with its state and
    lag
    """
    stream: GetStreamBindingResponseStream


class GetStreamBindingResponseStream(TypedDict):
    batch_size: int
    bytes_dtype: Literal["float32", "float64"]
    concurrency: int
    #: milliseconds since the Unix epoch
    created_at: int
    created_by: str
    dead_letter: str
    deployment: str
    enabled: bool
    #: records: a JSON object per message, one row ({feature: value}) or MLflow's scoring forms (instances,
    #: dataframe_split, dataframe_records, inputs); v2: the Open Inference Protocol's JSON inference request; bytes:
    #: rows of little-endian numbers in the model's feature order, as `bytes_dtype` says
    format: Literal["records", "v2", "bytes"]
    group: str
    has_credentials: bool
    id_field: Optional[str]
    input: str
    key_field: Optional[str]
    #: kafka (a topic, consumer group), redis (a Redis stream, XREADGROUP group) or nats (a JetStream subject,
    #: durable consumer)
    kind: Literal["kafka", "redis", "nats"]
    max_wait_ms: int
    name: str
    output: str
    status: GetStreamBindingResponseStreamStatus
    tls: bool
    #: milliseconds since the Unix epoch
    updated_at: int
    url: str


class _GetStreamBindingResponseStreamStatusRequired(TypedDict):
    #: messages this replica sent to the dead-letter destination
    dead_lettered: int
    lag: Optional[int]
    #: messages consumed by this replica since it started
    messages_in: int
    #: results produced by this replica since it started
    messages_out: int
    #: messages seen again whose prediction was logged already (scored and produced again, logged once)
    redelivered: int
    #: starting (connecting), running, paused (the deployment is not ready or its queue is full: consumption waits,
    #: nothing is dropped), stopped (disabled), failed (see reason; retried)
    state: Literal["starting", "running", "paused", "stopped", "failed"]
    updated_at: Optional[int]


class GetStreamBindingResponseStreamStatus(_GetStreamBindingResponseStreamStatusRequired, total=False):
    #: why it is paused or failed
    reason: str


class GetSuiteResponse(TypedDict):
    """The answer of ``GET /api/v1/suites/{name}``: A suite with its expectations and attachments"""
    suite: GetSuiteResponseSuite


class GetSuiteResponseSuite(TypedDict):
    attachments: List[GetSuiteResponseSuiteAttachmentsItem]
    #: ISO 8601 time
    created_at: str
    created_by: str
    name: str
    suite: PutSuiteResponseSuite
    #: ISO 8601 time
    updated_at: str


class GetSuiteResponseSuiteAttachmentsItem(TypedDict):
    target: str
    target_kind: Literal["dataset", "deployment"]


class GetValidationResponse(TypedDict):
    """The answer of ``GET /api/v1/validations/{id}``: One validation result, whole"""
    validation: GetValidationResponseValidation


class GetValidationResponseValidation(TypedDict):
    #: ISO 8601 time
    created_at: str
    evaluated: int
    failed: int
    id: int
    result: ValidateFileResponseResult
    success: bool
    suite: str
    #: a dataset or deployment name
    target: str
    target_kind: Literal["dataset", "deployment"]
    version: Optional[int]
    window_start: Optional[str]


class _InferSuiteBodyRequired(TypedDict):
    #: NAME@VERSION (VERSION a number, tag, latest or digest prefix; latest when omitted)
    dataset: str


class InferSuiteBody(_InferSuiteBodyRequired, total=False):
    """The JSON body of ``POST /api/v1/suites/infer``: Propose a suite from a dataset version's profile (saved
    with save=true)
    """
    #: 1–128 letters, digits, '.', '_' or '-', starting with a letter or digit
    name: str
    #: store the suite (replacing one of that name)
    save: bool


class InferSuiteResponse(TypedDict):
    """The answer of ``POST /api/v1/suites/infer``: Propose a suite from a dataset version's profile (saved with
    save=true)
    """
    saved: bool
    suite: PutSuiteResponseSuite


class ListAbTestsResponse(TypedDict):
    """The answer of ``GET /api/v1/abtests``: A/B tests, newest first"""
    abtests: List[GetAbTestResponseAbtest]


class _ListAlertHistoryResponseRequired(TypedDict):
    events: List[ListAlertHistoryResponseEventsItem]


class ListAlertHistoryResponse(_ListAlertHistoryResponseRequired, total=False):
    """The answer of ``GET /api/v1/alerts/history``: Alert events (pending, firing, resolved, inactive), newest
    first
    """
    #: pass as page_token for the next (older) page; absent on the last page
    next_page_token: str


class ListAlertHistoryResponseEventsItem(TypedDict):
    comparison: Literal[">", ">=", "<", "<=", "==", "!="]
    deployment: str
    event: Literal["pending", "firing", "resolved", "inactive"]
    fingerprint: str
    id: int
    metric: str
    rule: str
    rule_id: str
    severity: Literal["info", "warning", "critical"]
    threshold: float
    #: milliseconds since the Unix epoch
    ts: int
    value: Optional[float]


class ListAlertNotificationsResponse(TypedDict):
    """The answer of ``GET /api/v1/alerts/notifications``: Notifications sent, failed or silenced, newest first"""
    notifications: List[ListAlertNotificationsResponseNotificationsItem]


class ListAlertNotificationsResponseNotificationsItem(TypedDict):
    alert_status: Literal["firing", "resolved"]
    attempts: int
    #: milliseconds since the Unix epoch
    created_at: int
    deployment: str
    group_key: str
    id: str
    last_error: Optional[str]
    notifier: Optional[str]
    notifier_id: Optional[str]
    #: the JSON body sent (webhook or Slack form)
    payload: Any
    sent_at: Optional[int]
    status: Literal["sent", "failed", "silenced"]


class ListAlertRulesResponse(TypedDict):
    """The answer of ``GET /api/v1/alerts/rules``: Alert rules"""
    rules: List[GetAlertRuleResponseRule]


class ListAlertsResponse(TypedDict):
    """The answer of ``GET /api/v1/alerts``: Current alerts: pending and firing by default"""
    alerts: List[ListAlertsResponseAlertsItem]


class ListAlertsResponseAlertsItem(TypedDict):
    active_since: Optional[int]
    comparison: Literal[">", ">=", "<", "<=", "==", "!="]
    deployment: str
    enabled: bool
    fingerprint: str
    firing_since: Optional[int]
    keep_firing_since: Optional[int]
    labels: Dict[str, str]
    last_eval_at: Optional[int]
    metric: str
    resolved_at: Optional[int]
    rule: str
    rule_id: str
    severity: Literal["info", "warning", "critical"]
    state: Literal["inactive", "pending", "firing"]
    threshold: float
    value: Optional[float]


class ListApprovalPoliciesResponse(TypedDict):
    """The answer of ``GET /api/v1/models/{name}/policies``: The model's approval policies, by alias"""
    policies: List[GetApprovalPolicyResponsePolicy]


class ListApprovalsResponse(TypedDict):
    """The answer of ``GET /api/v1/models/{name}/versions/{version}/approvals``: Decisions recorded on the
    version, newest first, each marked current or superseded
    """
    approvals: List[RecordApprovalResponseApproval]


class ListArtifactsResponse(TypedDict):
    """The answer of ``GET /api/2.0/mlflow/artifacts/list``: List a run's artifacts directly under a path"""
    files: List[ListArtifactsResponseFilesItem]
    #: the run's artifact URI
    root_uri: str


class _ListArtifactsResponseFilesItemRequired(TypedDict):
    is_dir: bool
    #: relative to the listed root (a run listing) or the name under the listed folder (the proxy)
    path: str


class ListArtifactsResponseFilesItem(_ListArtifactsResponseFilesItemRequired, total=False):
    #: bytes; absent for folders
    file_size: int


class _ListAuditResponseRequired(TypedDict):
    entries: List[ListAuditResponseEntriesItem]


class ListAuditResponse(_ListAuditResponseRequired, total=False):
    """The answer of ``GET /api/v1/audit``: Read the audit log, newest first"""
    #: pass as before for the next (older) page; absent on the last page
    next_before: int


class ListAuditResponseEntriesItem(TypedDict):
    action: str
    actor: str
    audit_id: int
    ip: str
    method: str
    path: str
    status: int
    #: milliseconds since the Unix epoch
    ts: int


class ListDatasetVersionsResponse(TypedDict):
    """The answer of ``GET /api/v1/datasets/{name}/versions``: A dataset's versions, newest first"""
    versions: List[SetDatasetTagResponseVersion]


class ListDatasetsResponse(TypedDict):
    """The answer of ``GET /api/v1/datasets``: Datasets with their version counts"""
    datasets: List[ListDatasetsResponseDatasetsItem]


class ListDatasetsResponseDatasetsItem(TypedDict):
    #: ISO 8601 time
    created_at: str
    created_by: str
    description: str
    latest_version: Optional[int]
    name: str
    #: ISO 8601 time
    updated_at: str
    versions: int


class ListDeploymentRevisionsResponse(TypedDict):
    """The answer of ``GET /api/v1/deployments/{name}/revisions``: A deployment's revision history, newest first"""
    revisions: List[ListDeploymentRevisionsResponseRevisionsItem]


class ListDeploymentRevisionsResponseRevisionsItem(TypedDict):
    #: 'created', 'updated' or 'rollback to revision N'
    comment: str
    #: milliseconds since the Unix epoch
    created_at: int
    created_by: str
    revision: int
    spec: GetDeploymentResponseDeploymentSpec


class ListDeploymentsResponse(TypedDict):
    """The answer of ``GET /api/v1/deployments``: List deployments with their live status"""
    deployments: List[GetDeploymentResponseDeployment]


class ListExecutorsResponse(TypedDict):
    """The answer of ``GET /api/v1/executors``: Executors jobs can run on (credentials never shown)"""
    executors: List[GetExecutorResponseExecutor]


class ListFairnessReportsResponse(TypedDict):
    """The answer of ``GET /api/v1/models/{name}/versions/{version}/fairness``: The model version's stored
    fairness reports, newest first
    """
    reports: List[ListFairnessReportsResponseReportsItem]


class ListFairnessReportsResponseReportsItem(TypedDict):
    created_at: str
    created_by: str
    dataset: str
    dataset_version: int
    demographic_parity_ratio: Optional[float]
    four_fifths_flagged: bool
    id: int
    model: str
    n_rows: int
    sensitive_features: List[str]
    version: str


class ListGateEventsResponse(TypedDict):
    """The answer of ``GET /api/v1/models/{name}/gate-events``: The gate's record for the model, newest first:
    policy changes, approvals, alias moves allowed and refused, each with its reason and evidence
    """
    events: List[ListGateEventsResponseEventsItem]


class ListGateEventsResponseEventsItem(TypedDict):
    actor: str
    alias: str
    #: milliseconds since the Unix epoch
    created_at: int
    evidence: Any
    id: int
    kind: Literal["policy_set", "policy_deleted", "approval", "alias_moved", "alias_refused"]
    model: str
    reason: str
    version: Optional[str]


class _ListJobsResponseRequired(TypedDict):
    jobs: List[GetJobResponseJob]


class ListJobsResponse(_ListJobsResponseRequired, total=False):
    """The answer of ``GET /api/v1/jobs``: Jobs, newest first"""
    #: from the previous page; absent on the last page
    next_page_token: str


class ListLoopRunsResponse(TypedDict):
    """The answer of ``GET /api/v1/loops/{name}/runs``: A loop's runs, newest first"""
    loop_runs: List[TriggerLoopResponseLoopRun]


class ListLoopsResponse(TypedDict):
    """The answer of ``GET /api/v1/loops``: Loops, by name, with their last run"""
    loops: List[GetLoopResponseLoop]


class ListNotifiersResponse(TypedDict):
    """The answer of ``GET /api/v1/alerts/notifiers``: Notifiers (secrets are never returned)"""
    notifiers: List[GetNotifierResponseNotifier]


class _ListPredictionsResponseRequired(TypedDict):
    predictions: List[ListPredictionsResponsePredictionsItem]


class ListPredictionsResponse(_ListPredictionsResponseRequired, total=False):
    """The answer of ``GET /api/v1/deployments/{name}/predictions``: Logged predictions, newest first (filter by
    time, model version, status, route); format=jsonl|csv exports every match
    """
    #: pass as page_token for the next (older) page; absent on the last page
    next_page_token: str


class _ListPredictionsResponsePredictionsItemRequired(TypedDict):
    deployment: str
    error: Optional[str]
    inputs: Dict[str, Any]
    latency_us: int
    model: str
    model_version: str
    outputs: Dict[str, Any]
    request_id: str
    revision: int
    route: Literal["main", "shadow"]
    row: int
    status: Literal["ok", "client_error", "error"]
    #: ISO 8601
    timestamp: str


class ListPredictionsResponsePredictionsItem(_ListPredictionsResponsePredictionsItemRequired, total=False):
    #: the id of the A/B test the request was served under (its arm is model_version)
    abtest: str
    #: the A/B test's unit the request counted for: the sticky key's value (a keyed hash when the deployment's PII
    #: rules hash or drop that field), or the request id
    unit: str


class ListProxiedArtifactsResponse(TypedDict):
    """The answer of ``GET /api/2.0/mlflow-artifacts/artifacts``: List artifacts directly under a path of the
    artifact store
    """
    files: List[ListArtifactsResponseFilesItem]


class ListSilencesResponse(TypedDict):
    """The answer of ``GET /api/v1/alerts/silences``: Silences in force or to come"""
    silences: List[GetSilenceResponseSilence]


class ListStreamBindingsResponse(TypedDict):
    """The answer of ``GET /api/v1/deployments/{name}/streams``: A deployment's stream bindings with their state
    and lag
    """
    streams: List[GetStreamBindingResponseStream]


class ListSuitesResponse(TypedDict):
    """The answer of ``GET /api/v1/suites``: Validation suites, by name"""
    suites: List[ListSuitesResponseSuitesItem]


class ListSuitesResponseSuitesItem(TypedDict):
    created_by: str
    #: how many
    expectations: int
    name: str
    #: ISO 8601 time
    updated_at: str


class ListTokensResponse(TypedDict):
    """The answer of ``GET /api/v1/tokens``: List API tokens (never their secrets)"""
    tokens: List[ListTokensResponseTokensItem]


class ListTokensResponseTokensItem(TypedDict):
    #: milliseconds since the Unix epoch
    created_at: int
    created_by: str
    #: the one deployment a prediction-only token may call (its prediction routes); null: an ordinary token, its
    #: role says what it may do
    deployment: Optional[str]
    #: milliseconds since the Unix epoch from which the token is refused (401, saying it expired); null: never
    expires_at: Optional[int]
    name: str
    revoked_at: Optional[int]
    #: viewer reads; editor writes; admin manages tokens, users and the audit log
    role: Literal["viewer", "editor", "admin"]
    #: active; revoked (revoked_at is set; it wins over expired); or expired (expires_at has passed)
    status: Literal["active", "revoked", "expired"]
    token_id: str


class ListUsersResponse(TypedDict):
    """The answer of ``GET /api/v1/users``: List users"""
    users: List[ListUsersResponseUsersItem]


class ListUsersResponseUsersItem(TypedDict):
    #: milliseconds since the Unix epoch
    created_at: int
    #: viewer reads; editor writes; admin manages tokens, users and the audit log
    role: Literal["viewer", "editor", "admin"]
    username: str


class ListValidationsResponse(TypedDict):
    """The answer of ``GET /api/v1/validations``: Validation results, newest first (filter by target_kind,
    target, suite, success)
    """
    validations: List[ListValidationsResponseValidationsItem]


class ListValidationsResponseValidationsItem(TypedDict):
    #: ISO 8601 time
    created_at: str
    evaluated: int
    failed: int
    id: int
    success: bool
    suite: str
    #: a dataset or deployment name
    target: str
    target_kind: Literal["dataset", "deployment"]
    version: Optional[int]
    window_start: Optional[str]


class LogBatchBody(TypedDict, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/runs/log-batch``: Log metrics, params and tags in one call"""
    metrics: List[LogBatchBodyMetricsItem]
    params: List[LogBatchBodyTagsItem]
    #: the run's id (run_uuid is accepted for older clients)
    run_id: str
    #: deprecated alias of run_id
    run_uuid: str
    tags: List[LogBatchBodyTagsItem]


class _LogBatchBodyMetricsItemRequired(TypedDict):
    #: letters, digits, '_', '-', '.', ' ', ':' and '/'; at most 250 characters
    key: str
    #: epoch ms
    timestamp: int
    #: a number; "NaN", "Infinity" or "-Infinity" for non-finite values (or a number written as a string)
    value: Union[float, str]


class LogBatchBodyMetricsItem(_LogBatchBodyMetricsItemRequired, total=False):
    dataset_digest: str
    dataset_name: str
    #: the logged model this value belongs to
    model_id: str
    #: default 0
    step: int


class _LogBatchBodyTagsItemRequired(TypedDict):
    #: letters, digits, '_', '-', '.', ' ', ':' and '/'; at most 250 characters
    key: str


class LogBatchBodyTagsItem(_LogBatchBodyTagsItemRequired, total=False):
    value: str


class LogInputsBody(TypedDict, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/runs/log-inputs``: Log dataset inputs of a run"""
    datasets: List[LogInputsBodyDatasetsItem]
    #: the run's id (run_uuid is accepted for older clients)
    run_id: str
    #: deprecated alias of run_id
    run_uuid: str


class _LogInputsBodyDatasetsItemRequired(TypedDict):
    dataset: GetRunResponseRunInputsDatasetInputsItemDataset


class LogInputsBodyDatasetsItem(_LogInputsBodyDatasetsItemRequired, total=False):
    tags: List[LogBatchBodyTagsItem]


class LogLoggedModelParamsBody(TypedDict, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/logged-models/{model_id}/params``: Log logged model params (a key
    already logged keeps its value)
    """
    #: the same as the path (the mlflow client sends it)
    model_id: str
    params: List[LogBatchBodyTagsItem]


class _LogMetricBodyRequired(TypedDict):
    #: letters, digits, '_', '-', '.', ' ', ':' and '/'; at most 250 characters
    key: str
    #: epoch ms
    timestamp: int
    #: a number; "NaN", "Infinity" or "-Infinity" for non-finite values (or a number written as a string)
    value: Union[float, str]


class LogMetricBody(_LogMetricBodyRequired, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/runs/log-metric``: Log a metric"""
    dataset_digest: str
    dataset_name: str
    #: the logged model this value belongs to
    model_id: str
    #: the run's id (run_uuid is accepted for older clients)
    run_id: str
    #: deprecated alias of run_id
    run_uuid: str
    #: default 0
    step: int


class _LogModelBodyRequired(TypedDict):
    #: the MLmodel as JSON: artifact_path, flavors, utc_time_created and run_id at least
    model_json: str


class LogModelBody(_LogModelBodyRequired, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/runs/log-model``: Record a logged model in the run’s history tag
    (MLflow 2 clients)
    """
    #: the run's id (run_uuid is accepted for older clients)
    run_id: str
    #: deprecated alias of run_id
    run_uuid: str


class LogOutputsBody(TypedDict, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/runs/outputs``: Link logged models as run outputs"""
    models: List[LogOutputsBodyModelsItem]
    #: the run's id (run_uuid is accepted for older clients)
    run_id: str
    #: deprecated alias of run_id
    run_uuid: str


class _LogOutputsBodyModelsItemRequired(TypedDict):
    model_id: str


class LogOutputsBodyModelsItem(_LogOutputsBodyModelsItemRequired, total=False):
    #: default 0
    step: int


class ModelImportanceResponse(TypedDict):
    """The answer of ``GET /api/v1/models/{name}/versions/{version}/importance``: A model version's global
    feature importance: mean |Shapley value| over a seeded sample of the background
    """
    background: ModelImportanceResponseBackground
    #: answered without computing: from the cache of this (version, background digest, method, rows, seed), or
    #: stored=true
    cached: bool
    features: List[ModelImportanceResponseFeaturesItem]
    method: Literal["tree_interventional", "kernel", "exact", "permutation", "linear"]
    model: str
    model_version: str
    #: probability: a classifier's class probabilities; margin: its raw score before the link; raw: a regressor's
    #: value
    output_space: Literal["probability", "margin", "raw"]
    outputs: List[str]
    #: rows explained
    rows: int
    #: the seed of the rows sample and of the sampling explainers
    seed: int
    summary: Optional[ModelImportanceResponseSummary]
    truncated: bool


class ModelImportanceResponseBackground(TypedDict):
    dataset: str
    #: sha256 of the background rows as the model saw them
    digest: str
    #: background rows used
    rows: int
    #: how the background was chosen
    source: Literal["request", "monitoring_reference", "training_data"]
    version: str


class ModelImportanceResponseFeaturesItem(TypedDict):
    feature: str
    mean_abs: float
    per_output: List[float]


class ModelImportanceResponseSummary(TypedDict):
    """the stored summary these figures are (what the model card shows); null on a server that stores none"""
    #: milliseconds since the Unix epoch
    created_at: int
    created_by: str
    id: int


class PauseLoopBody(TypedDict, total=False):
    reason: str


class PredictBody(TypedDict, total=False):
    """The JSON body of ``POST /api/v1/deployments/{name}/predict``: Predict from JSON records (MLflow scoring
    formats)
    """
    #: rows as {feature: value} objects
    dataframe_records: List[Dict[str, Any]]
    #: pandas' split orient: column names and rows of values
    dataframe_split: PredictBodyDataframeSplit
    #: columns as {feature: [values]} or a list of rows
    inputs: Union[Dict[str, List[Any]], List[Any]]
    #: rows as {feature: value} objects or as lists in feature order
    instances: List[Union[Dict[str, Any], List[Any]]]


class _PredictBodyDataframeSplitRequired(TypedDict):
    columns: List[str]
    data: List[List[Any]]


class PredictBodyDataframeSplit(_PredictBodyDataframeSplitRequired, total=False):
    """pandas' split orient: column names and rows of values"""
    index: List[Any]


class PredictResponse(TypedDict):
    """The answer of ``POST /api/v1/deployments/{name}/predict``: Predict from JSON records (MLflow scoring
    formats)
    """
    deployment: str
    model: str
    model_version: str
    #: one per input row: a value, or an object keyed by output name when the model has several outputs
    predictions: List[Any]
    #: refer to it when sending feedback
    request_id: str
    revision: int


class PromoteLoopRunBody(TypedDict):
    """The JSON body of ``POST /api/v1/loops/{name}/runs/{seq}/promote``: Force the candidate's promotion,
    whatever the gate or judge said (the reason is recorded)
    """
    reason: str


class PushDatasetVersionResponse(TypedDict):
    """The answer of ``POST /api/v1/datasets/{name}/versions``: Push a data file (CSV, JSON Lines, Parquet) as a
    dataset version; identical bytes answer the existing version
    """
    #: false: these bytes were pushed before; the existing version is answered
    created: bool
    validations: List[PushDatasetVersionResponseValidationsItem]
    version: SetDatasetTagResponseVersion


class PushDatasetVersionResponseValidationsItem(TypedDict):
    evaluated: int
    failed: int
    id: int
    success: bool
    suite: str


class _PutApprovalPolicyBodyRequired(TypedDict):
    #: every one must pass
    checks: List[Union[GetApprovalPolicyResponsePolicyChecksItemMetric, GetApprovalPolicyResponsePolicyChecksItemFairness, GetApprovalPolicyResponsePolicyChecksItemCard, GetApprovalPolicyResponsePolicyChecksItemValidation]]


class PutApprovalPolicyBody(_PutApprovalPolicyBodyRequired, total=False):
    """The JSON body of ``PUT /api/v1/models/{name}/policies/{alias}``: Set the alias's approval policy (checks
    and approvers); replaces any policy it had
    """
    description: str
    #: independent approvals needed (default 1); the version's author never counts
    required_approvals: int
    #: roles whose approvals count (default ['admin'])
    roles: List[Literal["editor", "admin"]]


class PutApprovalPolicyResponse(TypedDict):
    """The answer of ``PUT /api/v1/models/{name}/policies/{alias}``: Set the alias's approval policy (checks and
    approvers); replaces any policy it had
    """
    created: bool
    policy: GetApprovalPolicyResponsePolicy


class PutCardFieldsBody(TypedDict, total=False):
    """The JSON body of ``PUT /api/v1/models/{name}/card``: Set or clear a model's (or one version's) authored
    card fields
    """
    contact: Optional[str]
    ethical_considerations: Optional[str]
    intended_use: Optional[str]
    limitations: Optional[str]
    out_of_scope_uses: Optional[str]
    owner: Optional[str]
    users: Optional[str]
    #: a model version number
    version: str


class _PutExecutorBodyRequired(TypedDict):
    kind: Literal["local", "ray", "kubernetes"]


class PutExecutorBody(_PutExecutorBodyRequired, total=False):
    """The JSON body of ``PUT /api/v1/executors/{name}``: Create or replace an executor (a token given is stored
    encrypted; leave it out to keep the stored one)
    """
    #: ray: the head's dashboard URL (http://host:8265)
    address: str
    #: kubernetes: PEM of the API server's CA
    ca_cert: str
    #: default true
    enabled: bool
    #: local: the executor's own Python; virtualenv: a virtual environment built from python_env.yaml (cached by its
    #: digest)
    env_manager: Literal["local", "virtualenv"]
    #: local: after SIGTERM, wait this long before SIGKILL (default 10s); a duration: 0, or numbers (integer or
    #: decimal) with units ms, s, m, h, d, w written together from the largest unit down, e.g. 90s, 5m, 1h30m, 1.5h,
    #: 2d12h; at most 3650d, rounded to the millisecond
    grace_period: str
    #: kubernetes: the image that runs the project (Python with mlflow)
    image: str
    #: kubernetes: do not verify the API server certificate (tests only)
    insecure_skip_tls_verify: bool
    #: jobs this executor runs at once (local default: one per two cores; others 100)
    max_concurrent: int
    #: kubernetes: namespace of the Jobs (default "default")
    namespace: str
    #: kubernetes: the API server's URL
    server: str
    #: kubernetes: the pods' service account
    service_account: str
    #: a bearer token for the cluster; stored encrypted and never returned
    token: str
    #: the server's environment variable that holds the token
    token_env: str
    #: Ferry's URL as the executor's jobs reach it (default: the server's own URL)
    tracking_uri: str
    #: kubernetes: delete finished Jobs after this (default 3600)
    ttl_seconds_after_finished: int


PutReferenceBody = TypedDict('PutReferenceBody', {
    #: a stored dataset version, NAME@VERSION
    'dataset': 'str',
    #: a past window of this deployment’s own traffic: its start (ISO 8601, epoch ms or a duration ago)
    'from': 'Union[str, int]',
    #: a column of the table or dataset holding predictions (else the live model scores it)
    'prediction_column': 'str',
    #: the window’s end (default: now)
    'to': 'Union[str, int]',
    #: the dataset version the serving model version was trained on (lineage)
    'training_data': 'Literal[True]',
}, total=False)


class PutReferenceResponse(TypedDict):
    """The answer of ``PUT /api/v1/deployments/{name}/reference``: Attach the reference drift is measured
    against: a CSV / JSON Lines table, a dataset version, or a past window of traffic
    """
    reference: PutReferenceResponseReference


class PutReferenceResponseReference(TypedDict):
    columns: List[str]
    rows: int
    source: Union[GetDriftResponseReferenceSourceFile, GetDriftResponseReferenceSourceDataset, GetDriftResponseReferenceSourceWindow]


class _PutSuiteBodyRequired(TypedDict):
    expectations: List[PutSuiteBodyExpectationsItem]


class PutSuiteBody(_PutSuiteBodyRequired, total=False):
    """The JSON body of ``PUT /api/v1/suites/{name}``: Create or replace a suite (Great Expectations-style
    expectations JSON)
    """
    #: GE bookkeeping; accepted and dropped
    data_asset_type: Any
    #: GE 0.x spelling of name; ignored as name is
    expectation_suite_name: str
    #: GE bookkeeping; accepted and dropped
    ge_cloud_id: Any
    #: GE bookkeeping; accepted and dropped
    id: Any
    meta: Optional[Dict[str, Any]]
    #: ignored: the URL names the suite
    name: str
    #: GE bookkeeping; accepted and dropped
    notes: Any


class PutSuiteBodyExpectationsItem(TypedDict, total=False):
    #: GE 0.x spelling of type
    expectation_type: str
    #: the type's arguments (see ExpectationKwargs); GE's result_format, catch_exceptions and include_config are
    #: accepted and dropped
    kwargs: Dict[str, Any]
    meta: Optional[Dict[str, Any]]
    #: a Great Expectations expectation type
    type: Literal["expect_column_to_exist", "expect_column_values_to_be_of_type", "expect_column_values_to_not_be_null", "expect_column_values_to_be_between", "expect_column_values_to_be_in_set", "expect_column_values_to_match_regex", "expect_column_values_to_be_unique", "expect_table_row_count_to_be_between", "expect_column_mean_to_be_between", "expect_column_stdev_to_be_between", "expect_column_quantile_values_to_be_between", "expect_column_unique_value_count_to_be_between", "expect_column_distinct_values_to_be_in_set"]


class PutSuiteResponse(TypedDict):
    """The answer of ``PUT /api/v1/suites/{name}``: Create or replace a suite (Great Expectations-style
    expectations JSON)
    """
    #: false: an existing suite was replaced
    created: bool
    suite: PutSuiteResponseSuite


class _PutSuiteResponseSuiteRequired(TypedDict):
    expectations: List[PutSuiteResponseSuiteExpectationsItem]
    name: str


class PutSuiteResponseSuite(_PutSuiteResponseSuiteRequired, total=False):
    #: the author's own notes, kept as given
    meta: Dict[str, Any]


class _PutSuiteResponseSuiteExpectationsItemRequired(TypedDict):
    kwargs: PutSuiteResponseSuiteExpectationsItemKwargs
    #: a Great Expectations expectation type
    type: Literal["expect_column_to_exist", "expect_column_values_to_be_of_type", "expect_column_values_to_not_be_null", "expect_column_values_to_be_between", "expect_column_values_to_be_in_set", "expect_column_values_to_match_regex", "expect_column_values_to_be_unique", "expect_table_row_count_to_be_between", "expect_column_mean_to_be_between", "expect_column_stdev_to_be_between", "expect_column_quantile_values_to_be_between", "expect_column_unique_value_count_to_be_between", "expect_column_distinct_values_to_be_in_set"]


class PutSuiteResponseSuiteExpectationsItem(_PutSuiteResponseSuiteExpectationsItemRequired, total=False):
    #: the author's own notes, kept as given
    meta: Dict[str, Any]


class PutSuiteResponseSuiteExpectationsItemKwargs(TypedDict, total=False):
    column: str
    max_value: Optional[Union[float, str]]
    min_value: Optional[Union[float, str]]
    #: share of non-missing values that must pass, in (0, 1]
    mostly: float
    quantile_ranges: PutSuiteResponseSuiteExpectationsItemKwargsQuantileRanges
    regex: str
    strict_max: bool
    strict_min: bool
    type_: str
    value_set: List[Union[str, float, bool]]


class PutSuiteResponseSuiteExpectationsItemKwargsQuantileRanges(TypedDict):
    quantiles: List[float]
    value_ranges: List[List[Optional[float]]]


class _RecordApprovalBodyRequired(TypedDict):
    #: an alias: letters, digits, '_' or '-'
    alias: str
    decision: Literal["approve", "reject"]


class RecordApprovalBody(_RecordApprovalBodyRequired, total=False):
    """The JSON body of ``POST /api/v1/models/{name}/versions/{version}/approvals``: Approve or reject the
    version for an alias; records who, when, their role, the comment and the version's card hash
    """
    #: why (recorded with the decision)
    comment: str


class RecordApprovalResponse(TypedDict):
    """The answer of ``POST /api/v1/models/{name}/versions/{version}/approvals``: Approve or reject the version
    for an alias; records who, when, their role, the comment and the version's card hash
    """
    approval: RecordApprovalResponseApproval
    gate: GetApprovalGateResponse


class RecordApprovalResponseApproval(TypedDict):
    actor: str
    alias: str
    comment: str
    #: whether the gate counts it now
    counts: bool
    #: milliseconds since the Unix epoch
    created_at: int
    decision: Literal["approve", "reject"]
    #: the hash of the version's card (its facts) when the decision was recorded
    facts_hash: str
    id: int
    model: str
    #: why it counts or not, in one sentence
    note: str
    #: the approver's role when they decided
    role: str
    #: superseded: a fact of the version changed since (the hash differs), or the same person decided again later
    status: Literal["current", "superseded"]
    version: str


class RegisterOnnxModelResponse(TypedDict):
    """The answer of ``POST /api/v1/models/{name}/versions``: Register an .onnx file as a new model version
    (checked before it is stored)
    """
    model_version: GetModelVersionResponseModelVersion
    signature: RegisterOnnxModelResponseSignature


class RegisterOnnxModelResponseSignature(TypedDict):
    #: column names, in order, for records input
    features: List[str]
    inputs: List[RegisterOnnxModelResponseSignatureInputsItem]
    #: one 2-D tensor whose columns are the features, or one [N, 1] input per column
    layout: Literal["single-tensor", "per-column"]
    #: tensor outputs only
    outputs: List[RegisterOnnxModelResponseSignatureInputsItem]
    #: non-tensor outputs (ZipMap's sequence of maps), not served
    skippedOutputs: List[str]


class RegisterOnnxModelResponseSignatureInputsItem(TypedDict):
    name: str
    #: null for a dynamic dimension (usually the batch)
    shape: List[Optional[int]]
    #: a tensor's element type
    type: Literal["float32", "float64", "int32", "int64", "bool", "string", "uint8", "int8"]


class RenameRegisteredModelBody(TypedDict):
    """The JSON body of ``POST /api/2.0/mlflow/registered-models/rename``: Rename a registered model (its
    versions and aliases follow)
    """
    #: the registered model's name
    name: str
    #: the registered model's name
    new_name: str


class RollbackDeploymentBody(TypedDict):
    """The JSON body of ``POST /api/v1/deployments/{name}/rollback``: Return to an earlier revision (recorded as
    a new revision)
    """
    #: the revision whose spec to return to
    revision: int


class SearchExperimentsBody(TypedDict, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/experiments/search``: Search experiments"""
    #: e.g. name LIKE 'churn%' AND tags.team = 'ml'
    filter: str
    #: page size (default 1000)
    max_results: int
    #: e.g. 'name ASC', 'creation_time DESC'; repeated keys in a query string
    order_by: List[str]
    #: next_page_token of the previous page
    page_token: str
    #: which lifecycle stages to include (default ACTIVE_ONLY); the enum numbers 1-3 are accepted too
    view_type: Literal["ACTIVE_ONLY", "DELETED_ONLY", "ALL", "1", "2", "3"]


class _SearchExperimentsResponseRequired(TypedDict):
    experiments: List[GetExperimentResponseExperiment]


class SearchExperimentsResponse(_SearchExperimentsResponseRequired, total=False):
    """The answer of ``POST /api/2.0/mlflow/experiments/search``: Search experiments"""
    #: from the previous page; absent on the last page
    next_page_token: str


class SearchLoggedModelsBody(TypedDict, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/logged-models/search``: Search logged models"""
    #: experiment ids; repeated keys in a query string
    experiment_ids: List[str]
    #: on name, model_id, source_run_id, status, model_type and tags.<key>, e.g. name = 'clf'
    filter: str
    #: page size (default 100)
    max_results: int
    order_by: List[SearchLoggedModelsBodyOrderByItem]
    #: next_page_token of the previous page
    page_token: str


class _SearchLoggedModelsBodyOrderByItemRequired(TypedDict):
    #: name, creation_timestamp, last_updated_timestamp or model_id
    field_name: str


class SearchLoggedModelsBodyOrderByItem(_SearchLoggedModelsBodyOrderByItemRequired, total=False):
    #: default true
    ascending: bool


class _SearchLoggedModelsResponseRequired(TypedDict):
    models: List[GetLoggedModelResponseModel]


class SearchLoggedModelsResponse(_SearchLoggedModelsResponseRequired, total=False):
    """The answer of ``POST /api/2.0/mlflow/logged-models/search``: Search logged models"""
    #: from the previous page; absent on the last page
    next_page_token: str


class _SearchModelVersionsResponseRequired(TypedDict):
    model_versions: List[GetModelVersionResponseModelVersion]


class SearchModelVersionsResponse(_SearchModelVersionsResponseRequired, total=False):
    """The answer of ``GET /api/2.0/mlflow/model-versions/search``: Search model versions"""
    #: pass as page_token for the next page; absent on the last page
    next_page_token: str


class _SearchRegisteredModelsResponseRequired(TypedDict):
    registered_models: List[GetRegisteredModelResponseRegisteredModel]


class SearchRegisteredModelsResponse(_SearchRegisteredModelsResponseRequired, total=False):
    """The answer of ``GET /api/2.0/mlflow/registered-models/search``: Search registered models"""
    #: pass as page_token for the next page; absent on the last page
    next_page_token: str


class SearchRunsBody(TypedDict, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/runs/search``: Search runs with a filter"""
    #: experiment ids; repeated keys in a query string
    experiment_ids: List[str]
    #: MLflow's run filter, e.g. metrics.rmse < 0.8 and params.alpha = '0.5'
    filter: str
    #: page size (default 1000)
    max_results: int
    #: e.g. 'metrics.rmse ASC', 'attributes.start_time DESC'
    order_by: List[str]
    #: next_page_token of the previous page
    page_token: str
    #: which lifecycle stages to include (default ACTIVE_ONLY); the enum numbers 1-3 are accepted too
    run_view_type: Literal["ACTIVE_ONLY", "DELETED_ONLY", "ALL", "1", "2", "3"]


class _SearchRunsResponseRequired(TypedDict):
    runs: List[GetRunResponseRun]


class SearchRunsResponse(_SearchRunsResponseRequired, total=False):
    """The answer of ``POST /api/2.0/mlflow/runs/search``: Search runs with a filter"""
    #: from the previous page; absent on the last page
    next_page_token: str


class SetAlertDestinationsBody(TypedDict, total=False):
    """The JSON body of ``PUT /api/v1/alerts/destinations``: Replace the destination allow/deny list"""
    #: host names, *.domains, addresses or CIDRs allowed even when private or loopback
    allow: List[str]
    #: refuse every destination not on the allow list
    allow_only: bool
    #: always refused (wins over allow)
    deny: List[str]


class SetDatasetTagBody(TypedDict):
    """The JSON body of ``PUT /api/v1/datasets/{name}/tags/{tag}``: Point a tag at a version"""
    #: version number, tag or digest prefix
    version: Union[str, int]


class SetDatasetTagResponse(TypedDict):
    """The answer of ``PUT /api/v1/datasets/{name}/tags/{tag}``: Point a tag at a version"""
    version: SetDatasetTagResponseVersion


class SetDatasetTagResponseVersion(TypedDict):
    columns: int
    #: ISO 8601 time
    created_at: str
    created_by: str
    dataset: str
    description: str
    #: sha256 of the file's bytes (hex)
    digest: str
    #: the pushed file’s name, for display and downloads
    filename: str
    format: Literal["csv", "jsonl", "parquet"]
    #: NAME@VERSION, what other commands and the API accept
    ref: str
    rows: int
    schema: SetDatasetTagResponseVersionSchema
    size_bytes: int
    tags: List[str]
    version: int


class _SetDatasetTagResponseVersionSchemaRequired(TypedDict):
    columns: List[TableDriftResponseSchemaAddedItem]
    format: Literal["csv", "jsonl", "parquet"]
    #: what did not stop the read (a column demoted to string, …)
    warnings: List[ValidateFileResponseFileWarningsItem]


class SetDatasetTagResponseVersionSchema(_SetDatasetTagResponseVersionSchemaRequired, total=False):
    #: CSV only: the delimiter sniffed from the header line
    delimiter: str


class _SetExperimentTagBodyRequired(TypedDict):
    #: the experiment's id, e.g. "0"
    experiment_id: str
    #: letters, digits, '_', '-', '.', ' ', ':' and '/'; at most 250 characters
    key: str


class SetExperimentTagBody(_SetExperimentTagBodyRequired, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/experiments/set-experiment-tag``: Set an experiment tag"""
    value: str


class SetLoggedModelTagsBody(TypedDict, total=False):
    """The JSON body of ``PATCH /api/2.0/mlflow/logged-models/{model_id}/tags``: Set logged model tags"""
    tags: List[LogBatchBodyTagsItem]


class _SetModelVersionTagBodyRequired(TypedDict):
    #: letters, digits, '_', '-', '.', ' ', ':' and '/'
    key: str
    #: the registered model's name
    name: str
    #: a version number, as a string (MLflow sends int64 as strings); a JSON number is accepted too
    version: str


class SetModelVersionTagBody(_SetModelVersionTagBodyRequired, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/model-versions/set-tag``: Set a model version tag"""
    value: str


class SetRegisteredModelAliasBody(TypedDict):
    """The JSON body of ``POST /api/2.0/mlflow/registered-models/alias``: Point an alias at a version (moving it
    if it exists)
    """
    #: letters, digits, '_' or '-'; not 'latest' or 'v<number>', which name versions
    alias: str
    #: the registered model's name
    name: str
    #: a version number, as a string (MLflow sends int64 as strings); a JSON number is accepted too
    version: str


class _SetRegisteredModelTagBodyRequired(TypedDict):
    #: letters, digits, '_', '-', '.', ' ', ':' and '/'
    key: str
    #: the registered model's name
    name: str


class SetRegisteredModelTagBody(_SetRegisteredModelTagBodyRequired, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/registered-models/set-tag``: Set a registered model tag"""
    value: str


class _SetTagBodyRequired(TypedDict):
    #: letters, digits, '_', '-', '.', ' ', ':' and '/'; at most 250 characters
    key: str


class SetTagBody(_SetTagBodyRequired, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/runs/set-tag``: Set a run tag"""
    #: the run's id (run_uuid is accepted for older clients)
    run_id: str
    #: deprecated alias of run_id
    run_uuid: str
    value: str


class StartConversionBody(TypedDict, total=False):
    """The JSON body of ``POST /api/v1/models/{name}/versions/{version}/conversion``: Convert a model version's
    sklearn, xgboost or lightgbm flavor to ONNX (a job), checked against the original
    """
    #: convert again even when a conversion succeeded
    force: bool


class _SubmitFeedbackBodyAlt1ItemRequired(TypedDict):
    #: the request id a prediction answered (its X-Request-Id: up to 200 characters)
    request_id: str


class SubmitFeedbackBodyAlt1Item(_SubmitFeedbackBodyAlt1ItemRequired, total=False):
    """exactly one of label, value or outcome"""
    #: a class: string, number or boolean
    label: Union[str, float, bool]
    #: any JSON outcome (kept, not scored)
    outcome: Any
    #: row of the request (default 0)
    row: int
    #: when the truth was observed: ISO 8601, epoch ms or a duration ago (default: now)
    timestamp: Union[str, int]
    #: a regression target
    value: float


class SubmitFeedbackBodyVariant1(TypedDict):
    feedback: List[SubmitFeedbackBodyAlt1Item]


class SubmitFeedbackResponse(TypedDict):
    """The answer of ``POST /api/v1/feedback``: Ground truth for earlier predictions; unknown ids are reported
    per item (all unknown: 404)
    """
    accepted: int
    #: items that match no logged prediction
    unknown: List[SubmitFeedbackResponseUnknownItem]


class SubmitFeedbackResponseUnknownItem(TypedDict):
    index: int
    request_id: str
    row: int


class SubmitJobBody(TypedDict, total=False):
    """The JSON body of ``POST /api/v1/jobs``: Submit a job: an entry point of a stored project (or a git commit)
    with parameters, on an executor
    """
    #: default 'main'
    entry_point: str
    #: local: the executor's own Python; virtualenv: a virtual environment built from python_env.yaml (cached by its
    #: digest)
    env_manager: Literal["local", "virtualenv"]
    #: lowercase letters, digits and dashes; 1–63 characters
    executor: str
    experiment_id: str
    experiment_name: str
    git: GetLoopResponseLoopSpecTrainingGit
    #: tries in all (default 1: training is not retried)
    max_attempts: int
    #: values for the entry point's parameters; others are passed as --name value, as mlflow run does
    parameters: Dict[str, Union[str, float, bool]]
    #: higher first (default 0)
    priority: int
    #: a stored project: 'sha256:' and 64 hex digits
    project: str
    resources: GetJobResponseJobResources
    #: wait before the 2nd try, doubling after (default 30s); a duration: 0, or numbers (integer or decimal) with
    #: units ms, s, m, h, d, w written together from the largest unit down, e.g. 90s, 5m, 1h30m, 1.5h, 2d12h; at
    #: most 3650d, rounded to the millisecond
    retry_backoff: str
    run_name: str


class _SubmitOutcomesBodyAlt1ItemRequired(TypedDict):
    #: an outcome metric: letters, digits and _ . : -, at most 128 characters (e.g. conversion, revenue)
    metric: str


class SubmitOutcomesBodyAlt1Item(_SubmitOutcomesBodyAlt1ItemRequired, total=False):
    """exactly one of unit or request_id"""
    #: or the request a prediction answered: its unit is credited
    request_id: str
    #: when it happened: ISO 8601, epoch ms or a duration ago (default: now): ISO 8601, epoch milliseconds, or a
    #: duration ago such as 1h30m
    timestamp: Union[str, int]
    #: the unit: the sticky key's value (a user id, an account)
    unit: str
    #: the amount (revenue, a count); default 1 (an occurrence: a conversion, a click)
    value: float


class SubmitOutcomesBodyVariant1(TypedDict):
    outcomes: List[SubmitOutcomesBodyAlt1Item]


class SubmitOutcomesResponse(TypedDict):
    """The answer of ``POST /api/v1/outcomes``: Business outcome events by unit or request (conversions, revenue,
    defaults, clicks), arriving any time later
    """
    #: events stored
    accepted: int
    #: items whose unit no A/B test has seen (stored all the same when given by unit: a pre-exposure event counts
    #: for CUPED), or whose request is unknown (not stored)
    unknown: List[SubmitOutcomesResponseUnknownItem]


class _SubmitOutcomesResponseUnknownItemRequired(TypedDict):
    index: int
    reason: str


class SubmitOutcomesResponseUnknownItem(_SubmitOutcomesResponseUnknownItemRequired, total=False):
    request_id: str
    unit: str


class _TableDriftBodyRequired(TypedDict):
    #: exactly one of columns / rows; at most 1000000 rows and 1000 columns; one JSON type per column
    current: TableDriftBodyCurrent
    #: exactly one of columns / rows; at most 1000000 rows and 1000 columns; one JSON type per column
    reference: TableDriftBodyCurrent


class TableDriftBody(_TableDriftBodyRequired, total=False):
    """The JSON body of ``POST /api/v1/drift``: Drift between two tables sent in the body (what a dataset diff
    answers; nothing is stored)
    """
    #: compare only these columns (both tables must have them)
    columns: List[str]
    #: share of drifted features at which the dataset counts as drifted (default 0.5)
    drift_share: float
    #: drift test per feature: feature:method pairs, e.g. age:psi,income:ks
    method: str


class TableDriftBodyCurrent(TypedDict, total=False):
    """exactly one of columns / rows; at most 1000000 rows and 1000 columns; one JSON type per column"""
    #: column-oriented: name → its values, every column as long as the others
    columns: Dict[str, List[Optional[Union[str, float, bool]]]]
    #: columns typed float even where every value is whole (JSON cannot tell 1.0 from 1; a CSV can)
    floats: List[str]
    #: row-oriented: one object per row; a key a row lacks is null there
    rows: List[Dict[str, Optional[Union[str, float, bool]]]]


class TableDriftResponse(TypedDict):
    """The answer of ``POST /api/v1/drift``: Drift between two tables sent in the body (what a dataset diff
    answers; nothing is stored)
    """
    current: TableDriftResponseCurrent
    #: each shared column's drift, reference against current
    drift: List[GetDriftResponsePrediction]
    reference: TableDriftResponseCurrent
    schema: TableDriftResponseSchema
    #: shared columns no test could compare
    skipped: List[TableDriftResponseSkippedItem]
    summary: TableDriftResponseSummary


class TableDriftResponseCurrent(TypedDict):
    columns: int
    rows: int
    warnings: List[ValidateFileResponseFileWarningsItem]


class TableDriftResponseSchema(TypedDict):
    added: List[TableDriftResponseSchemaAddedItem]
    nullability: List[TableDriftResponseSchemaNullabilityItem]
    removed: List[TableDriftResponseSchemaAddedItem]
    retyped: List[TableDriftResponseSchemaRetypedItem]
    unchanged: int


class TableDriftResponseSchemaAddedItem(TypedDict):
    name: str
    nullable: bool
    type: Literal["integer", "float", "boolean", "string", "datetime"]


TableDriftResponseSchemaNullabilityItem = TypedDict('TableDriftResponseSchemaNullabilityItem', {
    'from': 'bool',
    'name': 'str',
    'to': 'bool',
})


TableDriftResponseSchemaRetypedItem = TypedDict('TableDriftResponseSchemaRetypedItem', {
    'from': 'Literal["integer", "float", "boolean", "string", "datetime"]',
    'name': 'str',
    'to': 'Literal["integer", "float", "boolean", "string", "datetime"]',
})


class TableDriftResponseSkippedItem(TypedDict):
    name: str
    reason: str


class TableDriftResponseSummary(TypedDict):
    dataset_drift: bool
    #: share of drifted features at which the dataset counts as drifted
    drift_share: float
    number_drifted: int
    #: features judged (with values on both sides)
    number_of_features: int
    share_drifted: float


class _TransitionModelVersionStageBodyRequired(TypedDict):
    #: the registered model's name
    name: str
    #: None, Staging, Production or Archived (any case)
    stage: str
    #: a version number, as a string (MLflow sends int64 as strings); a JSON number is accepted too
    version: str


class TransitionModelVersionStageBody(_TransitionModelVersionStageBodyRequired, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/model-versions/transition-stage``: Move a version to a stage"""
    #: move the versions now in Staging or Production to Archived
    archive_existing_versions: bool


class TriggerLoopBody(TypedDict, total=False):
    #: judge this registered version instead of training one
    candidate_version: str
    #: report what the policy would decide on logged data; change nothing
    dry_run: bool
    reason: str


class TriggerLoopResponse(TypedDict):
    """The answer of ``POST /api/v1/loops/{name}/trigger``: Start a loop run by hand (or, while one is going,
    record the trigger as coalesced into it)
    """
    #: true: a run was going; the trigger is recorded on it
    coalesced: bool
    loop_run: TriggerLoopResponseLoopRun


class TriggerLoopResponseLoopRun(TypedDict):
    #: who or what started it
    author: str
    candidate_version: Optional[str]
    champion_version: Optional[str]
    dry_run: bool
    ended_at: Optional[int]
    loop: str
    #: the step the run is at (or ended with)
    phase: Literal["triggered", "training", "registered", "evaluating", "shadow", "canary", "awaiting_approval", "approved", "promoted", "rolled_back", "rejected", "failed", "cancelled", "dry_run"]
    reason: Optional[str]
    seq: int
    #: milliseconds since the Unix epoch
    started_at: int
    state: Literal["running", "awaiting_approval", "promoted", "rolled_back", "rejected", "failed", "cancelled", "dry_run"]
    trigger: Literal["manual", "alert", "schedule", "labels", "dataset", "registry"]
    #: milliseconds since the Unix epoch
    updated_at: int


UpdateAlertRuleBody = TypedDict('UpdateAlertRuleBody', {
    'comparison': 'Literal[">", ">=", "<", "<=", "==", "!="]',
    #: deployment the rule watches (it need not exist yet)
    'deployment': 'str',
    'enabled': 'bool',
    #: the condition must hold this long before the alert fires (default 0s); a duration: 0, or numbers (integer or
    #: decimal) with units ms, s, m, h, d, w written together from the largest unit down, e.g. 90s, 5m, 1h30m, 1.5h,
    #: 2d12h; at most 3650d, rounded to the millisecond
    'for': 'str',
    #: a firing alert keeps firing this long after the condition clears (default 0s); a duration: 0, or numbers
    #: (integer or decimal) with units ms, s, m, h, d, w written together from the largest unit down, e.g. 90s, 5m,
    #: 1h30m, 1.5h, 2d12h; at most 3650d, rounded to the millisecond
    'keep_firing_for': 'str',
    #: label names: letters, digits and _, not starting with a digit
    'labels': 'Dict[str, str]',
    #: dataset_drift, drift_share, error_rate, latency_p99, request_rate, validation_failures, accuracy, precision,
    #: recall, f1, roc_auc, log_loss, mae, rmse, r2, mape, abtest_guardrail_worse, estimated_roc_auc, estimated_f1,
    #: estimated_precision, estimated_recall, estimated_specificity, estimated_accuracy,
    #: estimated_average_precision, or feature_drift:<feature>, drift_score:<feature>, null_rate:<feature>,
    #: demographic_parity_ratio:<feature>, demographic_parity_difference:<feature>, equalized_odds_ratio:<feature>,
    #: equalized_odds_difference:<feature>, equal_opportunity_ratio:<feature>, estimated_roc_auc:<feature>,
    #: estimated_f1:<feature>, estimated_precision:<feature>, estimated_recall:<feature>,
    #: estimated_specificity:<feature>, estimated_accuracy:<feature>, estimated_average_precision:<feature>
    'metric': 'str',
    #: unique rule name: letters, digits and _ . : -, at most 128 characters
    'name': 'str',
    'severity': 'Literal["info", "warning", "critical"]',
    'threshold': 'float',
    #: the metric is computed over this window ending now (default 5m; not 0); a duration: 0, or numbers (integer or
    #: decimal) with units ms, s, m, h, d, w written together from the largest unit down, e.g. 90s, 5m, 1h30m, 1.5h,
    #: 2d12h; at most 3650d, rounded to the millisecond
    'window': 'str',
}, total=False)


class UpdateDatasetBody(TypedDict):
    """The JSON body of ``PATCH /api/v1/datasets/{name}``: Change a dataset's description"""
    #: the new description
    description: str


class _UpdateDeploymentBodyRequired(TypedDict):
    routes: List[CreateDeploymentBodyRoutesItem]


class UpdateDeploymentBody(_UpdateDeploymentBodyRequired, total=False):
    """The JSON body of ``PUT /api/v1/deployments/{name}``: Change a deployment (a new revision; zero-downtime
    switch)
    """
    #: unset fields take the defaults (256 rows, 2 ms, 4096 rows)
    batching: CreateDeploymentBodyBatching
    #: routes that get a copy of each request; results are logged, never returned
    shadow: List[CreateDeploymentBodyShadowItem]
    #: a request field whose value (hashed) pins a caller to one route
    sticky_key: str


class UpdateExperimentBody(TypedDict):
    """The JSON body of ``POST /api/2.0/mlflow/experiments/update``: Rename an experiment"""
    #: the experiment's id, e.g. "0"
    experiment_id: str
    new_name: str


class _UpdateLoopBodyRequired(TypedDict):
    gate: GetLoopResponseLoopSpecGate
    rollout: GetLoopResponseLoopSpecRollout


class UpdateLoopBody(_UpdateLoopBodyRequired, total=False):
    """The JSON body of ``PUT /api/v1/loops/{name}``: Change a loop's triggers, training, gate, rollout or
    approvals (a run under way keeps the spec it started with)
    """
    approvals: List[GetLoopResponseLoopSpecApprovalsItem]
    #: triggers closer than this to the last run start are coalesced into it (default 10m); a duration: 0, or
    #: numbers (integer or decimal) with units ms, s, m, h, d, w written together from the largest unit down, e.g.
    #: 90s, 5m, 1h30m, 1.5h, 2d12h; at most 3650d, rounded to the millisecond
    debounce: str
    description: str
    #: every run only reports what it would decide: no deployment or alias changes (default false)
    dry_run: bool
    training: Optional[GetLoopResponseLoopSpecTraining]
    triggers: List[GetLoopResponseLoopSpecTriggersItem]


class _UpdateModelVersionBodyRequired(TypedDict):
    #: the registered model's name
    name: str
    #: a version number, as a string (MLflow sends int64 as strings); a JSON number is accepted too
    version: str


class UpdateModelVersionBody(_UpdateModelVersionBodyRequired, total=False):
    """The JSON body of ``PATCH /api/2.0/mlflow/model-versions/update``: Update a model version's description"""
    #: absent clears it
    description: str


class UpdateMonitoringSettingsBody(TypedDict, total=False):
    """The JSON body of ``PUT /api/v1/deployments/{name}/monitoring``: Change monitoring settings: sample rate,
    retention, PII rules, profile window
    """
    #: false: requests are neither logged nor profiled
    enabled: bool
    #: a field is either dropped or hashed, not both
    pii: UpdateMonitoringSettingsBodyPii
    retention_days: int
    #: share of requests whose rows are stored; profiles see every request
    sample_rate: float
    #: profile window: divides a day or is whole days, from 10s to 7d, e.g. 5m, 1h, 1h30m, 1d; a duration: 0, or
    #: numbers (integer or decimal) with units ms, s, m, h, d, w written together from the largest unit down, e.g.
    #: 90s, 5m, 1h30m, 1.5h, 2d12h; at most 3650d, rounded to the millisecond
    window: str


class UpdateMonitoringSettingsBodyPii(TypedDict, total=False):
    """a field is either dropped or hashed, not both"""
    drop: List[str]
    hash: List[str]


class UpdateMonitoringSettingsResponse(TypedDict):
    """The answer of ``PUT /api/v1/deployments/{name}/monitoring``: Change monitoring settings: sample rate,
    retention, PII rules, profile window
    """
    settings: GetMonitoringSettingsResponseSettings


class UpdateNotifierBody(TypedDict, total=False):
    """The JSON body of ``PUT /api/v1/alerts/notifiers/{id}``: Change a notifier's url, secret or enabled"""
    enabled: bool
    #: HMAC-SHA256 key receivers verify signatures with (required for webhook); write-only
    secret: str
    #: http(s) URL without credentials; checked against the destination allow/deny list
    url: str


class _UpdateRegisteredModelBodyRequired(TypedDict):
    #: the registered model's name
    name: str


class UpdateRegisteredModelBody(_UpdateRegisteredModelBodyRequired, total=False):
    """The JSON body of ``PATCH /api/2.0/mlflow/registered-models/update``: Update a registered model's
    description
    """
    #: absent clears it
    description: str


class UpdateRunBody(TypedDict, total=False):
    """The JSON body of ``POST /api/2.0/mlflow/runs/update``: Update a run (status, end time, name)"""
    #: epoch ms
    end_time: int
    #: the run's id (run_uuid is accepted for older clients)
    run_id: str
    run_name: str
    #: deprecated alias of run_id
    run_uuid: str
    status: Literal["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"]


class UpdateRunResponse(TypedDict):
    """The answer of ``POST /api/2.0/mlflow/runs/update``: Update a run (status, end time, name)"""
    run_info: GetRunResponseRunInfo


class UpdateStreamBindingBody(TypedDict, total=False):
    """The JSON body of ``PUT /api/v1/deployments/{name}/streams/{stream}``: Change a stream binding (its
    consumers restart with the change after committing what they produced)
    """
    #: messages fetched per read (default 100)
    batch_size: int
    #: format bytes: each row's numbers (default float32)
    bytes_dtype: Literal["float32", "float64"]
    #: messages being scored at once per replica (default 64)
    concurrency: int
    credentials: Optional[CreateStreamBindingBodyCredentials]
    #: where messages that cannot be scored go, with the reason (default: the input's name + '.dlq'): letters,
    #: digits, '.', '_' and '-'
    dead_letter: str
    #: consume (default true); false stops consuming and keeps the binding
    enabled: bool
    #: records: a JSON object per message, one row ({feature: value}) or MLflow's scoring forms (instances,
    #: dataframe_split, dataframe_records, inputs); v2: the Open Inference Protocol's JSON inference request; bytes:
    #: rows of little-endian numbers in the model's feature order, as `bytes_dtype` says
    format: Literal["records", "v2", "bytes"]
    #: the consumer group (kafka, redis) or durable consumer (nats) every replica joins (default
    #: 'ferry-<deployment>-<binding>')
    group: str
    #: a field of the message whose value is the request id (records and v2: a top-level field; v2's `id` by
    #: default). Absent: the id comes from the message's place in the stream (topic, partition and offset; the
    #: stream entry id; the stream sequence), so a redelivered message gets the same id
    id_field: str
    #: the topic (kafka), stream key (redis) or subject (nats) to consume: letters, digits, '.', '_' and '-'
    input: str
    #: a field of the message whose value is the sticky unit (A/B tests, sticky routes); absent: the message's key
    #: (kafka) when it has one, else the deployment's sticky key
    key_field: str
    #: how long a read waits for messages (default 100 ms)
    max_wait_ms: int
    #: where results go: letters, digits, '.', '_' and '-'
    output: str
    #: connect with TLS (kafka; redis and nats also take rediss:// and tls:// URLs). Default false
    tls: bool
    #: kafka: bootstrap servers as host:port[,host:port…]; redis: redis://[host][:port][/db] (or rediss:// for TLS);
    #: nats: nats://host:port[,nats://…] (or tls://…). No credentials in the URL: give them in `credentials`.
    url: str


class _V2ModelInferBodyRequired(TypedDict):
    #: every input of the model, each with the same number of rows (at most the server's row limit, 10,000 by
    #: default)
    inputs: List[V2ModelInferBodyInputsItem]


class V2ModelInferBody(_V2ModelInferBodyRequired, total=False):
    """The JSON body of ``POST /v2/models/{name}/infer``: Inference through the traffic split"""
    #: echoed in the answer
    id: str
    #: the outputs to answer, in this order (default: all)
    outputs: List[V2ModelInferBodyOutputsItem]
    #: request options; the deployment's sticky key is read from here
    parameters: V2ModelInferBodyParameters


class _V2ModelInferBodyInputsItemRequired(TypedDict):
    #: the input's datatype (see the model's metadata)
    datatype: str
    #: one of the model's inputs
    name: str
    #: the tensor's dimensions; dimension 0 is the batch (rows)
    shape: List[int]


class V2ModelInferBodyInputsItem(_V2ModelInferBodyInputsItemRequired, total=False):
    #: the elements, flat in row-major order or nested: numbers (null for a missing float value), strings (BYTES) or
    #: booleans (BOOL). Absent when the tensor is sent as binary data
    data: List[Optional[Union[float, str, bool, List[Any]]]]
    #: binary_data_size: the tensor is sent as bytes after the JSON (binary tensor extension)
    parameters: V2ModelInferBodyInputsItemParameters


class V2ModelInferBodyInputsItemParameters(TypedDict, total=False):
    """binary_data_size: the tensor is sent as bytes after the JSON (binary tensor extension)"""
    #: bytes of this tensor in the binary part, after the JSON
    binary_data_size: int


class _V2ModelInferBodyOutputsItemRequired(TypedDict):
    name: str


class V2ModelInferBodyOutputsItem(_V2ModelInferBodyOutputsItemRequired, total=False):
    #: per-output options
    parameters: V2ModelInferBodyOutputsItemParameters


class V2ModelInferBodyOutputsItemParameters(TypedDict, total=False):
    """per-output options"""
    #: answer this output as bytes after the JSON
    binary_data: bool


class V2ModelInferBodyParameters(TypedDict, total=False):
    """request options; the deployment's sticky key is read from here"""
    #: answer every output as binary data
    binary_data_output: bool


class _V2ModelInferResponseRequired(TypedDict):
    model_name: str
    #: the model version that answered
    model_version: str
    outputs: List[V2ModelInferResponseOutputsItem]


class V2ModelInferResponse(_V2ModelInferResponseRequired, total=False):
    """The answer of ``POST /v2/models/{name}/infer``: Inference through the traffic split"""
    #: the request's id, echoed
    id: str
    parameters: V2ModelInferResponseParameters


class _V2ModelInferResponseOutputsItemRequired(TypedDict):
    #: the tensor element type (the datatypes Ferry serves)
    datatype: Literal["BOOL", "UINT8", "INT8", "INT32", "INT64", "FP32", "FP64", "BYTES"]
    name: str
    shape: List[int]


class V2ModelInferResponseOutputsItem(_V2ModelInferResponseOutputsItemRequired, total=False):
    #: the elements, flat in row-major order: numbers (null for NaN), strings (BYTES) or booleans (BOOL). Absent for
    #: a binary output
    data: List[Any]
    parameters: V2ModelInferResponseOutputsItemParameters


class V2ModelInferResponseOutputsItemParameters(TypedDict):
    #: bytes of this output in the binary part, after the JSON
    binary_data_size: int


class V2ModelInferResponseParameters(TypedDict):
    #: the id of this prediction, to send feedback by: the X-Request-Id header (the caller's when it sent a usable
    #: one, else Ferry's)
    request_id: str


class V2ModelMetadataResponse(TypedDict):
    """The answer of ``GET /v2/models/{name}``: Model (deployment) metadata: its inputs and outputs"""
    inputs: List[V2ModelMetadataResponseInputsItem]
    #: the deployment
    name: str
    outputs: List[V2ModelMetadataResponseInputsItem]
    platform: Literal["onnxruntime_onnx"]
    #: the model versions the deployment serves
    versions: List[str]


class V2ModelMetadataResponseInputsItem(TypedDict):
    #: the tensor element type (the datatypes Ferry serves)
    datatype: Literal["BOOL", "UINT8", "INT8", "INT32", "INT64", "FP32", "FP64", "BYTES"]
    name: str
    #: -1 for a dynamic dimension (the batch, usually)
    shape: List[int]


class V2ModelReadyResponse(TypedDict):
    """The answer of ``GET /v2/models/{name}/ready``: Model readiness"""
    name: str
    ready: bool


class V2ServerLiveResponse(TypedDict):
    """The answer of ``GET /v2/health/live``: Liveness (Open Inference Protocol)"""
    live: bool


class V2ServerMetadataResponse(TypedDict):
    """The answer of ``GET /v2``: Server metadata (Open Inference Protocol)"""
    #: protocol extensions, e.g. binary_tensor_data
    extensions: List[str]
    name: str
    version: str


class V2ServerReadyResponse(TypedDict):
    """The answer of ``GET /v2/health/ready``: Readiness (Open Inference Protocol): the metadata store answers"""
    ready: Literal[True]


class ValidateDatasetVersionBody(TypedDict):
    """The JSON body of ``POST /api/v1/suites/{name}/validations``: Validate a stored dataset version against the
    suite and record the result
    """
    #: NAME@VERSION (VERSION a number, tag, latest or digest prefix; latest when omitted)
    dataset: str


class ValidateDatasetVersionResponse(TypedDict):
    """The answer of ``POST /api/v1/suites/{name}/validations``: Validate a stored dataset version against the
    suite and record the result
    """
    id: int
    result: ValidateFileResponseResult
    #: NAME@VERSION
    target: str


class ValidateFileResponse(TypedDict):
    """The answer of ``POST /api/v1/suites/{name}/validate``: Validate a data file (the body) against a suite (a
    CI gate: nothing is stored)
    """
    file: ValidateFileResponseFile
    result: ValidateFileResponseResult


class ValidateFileResponseFile(TypedDict):
    digest: str
    filename: Optional[str]
    format: Literal["csv", "jsonl", "parquet"]
    rows: int
    size_bytes: int
    warnings: List[ValidateFileResponseFileWarningsItem]


class _ValidateFileResponseFileWarningsItemRequired(TypedDict):
    column: str
    message: str


class ValidateFileResponseFileWarningsItem(_ValidateFileResponseFileWarningsItemRequired, total=False):
    #: file line (CSV, JSON Lines)
    line: int
    #: 1-based data row
    row: int


class ValidateFileResponseResult(TypedDict):
    evaluated_on: Literal["table", "profile"]
    results: List[ValidateFileResponseResultResultsItem]
    statistics: ValidateFileResponseResultStatistics
    #: every evaluated expectation succeeded (skipped ones do not count)
    success: bool
    suite: str


class _ValidateFileResponseResultResultsItemRequired(TypedDict):
    expectation_config: PutSuiteResponseSuiteExpectationsItem
    result: ValidateFileResponseResultResultsItemResult
    success: Optional[bool]


class ValidateFileResponseResultResultsItem(_ValidateFileResponseResultResultsItemRequired, total=False):
    exception_info: ValidateFileResponseResultResultsItemExceptionInfo
    skipped: ValidateFileResponseResultResultsItemSkipped


class ValidateFileResponseResultResultsItemExceptionInfo(TypedDict):
    exception_message: Optional[str]
    exception_traceback: Optional[str]
    raised_exception: bool


class ValidateFileResponseResultResultsItemResult(TypedDict, total=False):
    #: the expectation type's own details
    details: Dict[str, Any]
    element_count: int
    missing_count: int
    missing_percent: Optional[float]
    #: what the aggregate measured (a number, a list of quantiles, …): the expectation type's own shape
    observed_value: Any
    partial_unexpected_counts: List[ValidateFileResponseResultResultsItemResultPartialUnexpectedCountsItem]
    #: 1-based data rows of partial_unexpected_list
    partial_unexpected_index_list: List[int]
    #: file lines of the same values (0: unknown); not in GE
    partial_unexpected_line_list: List[int]
    partial_unexpected_list: List[Optional[Union[str, float, bool]]]
    unexpected_count: Optional[int]
    unexpected_percent: Optional[float]
    unexpected_percent_nonmissing: Optional[float]
    unexpected_percent_total: Optional[float]


class ValidateFileResponseResultResultsItemResultPartialUnexpectedCountsItem(TypedDict):
    count: int
    value: Optional[Union[str, float, bool]]


class ValidateFileResponseResultResultsItemSkipped(TypedDict):
    reason: str


class ValidateFileResponseResultStatistics(TypedDict):
    evaluated_expectations: int
    #: expectations a profile could not answer
    skipped_expectations: int
    success_percent: Optional[float]
    successful_expectations: int
    unsuccessful_expectations: int


class ValidateTableBody(TypedDict):
    """The JSON body of ``POST /api/v1/validate``: Validate a table sent in the body against a suite sent with it
    (what a suite validation answers; nothing is stored)
    """
    #: exactly one of columns / rows; at most 1000000 rows and 1000 columns; one JSON type per column
    data: TableDriftBodyCurrent
    suite: PutSuiteBody


class _WhoAmIResponseRequired(TypedDict):
    kind: Literal["token", "user", "anonymous"]
    name: str
    #: viewer reads; editor writes; admin manages tokens, users and the audit log
    role: Literal["viewer", "editor", "admin"]


class WhoAmIResponse(_WhoAmIResponseRequired, total=False):
    """The answer of ``GET /api/v1/whoami``: Who the caller is"""
    #: a prediction-only token's one deployment: it may call only that deployment's prediction routes
    deployment: str
    #: milliseconds since the Unix epoch from which this token is refused; absent: never
    expires_at: int


# Each operation's own name where its shape has another (the same shape, written once).
ApproveLoopRunResponse = GetLoopRunResponse
AttachSuiteResponse = GetSuiteResponse
CancelJobBody = Optional[Dict[str, Any]]
CancelJobResponse = GetJobResponse
CancelLoopRunBody = Optional[PauseLoopBody]
CancelLoopRunResponse = GetLoopRunResponse
CreateAbTestResponse = GetAbTestResponse
CreateAlertRuleResponse = GetAlertRuleResponse
CreateDeploymentResponse = GetDeploymentResponse
CreateFairnessReportResponse = GetFairnessReportResponse
CreateLoggedModelResponse = GetLoggedModelResponse
CreateLoopResponse = GetLoopResponse
CreateModelVersionResponse = GetModelVersionResponse
CreateNotifierResponse = GetNotifierResponse
CreateRegisteredModelResponse = GetRegisteredModelResponse
CreateRunResponse = GetRunResponse
CreateSilenceResponse = GetSilenceResponse
CreateStreamBindingResponse = GetStreamBindingResponse
DeleteAlertRuleResponse = Dict[str, Any]
DeleteApprovalPolicyResponse = Dict[str, Any]
DeleteArtifactResponse = Dict[str, Any]
DeleteDatasetResponse = Dict[str, Any]
DeleteDatasetTagResponse = Dict[str, Any]
DeleteDeploymentResponse = Dict[str, Any]
DeleteExecutorResponse = GetExecutorResponse
DeleteExperimentBody = CreateExperimentResponse
DeleteExperimentResponse = Dict[str, Any]
DeleteExperimentTagResponse = Dict[str, Any]
DeleteLoggedModelResponse = Dict[str, Any]
DeleteLoggedModelTagResponse = Dict[str, Any]
DeleteModelVersionBody = GetModelCardResponseVariant1Model
DeleteModelVersionResponse = Dict[str, Any]
DeleteModelVersionTagResponse = Dict[str, Any]
DeleteNotifierResponse = Dict[str, Any]
DeleteRegisteredModelAliasResponse = Dict[str, Any]
DeleteRegisteredModelResponse = Dict[str, Any]
DeleteRegisteredModelTagResponse = Dict[str, Any]
DeleteRunResponse = Dict[str, Any]
DeleteStreamBindingResponse = Dict[str, Any]
DeleteSuiteResponse = Dict[str, Any]
DeleteTagResponse = Dict[str, Any]
DeleteUserResponse = Dict[str, Any]
DetachSuiteResponse = Dict[str, Any]
EvaluateAlertsBody = Optional[Dict[str, Any]]
ExpireSilenceResponse = GetSilenceResponse
ExplainModelVersionBody = ExplainDeploymentBody
ExplainModelVersionResponse = ExplainDeploymentResponse
FinalizeLoggedModelResponse = GetLoggedModelResponse
GetExperimentByNameResponse = GetExperimentResponse
GetLatestVersionsByQueryResponse = GetLatestVersionsResponse
GetModelCardResponse = Union[GetModelCardResponseVariant1, GetModelCardResponseVariant2, GetModelCardResponseVariant3]
GetModelVersionByAliasResponse = GetModelVersionResponse
ListDatasetVersionValidationsResponse = ListValidationsResponse
LogBatchResponse = Dict[str, Any]
LogInputsResponse = Dict[str, Any]
LogLoggedModelParamsResponse = Dict[str, Any]
LogMetricResponse = Dict[str, Any]
LogModelResponse = Dict[str, Any]
LogOutputsResponse = Dict[str, Any]
LogParamBody = SetTagBody
LogParamResponse = Dict[str, Any]
PauseLoopBody = Optional[PauseLoopBody]
PauseLoopResponse = GetLoopResponse
PromoteLoopRunResponse = GetLoopRunResponse
PutCardFieldsResponse = GetCardFieldsResponse
PutExecutorResponse = GetExecutorResponse
RenameRegisteredModelResponse = GetRegisteredModelResponse
RestoreExperimentBody = CreateExperimentResponse
RestoreExperimentResponse = Dict[str, Any]
RestoreRunBody = DeleteRunBody
RestoreRunResponse = Dict[str, Any]
ResumeLoopBody = Optional[Dict[str, Any]]
ResumeLoopResponse = GetLoopResponse
RevokeTokenResponse = Dict[str, Any]
RollbackDeploymentResponse = GetDeploymentResponse
SearchExperimentsByQueryResponse = SearchExperimentsResponse
SetAlertDestinationsResponse = GetAlertDestinationsResponse
SetExperimentTagResponse = Dict[str, Any]
SetLoggedModelTagsResponse = Dict[str, Any]
SetModelVersionTagResponse = Dict[str, Any]
SetRegisteredModelAliasResponse = Dict[str, Any]
SetRegisteredModelTagResponse = Dict[str, Any]
SetTagResponse = Dict[str, Any]
StartAbTestBody = Optional[Dict[str, Any]]
StartAbTestResponse = GetAbTestResponse
StartConversionResponse = GetConversionResponse
StopAbTestBody = Optional[PauseLoopBody]
StopAbTestResponse = GetAbTestResponse
SubmitFeedbackBody = Union[List[SubmitFeedbackBodyAlt1Item], SubmitFeedbackBodyVariant1]
SubmitJobResponse = GetJobResponse
SubmitOutcomesBody = Union[List[SubmitOutcomesBodyAlt1Item], SubmitOutcomesBodyVariant1]
TransitionModelVersionStageResponse = GetModelVersionResponse
TriggerLoopBody = Optional[TriggerLoopBody]
UpdateAlertRuleResponse = GetAlertRuleResponse
UpdateDatasetResponse = GetDatasetResponse
UpdateDeploymentResponse = GetDeploymentResponse
UpdateExperimentResponse = Dict[str, Any]
UpdateLoopResponse = GetLoopResponse
UpdateModelVersionResponse = GetModelVersionResponse
UpdateNotifierResponse = GetNotifierResponse
UpdateRegisteredModelResponse = GetRegisteredModelResponse
UpdateStreamBindingResponse = GetStreamBindingResponse
UploadArtifactResponse = Dict[str, Any]
UploadJobProjectResponse = GetJobProjectResponse
V2ModelVersionInferBody = V2ModelInferBody
V2ModelVersionInferResponse = V2ModelInferResponse
V2ModelVersionMetadataResponse = V2ModelMetadataResponse
V2ModelVersionReadyResponse = V2ModelReadyResponse
ValidateTableResponse = ValidateFileResponse


# Nested objects by where they sit, where the same shape is written under another name.
ApproveLoopRunResponseLoopRun = GetLoopRunResponseLoopRun
ApproveLoopRunResponseLoopRunStepsItem = GetLoopRunResponseLoopRunStepsItem
ApproveLoopRunResponseLoopRunStepsItemLinks = GetLoopRunResponseLoopRunStepsItemLinks
ApproveLoopRunResponseLoopRunStepsItemLinksDatasetVersionsItem = GetLoopRunResponseLoopRunStepsItemLinksDatasetVersionsItem
ApproveLoopRunResponseLoopRunTriggersItem = GetLoopRunResponseLoopRunTriggersItem
AttachSuiteResponseSuite = GetSuiteResponseSuite
AttachSuiteResponseSuiteAttachmentsItem = GetSuiteResponseSuiteAttachmentsItem
AttachSuiteResponseSuiteSuite = PutSuiteResponseSuite
AttachSuiteResponseSuiteSuiteExpectationsItem = PutSuiteResponseSuiteExpectationsItem
AttachSuiteResponseSuiteSuiteExpectationsItemKwargs = PutSuiteResponseSuiteExpectationsItemKwargs
AttachSuiteResponseSuiteSuiteExpectationsItemKwargsQuantileRanges = PutSuiteResponseSuiteExpectationsItemKwargsQuantileRanges
CancelJobResponseJob = GetJobResponseJob
CancelJobResponseJobProject = GetJobResponseJobProject
CancelJobResponseJobResources = GetJobResponseJobResources
CancelLoopRunResponseLoopRun = GetLoopRunResponseLoopRun
CancelLoopRunResponseLoopRunStepsItem = GetLoopRunResponseLoopRunStepsItem
CancelLoopRunResponseLoopRunStepsItemLinks = GetLoopRunResponseLoopRunStepsItemLinks
CancelLoopRunResponseLoopRunStepsItemLinksDatasetVersionsItem = GetLoopRunResponseLoopRunStepsItemLinksDatasetVersionsItem
CancelLoopRunResponseLoopRunTriggersItem = GetLoopRunResponseLoopRunTriggersItem
CreateAbTestBodyGuardrailsItem = GetAbTestResponseAbtestPrimaryMetric
CreateAbTestBodyPrimaryMetric = GetAbTestResponseAbtestPrimaryMetric
CreateAbTestResponseAbtest = GetAbTestResponseAbtest
CreateAbTestResponseAbtestArmsItem = GetAbTestResponseAbtestArmsItem
CreateAbTestResponseAbtestGuardrailsItem = GetAbTestResponseAbtestPrimaryMetric
CreateAbTestResponseAbtestPrimaryMetric = GetAbTestResponseAbtestPrimaryMetric
CreateAbTestResponseAbtestSettings = GetAbTestResponseAbtestSettings
CreateAlertRuleResponseRule = GetAlertRuleResponseRule
CreateDeploymentResponseDeployment = GetDeploymentResponseDeployment
CreateDeploymentResponseDeploymentSpec = GetDeploymentResponseDeploymentSpec
CreateDeploymentResponseDeploymentSpecBatching = GetDeploymentResponseDeploymentSpecBatching
CreateDeploymentResponseDeploymentSpecRoutesItem = GetDeploymentResponseDeploymentSpecRoutesItem
CreateDeploymentResponseDeploymentSpecShadowItem = GetDeploymentResponseDeploymentSpecShadowItem
CreateDeploymentResponseDeploymentStatus = GetDeploymentResponseDeploymentStatus
CreateDeploymentResponseDeploymentStatusRoutesItem = GetDeploymentResponseDeploymentStatusRoutesItem
CreateDeploymentResponseDeploymentStatusRoutesItemRef = GetDeploymentResponseDeploymentSpecShadowItem
CreateExperimentBodyTagsItem = LogBatchBodyTagsItem
CreateFairnessReportResponseReport = GetFairnessReportResponseReport
CreateFairnessReportResponseReportAnalysesItem = GetFairnessReportResponseReportAnalysesItem
CreateFairnessReportResponseReportAnalysesItemFourFifths = GetFairnessReportResponseReportAnalysesItemFourFifths
CreateFairnessReportResponseReportAnalysesItemFramesItem = GetFairnessReportResponseReportAnalysesItemFramesItem
CreateFairnessReportResponseReportAnalysesItemFramesItemBootstrap = GetFairnessReportResponseReportAnalysesItemFramesItemBootstrap
CreateFairnessReportResponseReportAnalysesItemFramesItemBootstrapDifference = GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapRatio
CreateFairnessReportResponseReportAnalysesItemFramesItemBootstrapDifferenceBetweenGroups = GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapOverall
CreateFairnessReportResponseReportAnalysesItemFramesItemBootstrapDifferenceToOverall = GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapOverall
CreateFairnessReportResponseReportAnalysesItemFramesItemBootstrapOverall = GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapOverall
CreateFairnessReportResponseReportAnalysesItemFramesItemBootstrapRatio = GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapRatio
CreateFairnessReportResponseReportAnalysesItemFramesItemBootstrapRatioBetweenGroups = GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapOverall
CreateFairnessReportResponseReportAnalysesItemFramesItemBootstrapRatioToOverall = GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapOverall
CreateFairnessReportResponseReportAnalysesItemFramesItemDifference = GetFairnessReportResponseReportAnalysesItemFramesItemRatio
CreateFairnessReportResponseReportAnalysesItemFramesItemGroupsItem = GetFairnessReportResponseReportAnalysesItemFramesItemGroupsItem
CreateFairnessReportResponseReportAnalysesItemFramesItemGroupsItemInterval = GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapOverall
CreateFairnessReportResponseReportAnalysesItemFramesItemRatio = GetFairnessReportResponseReportAnalysesItemFramesItemRatio
CreateFairnessReportResponseReportAnalysesItemParity = GetFairnessReportResponseReportAnalysesItemParity
CreateFairnessReportResponseReportAnalysesItemParityDemographicParityDifference = GetFairnessReportResponseReportAnalysesItemFramesItemRatio
CreateFairnessReportResponseReportAnalysesItemParityDemographicParityRatio = GetFairnessReportResponseReportAnalysesItemFramesItemRatio
CreateFairnessReportResponseReportAnalysesItemParityEqualOpportunityDifference = GetFairnessReportResponseReportAnalysesItemFramesItemRatio
CreateFairnessReportResponseReportAnalysesItemParityEqualOpportunityRatio = GetFairnessReportResponseReportAnalysesItemFramesItemRatio
CreateFairnessReportResponseReportAnalysesItemParityEqualizedOddsDifference = GetFairnessReportResponseReportAnalysesItemFramesItemRatio
CreateFairnessReportResponseReportAnalysesItemParityEqualizedOddsRatio = GetFairnessReportResponseReportAnalysesItemFramesItemRatio
CreateFairnessReportResponseReportRows = GetFairnessReportResponseReportRows
CreateFairnessReportResponseReportSpec = GetFairnessReportResponseReportSpec
CreateFairnessReportResponseReportSpecBootstrap = GetFairnessReportResponseReportSpecBootstrap
CreateLoggedModelBodyParamsItem = LogBatchBodyTagsItem
CreateLoggedModelBodyTagsItem = LogBatchBodyTagsItem
CreateLoggedModelResponseModel = GetLoggedModelResponseModel
CreateLoggedModelResponseModelData = GetLoggedModelResponseModelData
CreateLoggedModelResponseModelDataMetricsItem = GetLoggedModelResponseModelDataMetricsItem
CreateLoggedModelResponseModelDataParamsItem = GetRunResponseRunDataTagsItem
CreateLoggedModelResponseModelInfo = GetLoggedModelResponseModelInfo
CreateLoggedModelResponseModelInfoTagsItem = GetRunResponseRunDataTagsItem
CreateLoopBodyApprovalsItem = GetLoopResponseLoopSpecApprovalsItem
CreateLoopBodyGate = GetLoopResponseLoopSpecGate
CreateLoopBodyGateFairnessItem = GetLoopResponseLoopSpecGateFairnessItem
CreateLoopBodyGateHoldout = GetLoopResponseLoopSpecGateHoldout
CreateLoopBodyGateSlicesItem = GetLoopResponseLoopSpecGateSlicesItem
CreateLoopBodyGateThresholdsItem = GetLoopResponseLoopSpecGateThresholdsItem
CreateLoopBodyRollout = GetLoopResponseLoopSpecRollout
CreateLoopBodyRolloutGuardrailsItem = GetAbTestResponseAbtestPrimaryMetric
CreateLoopBodyRolloutPrimaryMetric = GetAbTestResponseAbtestPrimaryMetric
CreateLoopBodyRolloutShadow = GetLoopResponseLoopSpecRolloutShadow
CreateLoopBodyRolloutStepsItem = GetLoopResponseLoopSpecRolloutStepsItem
CreateLoopBodyTraining = GetLoopResponseLoopSpecTraining
CreateLoopBodyTrainingData = GetLoopResponseLoopSpecTrainingData
CreateLoopBodyTrainingGit = GetLoopResponseLoopSpecTrainingGit
CreateLoopBodyTriggersItem = GetLoopResponseLoopSpecTriggersItem
CreateLoopResponseLoop = GetLoopResponseLoop
CreateLoopResponseLoopLastRun = GetLoopResponseLoopLastRun
CreateLoopResponseLoopSpec = GetLoopResponseLoopSpec
CreateLoopResponseLoopSpecApprovalsItem = GetLoopResponseLoopSpecApprovalsItem
CreateLoopResponseLoopSpecGate = GetLoopResponseLoopSpecGate
CreateLoopResponseLoopSpecGateFairnessItem = GetLoopResponseLoopSpecGateFairnessItem
CreateLoopResponseLoopSpecGateHoldout = GetLoopResponseLoopSpecGateHoldout
CreateLoopResponseLoopSpecGateSlicesItem = GetLoopResponseLoopSpecGateSlicesItem
CreateLoopResponseLoopSpecGateThresholdsItem = GetLoopResponseLoopSpecGateThresholdsItem
CreateLoopResponseLoopSpecRollout = GetLoopResponseLoopSpecRollout
CreateLoopResponseLoopSpecRolloutGuardrailsItem = GetAbTestResponseAbtestPrimaryMetric
CreateLoopResponseLoopSpecRolloutPrimaryMetric = GetAbTestResponseAbtestPrimaryMetric
CreateLoopResponseLoopSpecRolloutShadow = GetLoopResponseLoopSpecRolloutShadow
CreateLoopResponseLoopSpecRolloutStepsItem = GetLoopResponseLoopSpecRolloutStepsItem
CreateLoopResponseLoopSpecTraining = GetLoopResponseLoopSpecTraining
CreateLoopResponseLoopSpecTrainingData = GetLoopResponseLoopSpecTrainingData
CreateLoopResponseLoopSpecTrainingGit = GetLoopResponseLoopSpecTrainingGit
CreateLoopResponseLoopSpecTriggersItem = GetLoopResponseLoopSpecTriggersItem
CreateModelVersionBodyTagsItem = LogBatchBodyTagsItem
CreateModelVersionResponseModelVersion = GetModelVersionResponseModelVersion
CreateModelVersionResponseModelVersionTagsItem = GetRunResponseRunDataTagsItem
CreateNotifierResponseNotifier = GetNotifierResponseNotifier
CreateRegisteredModelBodyTagsItem = LogBatchBodyTagsItem
CreateRegisteredModelResponseRegisteredModel = GetRegisteredModelResponseRegisteredModel
CreateRegisteredModelResponseRegisteredModelAliasesItem = GetRegisteredModelResponseRegisteredModelAliasesItem
CreateRegisteredModelResponseRegisteredModelLatestVersionsItem = GetModelVersionResponseModelVersion
CreateRegisteredModelResponseRegisteredModelLatestVersionsItemTagsItem = GetRunResponseRunDataTagsItem
CreateRegisteredModelResponseRegisteredModelTagsItem = GetRunResponseRunDataTagsItem
CreateRunBodyTagsItem = LogBatchBodyTagsItem
CreateRunResponseRun = GetRunResponseRun
CreateRunResponseRunData = GetRunResponseRunData
CreateRunResponseRunDataMetricsItem = GetRunResponseRunDataMetricsItem
CreateRunResponseRunDataParamsItem = GetRunResponseRunDataTagsItem
CreateRunResponseRunDataTagsItem = GetRunResponseRunDataTagsItem
CreateRunResponseRunInfo = GetRunResponseRunInfo
CreateRunResponseRunInputs = GetRunResponseRunInputs
CreateRunResponseRunInputsDatasetInputsItem = GetRunResponseRunInputsDatasetInputsItem
CreateRunResponseRunInputsDatasetInputsItemDataset = GetRunResponseRunInputsDatasetInputsItemDataset
CreateRunResponseRunInputsDatasetInputsItemTagsItem = GetRunResponseRunDataTagsItem
CreateRunResponseRunInputsModelInputsItem = GetRunResponseRunInputsModelInputsItem
CreateRunResponseRunOutputs = GetRunResponseRunOutputs
CreateRunResponseRunOutputsModelOutputsItem = GetRunResponseRunOutputsModelOutputsItem
CreateSilenceResponseSilence = GetSilenceResponseSilence
CreateSilenceResponseSilenceMatchersItem = GetSilenceResponseSilenceMatchersItem
CreateStreamBindingResponseStream = GetStreamBindingResponseStream
CreateStreamBindingResponseStreamStatus = GetStreamBindingResponseStreamStatus
DeleteDatasetVersionResponseDeleted = SetDatasetTagResponseVersion
DeleteDatasetVersionResponseDeletedSchema = SetDatasetTagResponseVersionSchema
DeleteDatasetVersionResponseDeletedSchemaColumnsItem = TableDriftResponseSchemaAddedItem
DeleteDatasetVersionResponseDeletedSchemaWarningsItem = ValidateFileResponseFileWarningsItem
DeleteExecutorResponseExecutor = GetExecutorResponseExecutor
DiffDatasetVersionsResponseDiffDriftItem = GetDriftResponsePrediction
DiffDatasetVersionsResponseDiffDriftItemCurrent = GetDriftResponsePredictionCurrent
DiffDatasetVersionsResponseDiffDriftItemCurrentOverflow = GetDriftResponsePredictionCurrentUnseen
DiffDatasetVersionsResponseDiffDriftItemCurrentUnderflow = GetDriftResponsePredictionCurrentUnseen
DiffDatasetVersionsResponseDiffDriftItemCurrentUnseen = GetDriftResponsePredictionCurrentUnseen
DiffDatasetVersionsResponseDiffDriftItemReference = GetDriftResponsePredictionCurrent
DiffDatasetVersionsResponseDiffDriftItemReferenceOverflow = GetDriftResponsePredictionCurrentUnseen
DiffDatasetVersionsResponseDiffDriftItemReferenceUnderflow = GetDriftResponsePredictionCurrentUnseen
DiffDatasetVersionsResponseDiffDriftItemReferenceUnseen = GetDriftResponsePredictionCurrentUnseen
DiffDatasetVersionsResponseDiffFrom = DiffDatasetVersionsResponseDiffTo
DiffDatasetVersionsResponseDiffSchema = TableDriftResponseSchema
DiffDatasetVersionsResponseDiffSchemaAddedItem = TableDriftResponseSchemaAddedItem
DiffDatasetVersionsResponseDiffSchemaNullabilityItem = TableDriftResponseSchemaNullabilityItem
DiffDatasetVersionsResponseDiffSchemaRemovedItem = TableDriftResponseSchemaAddedItem
DiffDatasetVersionsResponseDiffSchemaRetypedItem = TableDriftResponseSchemaRetypedItem
DiffDatasetVersionsResponseDiffSkippedItem = TableDriftResponseSkippedItem
DiffDatasetVersionsResponseDiffSummary = TableDriftResponseSummary
ExpireSilenceResponseSilence = GetSilenceResponseSilence
ExpireSilenceResponseSilenceMatchersItem = GetSilenceResponseSilenceMatchersItem
ExplainDeploymentResponseBackground = ModelImportanceResponseBackground
ExplainModelVersionBodyBackground = ExplainDeploymentBodyBackground
ExplainModelVersionBodyBudget = ExplainDeploymentBodyBudget
ExplainModelVersionResponseBackground = ModelImportanceResponseBackground
ExplainModelVersionResponseExplanationsItem = ExplainDeploymentResponseExplanationsItem
FinalizeLoggedModelResponseModel = GetLoggedModelResponseModel
FinalizeLoggedModelResponseModelData = GetLoggedModelResponseModelData
FinalizeLoggedModelResponseModelDataMetricsItem = GetLoggedModelResponseModelDataMetricsItem
FinalizeLoggedModelResponseModelDataParamsItem = GetRunResponseRunDataTagsItem
FinalizeLoggedModelResponseModelInfo = GetLoggedModelResponseModelInfo
FinalizeLoggedModelResponseModelInfoTagsItem = GetRunResponseRunDataTagsItem
GetAbTestReportResponseMetricsItemComparisonsItemRelative = GetAbTestReportResponseMetricsItemComparisonsItemAbsolute
GetAbTestResponseAbtestGuardrailsItem = GetAbTestResponseAbtestPrimaryMetric
GetDatasetResponseDatasetLatest = SetDatasetTagResponseVersion
GetDatasetResponseDatasetLatestSchema = SetDatasetTagResponseVersionSchema
GetDatasetResponseDatasetLatestSchemaColumnsItem = TableDriftResponseSchemaAddedItem
GetDatasetResponseDatasetLatestSchemaWarningsItem = ValidateFileResponseFileWarningsItem
GetDatasetVersionResponseVersionVariant1ProfileColumnsItemSummary = GetReferenceResponseReferenceColumnsValue
GetDatasetVersionResponseVersionVariant1ProfileColumnsItemSummaryQuantiles = GetReferenceResponseReferenceColumnsValueQuantiles
GetDatasetVersionResponseVersionVariant1ProfileColumnsItemSummaryTopItem = GetQualityResponseFeaturesItemUnseenTopItem
GetDatasetVersionResponseVersionVariant1Schema = SetDatasetTagResponseVersionSchema
GetDatasetVersionResponseVersionVariant1SchemaColumnsItem = TableDriftResponseSchemaAddedItem
GetDatasetVersionResponseVersionVariant1SchemaWarningsItem = ValidateFileResponseFileWarningsItem
GetDatasetVersionResponseVersionVariant2 = SetDatasetTagResponseVersion
GetDatasetVersionResponseVersionVariant2Schema = SetDatasetTagResponseVersionSchema
GetDatasetVersionResponseVersionVariant2SchemaColumnsItem = TableDriftResponseSchemaAddedItem
GetDatasetVersionResponseVersionVariant2SchemaWarningsItem = ValidateFileResponseFileWarningsItem
GetDeploymentResponseDeploymentStatusRoutesItemRef = GetDeploymentResponseDeploymentSpecShadowItem
GetDriftResponseFeaturesItemVariant1 = GetDriftResponsePrediction
GetDriftResponseFeaturesItemVariant1Current = GetDriftResponsePredictionCurrent
GetDriftResponseFeaturesItemVariant1CurrentOverflow = GetDriftResponsePredictionCurrentUnseen
GetDriftResponseFeaturesItemVariant1CurrentUnderflow = GetDriftResponsePredictionCurrentUnseen
GetDriftResponseFeaturesItemVariant1CurrentUnseen = GetDriftResponsePredictionCurrentUnseen
GetDriftResponseFeaturesItemVariant1Reference = GetDriftResponsePredictionCurrent
GetDriftResponseFeaturesItemVariant1ReferenceOverflow = GetDriftResponsePredictionCurrentUnseen
GetDriftResponseFeaturesItemVariant1ReferenceUnderflow = GetDriftResponsePredictionCurrentUnseen
GetDriftResponseFeaturesItemVariant1ReferenceUnseen = GetDriftResponsePredictionCurrentUnseen
GetDriftResponsePredictionCurrentOverflow = GetDriftResponsePredictionCurrentUnseen
GetDriftResponsePredictionCurrentUnderflow = GetDriftResponsePredictionCurrentUnseen
GetDriftResponsePredictionReference = GetDriftResponsePredictionCurrent
GetDriftResponsePredictionReferenceOverflow = GetDriftResponsePredictionCurrentUnseen
GetDriftResponsePredictionReferenceUnderflow = GetDriftResponsePredictionCurrentUnseen
GetDriftResponsePredictionReferenceUnseen = GetDriftResponsePredictionCurrentUnseen
GetDriftResponseReferenceSourceDatasetPredictionVariant1 = GetDriftResponseReferenceSourceFilePredictionVariant1
GetDriftResponseReferenceSourceDatasetPredictionVariant2 = GetDriftResponseReferenceSourceFilePredictionVariant2
GetEstimatedPerformanceResponseModel = GetModelCardResponseVariant1Model
GetEstimatedPerformanceResponseOverallMetricsAccuracy = GetEstimatedPerformanceResponseOverallMetricsF1
GetEstimatedPerformanceResponseOverallMetricsAveragePrecision = GetEstimatedPerformanceResponseOverallMetricsF1
GetEstimatedPerformanceResponseOverallMetricsPrecision = GetEstimatedPerformanceResponseOverallMetricsF1
GetEstimatedPerformanceResponseOverallMetricsRecall = GetEstimatedPerformanceResponseOverallMetricsF1
GetEstimatedPerformanceResponseOverallMetricsRocAuc = GetEstimatedPerformanceResponseOverallMetricsF1
GetEstimatedPerformanceResponseOverallMetricsSpecificity = GetEstimatedPerformanceResponseOverallMetricsF1
GetEstimatedPerformanceResponseWindowsItem = GetEstimatedPerformanceResponseOverall
GetEstimatedPerformanceResponseWindowsItemExpectedConfusion = GetEstimatedPerformanceResponseOverallExpectedConfusion
GetEstimatedPerformanceResponseWindowsItemMetrics = GetEstimatedPerformanceResponseOverallMetrics
GetEstimatedPerformanceResponseWindowsItemMetricsAccuracy = GetEstimatedPerformanceResponseOverallMetricsF1
GetEstimatedPerformanceResponseWindowsItemMetricsAveragePrecision = GetEstimatedPerformanceResponseOverallMetricsF1
GetEstimatedPerformanceResponseWindowsItemMetricsF1 = GetEstimatedPerformanceResponseOverallMetricsF1
GetEstimatedPerformanceResponseWindowsItemMetricsPrecision = GetEstimatedPerformanceResponseOverallMetricsF1
GetEstimatedPerformanceResponseWindowsItemMetricsRecall = GetEstimatedPerformanceResponseOverallMetricsF1
GetEstimatedPerformanceResponseWindowsItemMetricsRocAuc = GetEstimatedPerformanceResponseOverallMetricsF1
GetEstimatedPerformanceResponseWindowsItemMetricsSpecificity = GetEstimatedPerformanceResponseOverallMetricsF1
GetExperimentByNameResponseExperiment = GetExperimentResponseExperiment
GetExperimentByNameResponseExperimentTagsItem = GetRunResponseRunDataTagsItem
GetExperimentResponseExperimentTagsItem = GetRunResponseRunDataTagsItem
GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapDifference = GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapRatio
GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapDifferenceBetweenGroups = GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapOverall
GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapDifferenceToOverall = GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapOverall
GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapRatioBetweenGroups = GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapOverall
GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapRatioToOverall = GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapOverall
GetFairnessReportResponseReportAnalysesItemFramesItemDifference = GetFairnessReportResponseReportAnalysesItemFramesItemRatio
GetFairnessReportResponseReportAnalysesItemFramesItemGroupsItemInterval = GetFairnessReportResponseReportAnalysesItemFramesItemBootstrapOverall
GetFairnessReportResponseReportAnalysesItemParityDemographicParityDifference = GetFairnessReportResponseReportAnalysesItemFramesItemRatio
GetFairnessReportResponseReportAnalysesItemParityDemographicParityRatio = GetFairnessReportResponseReportAnalysesItemFramesItemRatio
GetFairnessReportResponseReportAnalysesItemParityEqualOpportunityDifference = GetFairnessReportResponseReportAnalysesItemFramesItemRatio
GetFairnessReportResponseReportAnalysesItemParityEqualOpportunityRatio = GetFairnessReportResponseReportAnalysesItemFramesItemRatio
GetFairnessReportResponseReportAnalysesItemParityEqualizedOddsDifference = GetFairnessReportResponseReportAnalysesItemFramesItemRatio
GetFairnessReportResponseReportAnalysesItemParityEqualizedOddsRatio = GetFairnessReportResponseReportAnalysesItemFramesItemRatio
GetLatestVersionsByQueryResponseModelVersionsItem = GetModelVersionResponseModelVersion
GetLatestVersionsByQueryResponseModelVersionsItemTagsItem = GetRunResponseRunDataTagsItem
GetLatestVersionsResponseModelVersionsItem = GetModelVersionResponseModelVersion
GetLatestVersionsResponseModelVersionsItemTagsItem = GetRunResponseRunDataTagsItem
GetLiveFairnessResponseWindowsItem = GetLiveFairnessResponseOverall
GetLiveFairnessResponseWindowsItemGroupsItem = GetLiveFairnessResponseOverallGroupsItem
GetLoggedModelResponseModelDataParamsItem = GetRunResponseRunDataTagsItem
GetLoggedModelResponseModelInfoTagsItem = GetRunResponseRunDataTagsItem
GetLoopResponseLoopSpecRolloutGuardrailsItem = GetAbTestResponseAbtestPrimaryMetric
GetLoopResponseLoopSpecRolloutPrimaryMetric = GetAbTestResponseAbtestPrimaryMetric
GetMetricHistoryResponseMetricsItem = GetRunResponseRunDataMetricsItem
GetModelVersionByAliasResponseModelVersion = GetModelVersionResponseModelVersion
GetModelVersionByAliasResponseModelVersionTagsItem = GetRunResponseRunDataTagsItem
GetModelVersionLineageResponseLineageDatasetsItemDatasetVersionsItemValidationsItem = ListValidationsResponseValidationsItem
GetModelVersionResponseModelVersionTagsItem = GetRunResponseRunDataTagsItem
GetPerformanceResponseOverallVariant1Micro = GetPerformanceResponseOverallVariant1Macro
GetPerformanceResponseOverallVariant1Weighted = GetPerformanceResponseOverallVariant1Macro
GetPerformanceResponseVersionsItemVariant1Macro = GetPerformanceResponseOverallVariant1Macro
GetPerformanceResponseVersionsItemVariant1Micro = GetPerformanceResponseOverallVariant1Macro
GetPerformanceResponseVersionsItemVariant1PerClassItem = GetPerformanceResponseOverallVariant1PerClassItem
GetPerformanceResponseVersionsItemVariant1Weighted = GetPerformanceResponseOverallVariant1Macro
GetPerformanceResponseWindowsItemVersionsItemVariant1 = GetPerformanceResponseVersionsItemVariant1
GetPerformanceResponseWindowsItemVersionsItemVariant1Macro = GetPerformanceResponseOverallVariant1Macro
GetPerformanceResponseWindowsItemVersionsItemVariant1Micro = GetPerformanceResponseOverallVariant1Macro
GetPerformanceResponseWindowsItemVersionsItemVariant1PerClassItem = GetPerformanceResponseOverallVariant1PerClassItem
GetPerformanceResponseWindowsItemVersionsItemVariant1Weighted = GetPerformanceResponseOverallVariant1Macro
GetPerformanceResponseWindowsItemVersionsItemVariant2 = GetPerformanceResponseVersionsItemVariant2
GetPerformanceResponseWindowsItemVersionsItemVariant3 = GetPerformanceResponseVersionsItemVariant3
GetQualityResponseWindowsItemFeaturesItem = GetQualityResponseFeaturesItem
GetQualityResponseWindowsItemFeaturesItemUnseenTopItem = GetQualityResponseFeaturesItemUnseenTopItem
GetQualityResponseWindowsItemValidationsItem = GetQualityResponseValidationsItem
GetQualityResponseWindowsItemValidationsItemFailuresItem = GetQualityResponseValidationsItemFailuresItem
GetReferenceResponseReferenceColumnsValueTopItem = GetQualityResponseFeaturesItemUnseenTopItem
GetReferenceResponseReferenceSourceDataset = GetDriftResponseReferenceSourceDataset
GetReferenceResponseReferenceSourceDatasetPredictionVariant1 = GetDriftResponseReferenceSourceFilePredictionVariant1
GetReferenceResponseReferenceSourceDatasetPredictionVariant2 = GetDriftResponseReferenceSourceFilePredictionVariant2
GetReferenceResponseReferenceSourceFile = GetDriftResponseReferenceSourceFile
GetReferenceResponseReferenceSourceFilePredictionVariant1 = GetDriftResponseReferenceSourceFilePredictionVariant1
GetReferenceResponseReferenceSourceFilePredictionVariant2 = GetDriftResponseReferenceSourceFilePredictionVariant2
GetReferenceResponseReferenceSourceWindow = GetDriftResponseReferenceSourceWindow
GetRegisteredModelResponseRegisteredModelLatestVersionsItem = GetModelVersionResponseModelVersion
GetRegisteredModelResponseRegisteredModelLatestVersionsItemTagsItem = GetRunResponseRunDataTagsItem
GetRegisteredModelResponseRegisteredModelTagsItem = GetRunResponseRunDataTagsItem
GetRunResponseRunDataParamsItem = GetRunResponseRunDataTagsItem
GetRunResponseRunInputsDatasetInputsItemTagsItem = GetRunResponseRunDataTagsItem
GetSuiteResponseSuiteSuite = PutSuiteResponseSuite
GetSuiteResponseSuiteSuiteExpectationsItem = PutSuiteResponseSuiteExpectationsItem
GetSuiteResponseSuiteSuiteExpectationsItemKwargs = PutSuiteResponseSuiteExpectationsItemKwargs
GetSuiteResponseSuiteSuiteExpectationsItemKwargsQuantileRanges = PutSuiteResponseSuiteExpectationsItemKwargsQuantileRanges
GetValidationResponseValidationResult = ValidateFileResponseResult
GetValidationResponseValidationResultResultsItem = ValidateFileResponseResultResultsItem
GetValidationResponseValidationResultResultsItemExceptionInfo = ValidateFileResponseResultResultsItemExceptionInfo
GetValidationResponseValidationResultResultsItemExpectationConfig = PutSuiteResponseSuiteExpectationsItem
GetValidationResponseValidationResultResultsItemExpectationConfigKwargs = PutSuiteResponseSuiteExpectationsItemKwargs
GetValidationResponseValidationResultResultsItemExpectationConfigKwargsQuantileRanges = PutSuiteResponseSuiteExpectationsItemKwargsQuantileRanges
GetValidationResponseValidationResultResultsItemResult = ValidateFileResponseResultResultsItemResult
GetValidationResponseValidationResultResultsItemResultPartialUnexpectedCountsItem = ValidateFileResponseResultResultsItemResultPartialUnexpectedCountsItem
GetValidationResponseValidationResultResultsItemSkipped = ValidateFileResponseResultResultsItemSkipped
GetValidationResponseValidationResultStatistics = ValidateFileResponseResultStatistics
InferSuiteResponseSuite = PutSuiteResponseSuite
InferSuiteResponseSuiteExpectationsItem = PutSuiteResponseSuiteExpectationsItem
InferSuiteResponseSuiteExpectationsItemKwargs = PutSuiteResponseSuiteExpectationsItemKwargs
InferSuiteResponseSuiteExpectationsItemKwargsQuantileRanges = PutSuiteResponseSuiteExpectationsItemKwargsQuantileRanges
ListAbTestsResponseAbtestsItem = GetAbTestResponseAbtest
ListAbTestsResponseAbtestsItemArmsItem = GetAbTestResponseAbtestArmsItem
ListAbTestsResponseAbtestsItemGuardrailsItem = GetAbTestResponseAbtestPrimaryMetric
ListAbTestsResponseAbtestsItemPrimaryMetric = GetAbTestResponseAbtestPrimaryMetric
ListAbTestsResponseAbtestsItemSettings = GetAbTestResponseAbtestSettings
ListAlertRulesResponseRulesItem = GetAlertRuleResponseRule
ListApprovalPoliciesResponsePoliciesItem = GetApprovalPolicyResponsePolicy
ListApprovalPoliciesResponsePoliciesItemChecksItemCard = GetApprovalPolicyResponsePolicyChecksItemCard
ListApprovalPoliciesResponsePoliciesItemChecksItemFairness = GetApprovalPolicyResponsePolicyChecksItemFairness
ListApprovalPoliciesResponsePoliciesItemChecksItemMetric = GetApprovalPolicyResponsePolicyChecksItemMetric
ListApprovalPoliciesResponsePoliciesItemChecksItemValidation = GetApprovalPolicyResponsePolicyChecksItemValidation
ListApprovalsResponseApprovalsItem = RecordApprovalResponseApproval
ListDatasetVersionValidationsResponseValidationsItem = ListValidationsResponseValidationsItem
ListDatasetVersionsResponseVersionsItem = SetDatasetTagResponseVersion
ListDatasetVersionsResponseVersionsItemSchema = SetDatasetTagResponseVersionSchema
ListDatasetVersionsResponseVersionsItemSchemaColumnsItem = TableDriftResponseSchemaAddedItem
ListDatasetVersionsResponseVersionsItemSchemaWarningsItem = ValidateFileResponseFileWarningsItem
ListDeploymentRevisionsResponseRevisionsItemSpec = GetDeploymentResponseDeploymentSpec
ListDeploymentRevisionsResponseRevisionsItemSpecBatching = GetDeploymentResponseDeploymentSpecBatching
ListDeploymentRevisionsResponseRevisionsItemSpecRoutesItem = GetDeploymentResponseDeploymentSpecRoutesItem
ListDeploymentRevisionsResponseRevisionsItemSpecShadowItem = GetDeploymentResponseDeploymentSpecShadowItem
ListDeploymentsResponseDeploymentsItem = GetDeploymentResponseDeployment
ListDeploymentsResponseDeploymentsItemSpec = GetDeploymentResponseDeploymentSpec
ListDeploymentsResponseDeploymentsItemSpecBatching = GetDeploymentResponseDeploymentSpecBatching
ListDeploymentsResponseDeploymentsItemSpecRoutesItem = GetDeploymentResponseDeploymentSpecRoutesItem
ListDeploymentsResponseDeploymentsItemSpecShadowItem = GetDeploymentResponseDeploymentSpecShadowItem
ListDeploymentsResponseDeploymentsItemStatus = GetDeploymentResponseDeploymentStatus
ListDeploymentsResponseDeploymentsItemStatusRoutesItem = GetDeploymentResponseDeploymentStatusRoutesItem
ListDeploymentsResponseDeploymentsItemStatusRoutesItemRef = GetDeploymentResponseDeploymentSpecShadowItem
ListExecutorsResponseExecutorsItem = GetExecutorResponseExecutor
ListJobsResponseJobsItem = GetJobResponseJob
ListJobsResponseJobsItemProject = GetJobResponseJobProject
ListJobsResponseJobsItemResources = GetJobResponseJobResources
ListLoopRunsResponseLoopRunsItem = TriggerLoopResponseLoopRun
ListLoopsResponseLoopsItem = GetLoopResponseLoop
ListLoopsResponseLoopsItemLastRun = GetLoopResponseLoopLastRun
ListLoopsResponseLoopsItemSpec = GetLoopResponseLoopSpec
ListLoopsResponseLoopsItemSpecApprovalsItem = GetLoopResponseLoopSpecApprovalsItem
ListLoopsResponseLoopsItemSpecGate = GetLoopResponseLoopSpecGate
ListLoopsResponseLoopsItemSpecGateFairnessItem = GetLoopResponseLoopSpecGateFairnessItem
ListLoopsResponseLoopsItemSpecGateHoldout = GetLoopResponseLoopSpecGateHoldout
ListLoopsResponseLoopsItemSpecGateSlicesItem = GetLoopResponseLoopSpecGateSlicesItem
ListLoopsResponseLoopsItemSpecGateThresholdsItem = GetLoopResponseLoopSpecGateThresholdsItem
ListLoopsResponseLoopsItemSpecRollout = GetLoopResponseLoopSpecRollout
ListLoopsResponseLoopsItemSpecRolloutGuardrailsItem = GetAbTestResponseAbtestPrimaryMetric
ListLoopsResponseLoopsItemSpecRolloutPrimaryMetric = GetAbTestResponseAbtestPrimaryMetric
ListLoopsResponseLoopsItemSpecRolloutShadow = GetLoopResponseLoopSpecRolloutShadow
ListLoopsResponseLoopsItemSpecRolloutStepsItem = GetLoopResponseLoopSpecRolloutStepsItem
ListLoopsResponseLoopsItemSpecTraining = GetLoopResponseLoopSpecTraining
ListLoopsResponseLoopsItemSpecTrainingData = GetLoopResponseLoopSpecTrainingData
ListLoopsResponseLoopsItemSpecTrainingGit = GetLoopResponseLoopSpecTrainingGit
ListLoopsResponseLoopsItemSpecTriggersItem = GetLoopResponseLoopSpecTriggersItem
ListNotifiersResponseNotifiersItem = GetNotifierResponseNotifier
ListProxiedArtifactsResponseFilesItem = ListArtifactsResponseFilesItem
ListSilencesResponseSilencesItem = GetSilenceResponseSilence
ListSilencesResponseSilencesItemMatchersItem = GetSilenceResponseSilenceMatchersItem
ListStreamBindingsResponseStreamsItem = GetStreamBindingResponseStream
ListStreamBindingsResponseStreamsItemStatus = GetStreamBindingResponseStreamStatus
LogBatchBodyParamsItem = LogBatchBodyTagsItem
LogInputsBodyDatasetsItemDataset = GetRunResponseRunInputsDatasetInputsItemDataset
LogInputsBodyDatasetsItemTagsItem = LogBatchBodyTagsItem
LogLoggedModelParamsBodyParamsItem = LogBatchBodyTagsItem
PauseLoopResponseLoop = GetLoopResponseLoop
PauseLoopResponseLoopLastRun = GetLoopResponseLoopLastRun
PauseLoopResponseLoopSpec = GetLoopResponseLoopSpec
PauseLoopResponseLoopSpecApprovalsItem = GetLoopResponseLoopSpecApprovalsItem
PauseLoopResponseLoopSpecGate = GetLoopResponseLoopSpecGate
PauseLoopResponseLoopSpecGateFairnessItem = GetLoopResponseLoopSpecGateFairnessItem
PauseLoopResponseLoopSpecGateHoldout = GetLoopResponseLoopSpecGateHoldout
PauseLoopResponseLoopSpecGateSlicesItem = GetLoopResponseLoopSpecGateSlicesItem
PauseLoopResponseLoopSpecGateThresholdsItem = GetLoopResponseLoopSpecGateThresholdsItem
PauseLoopResponseLoopSpecRollout = GetLoopResponseLoopSpecRollout
PauseLoopResponseLoopSpecRolloutGuardrailsItem = GetAbTestResponseAbtestPrimaryMetric
PauseLoopResponseLoopSpecRolloutPrimaryMetric = GetAbTestResponseAbtestPrimaryMetric
PauseLoopResponseLoopSpecRolloutShadow = GetLoopResponseLoopSpecRolloutShadow
PauseLoopResponseLoopSpecRolloutStepsItem = GetLoopResponseLoopSpecRolloutStepsItem
PauseLoopResponseLoopSpecTraining = GetLoopResponseLoopSpecTraining
PauseLoopResponseLoopSpecTrainingData = GetLoopResponseLoopSpecTrainingData
PauseLoopResponseLoopSpecTrainingGit = GetLoopResponseLoopSpecTrainingGit
PauseLoopResponseLoopSpecTriggersItem = GetLoopResponseLoopSpecTriggersItem
PromoteLoopRunResponseLoopRun = GetLoopRunResponseLoopRun
PromoteLoopRunResponseLoopRunStepsItem = GetLoopRunResponseLoopRunStepsItem
PromoteLoopRunResponseLoopRunStepsItemLinks = GetLoopRunResponseLoopRunStepsItemLinks
PromoteLoopRunResponseLoopRunStepsItemLinksDatasetVersionsItem = GetLoopRunResponseLoopRunStepsItemLinksDatasetVersionsItem
PromoteLoopRunResponseLoopRunTriggersItem = GetLoopRunResponseLoopRunTriggersItem
PushDatasetVersionResponseVersion = SetDatasetTagResponseVersion
PushDatasetVersionResponseVersionSchema = SetDatasetTagResponseVersionSchema
PushDatasetVersionResponseVersionSchemaColumnsItem = TableDriftResponseSchemaAddedItem
PushDatasetVersionResponseVersionSchemaWarningsItem = ValidateFileResponseFileWarningsItem
PutApprovalPolicyBodyChecksItemCard = GetApprovalPolicyResponsePolicyChecksItemCard
PutApprovalPolicyBodyChecksItemFairness = GetApprovalPolicyResponsePolicyChecksItemFairness
PutApprovalPolicyBodyChecksItemMetric = GetApprovalPolicyResponsePolicyChecksItemMetric
PutApprovalPolicyBodyChecksItemValidation = GetApprovalPolicyResponsePolicyChecksItemValidation
PutApprovalPolicyResponsePolicy = GetApprovalPolicyResponsePolicy
PutApprovalPolicyResponsePolicyChecksItemCard = GetApprovalPolicyResponsePolicyChecksItemCard
PutApprovalPolicyResponsePolicyChecksItemFairness = GetApprovalPolicyResponsePolicyChecksItemFairness
PutApprovalPolicyResponsePolicyChecksItemMetric = GetApprovalPolicyResponsePolicyChecksItemMetric
PutApprovalPolicyResponsePolicyChecksItemValidation = GetApprovalPolicyResponsePolicyChecksItemValidation
PutCardFieldsResponseLevelsItem = GetCardFieldsResponseLevelsItem
PutExecutorResponseExecutor = GetExecutorResponseExecutor
PutReferenceResponseReferenceSourceDataset = GetDriftResponseReferenceSourceDataset
PutReferenceResponseReferenceSourceDatasetPredictionVariant1 = GetDriftResponseReferenceSourceFilePredictionVariant1
PutReferenceResponseReferenceSourceDatasetPredictionVariant2 = GetDriftResponseReferenceSourceFilePredictionVariant2
PutReferenceResponseReferenceSourceFile = GetDriftResponseReferenceSourceFile
PutReferenceResponseReferenceSourceFilePredictionVariant1 = GetDriftResponseReferenceSourceFilePredictionVariant1
PutReferenceResponseReferenceSourceFilePredictionVariant2 = GetDriftResponseReferenceSourceFilePredictionVariant2
PutReferenceResponseReferenceSourceWindow = GetDriftResponseReferenceSourceWindow
RecordApprovalResponseGate = GetApprovalGateResponse
RecordApprovalResponseGateApprovals = GetApprovalGateResponseApprovals
RecordApprovalResponseGateApprovalsNotCountedItem = GetApprovalGateResponseApprovalsNotCountedItem
RecordApprovalResponseGateChecksItem = GetApprovalGateResponseChecksItem
RegisterOnnxModelResponseModelVersion = GetModelVersionResponseModelVersion
RegisterOnnxModelResponseModelVersionTagsItem = GetRunResponseRunDataTagsItem
RegisterOnnxModelResponseSignatureOutputsItem = RegisterOnnxModelResponseSignatureInputsItem
RenameRegisteredModelResponseRegisteredModel = GetRegisteredModelResponseRegisteredModel
RenameRegisteredModelResponseRegisteredModelAliasesItem = GetRegisteredModelResponseRegisteredModelAliasesItem
RenameRegisteredModelResponseRegisteredModelLatestVersionsItem = GetModelVersionResponseModelVersion
RenameRegisteredModelResponseRegisteredModelLatestVersionsItemTagsItem = GetRunResponseRunDataTagsItem
RenameRegisteredModelResponseRegisteredModelTagsItem = GetRunResponseRunDataTagsItem
ResumeLoopResponseLoop = GetLoopResponseLoop
ResumeLoopResponseLoopLastRun = GetLoopResponseLoopLastRun
ResumeLoopResponseLoopSpec = GetLoopResponseLoopSpec
ResumeLoopResponseLoopSpecApprovalsItem = GetLoopResponseLoopSpecApprovalsItem
ResumeLoopResponseLoopSpecGate = GetLoopResponseLoopSpecGate
ResumeLoopResponseLoopSpecGateFairnessItem = GetLoopResponseLoopSpecGateFairnessItem
ResumeLoopResponseLoopSpecGateHoldout = GetLoopResponseLoopSpecGateHoldout
ResumeLoopResponseLoopSpecGateSlicesItem = GetLoopResponseLoopSpecGateSlicesItem
ResumeLoopResponseLoopSpecGateThresholdsItem = GetLoopResponseLoopSpecGateThresholdsItem
ResumeLoopResponseLoopSpecRollout = GetLoopResponseLoopSpecRollout
ResumeLoopResponseLoopSpecRolloutGuardrailsItem = GetAbTestResponseAbtestPrimaryMetric
ResumeLoopResponseLoopSpecRolloutPrimaryMetric = GetAbTestResponseAbtestPrimaryMetric
ResumeLoopResponseLoopSpecRolloutShadow = GetLoopResponseLoopSpecRolloutShadow
ResumeLoopResponseLoopSpecRolloutStepsItem = GetLoopResponseLoopSpecRolloutStepsItem
ResumeLoopResponseLoopSpecTraining = GetLoopResponseLoopSpecTraining
ResumeLoopResponseLoopSpecTrainingData = GetLoopResponseLoopSpecTrainingData
ResumeLoopResponseLoopSpecTrainingGit = GetLoopResponseLoopSpecTrainingGit
ResumeLoopResponseLoopSpecTriggersItem = GetLoopResponseLoopSpecTriggersItem
RollbackDeploymentResponseDeployment = GetDeploymentResponseDeployment
RollbackDeploymentResponseDeploymentSpec = GetDeploymentResponseDeploymentSpec
RollbackDeploymentResponseDeploymentSpecBatching = GetDeploymentResponseDeploymentSpecBatching
RollbackDeploymentResponseDeploymentSpecRoutesItem = GetDeploymentResponseDeploymentSpecRoutesItem
RollbackDeploymentResponseDeploymentSpecShadowItem = GetDeploymentResponseDeploymentSpecShadowItem
RollbackDeploymentResponseDeploymentStatus = GetDeploymentResponseDeploymentStatus
RollbackDeploymentResponseDeploymentStatusRoutesItem = GetDeploymentResponseDeploymentStatusRoutesItem
RollbackDeploymentResponseDeploymentStatusRoutesItemRef = GetDeploymentResponseDeploymentSpecShadowItem
SearchExperimentsByQueryResponseExperimentsItem = GetExperimentResponseExperiment
SearchExperimentsByQueryResponseExperimentsItemTagsItem = GetRunResponseRunDataTagsItem
SearchExperimentsResponseExperimentsItem = GetExperimentResponseExperiment
SearchExperimentsResponseExperimentsItemTagsItem = GetRunResponseRunDataTagsItem
SearchLoggedModelsResponseModelsItem = GetLoggedModelResponseModel
SearchLoggedModelsResponseModelsItemData = GetLoggedModelResponseModelData
SearchLoggedModelsResponseModelsItemDataMetricsItem = GetLoggedModelResponseModelDataMetricsItem
SearchLoggedModelsResponseModelsItemDataParamsItem = GetRunResponseRunDataTagsItem
SearchLoggedModelsResponseModelsItemInfo = GetLoggedModelResponseModelInfo
SearchLoggedModelsResponseModelsItemInfoTagsItem = GetRunResponseRunDataTagsItem
SearchModelVersionsResponseModelVersionsItem = GetModelVersionResponseModelVersion
SearchModelVersionsResponseModelVersionsItemTagsItem = GetRunResponseRunDataTagsItem
SearchRegisteredModelsResponseRegisteredModelsItem = GetRegisteredModelResponseRegisteredModel
SearchRegisteredModelsResponseRegisteredModelsItemAliasesItem = GetRegisteredModelResponseRegisteredModelAliasesItem
SearchRegisteredModelsResponseRegisteredModelsItemLatestVersionsItem = GetModelVersionResponseModelVersion
SearchRegisteredModelsResponseRegisteredModelsItemLatestVersionsItemTagsItem = GetRunResponseRunDataTagsItem
SearchRegisteredModelsResponseRegisteredModelsItemTagsItem = GetRunResponseRunDataTagsItem
SearchRunsResponseRunsItem = GetRunResponseRun
SearchRunsResponseRunsItemData = GetRunResponseRunData
SearchRunsResponseRunsItemDataMetricsItem = GetRunResponseRunDataMetricsItem
SearchRunsResponseRunsItemDataParamsItem = GetRunResponseRunDataTagsItem
SearchRunsResponseRunsItemDataTagsItem = GetRunResponseRunDataTagsItem
SearchRunsResponseRunsItemInfo = GetRunResponseRunInfo
SearchRunsResponseRunsItemInputs = GetRunResponseRunInputs
SearchRunsResponseRunsItemInputsDatasetInputsItem = GetRunResponseRunInputsDatasetInputsItem
SearchRunsResponseRunsItemInputsDatasetInputsItemDataset = GetRunResponseRunInputsDatasetInputsItemDataset
SearchRunsResponseRunsItemInputsDatasetInputsItemTagsItem = GetRunResponseRunDataTagsItem
SearchRunsResponseRunsItemInputsModelInputsItem = GetRunResponseRunInputsModelInputsItem
SearchRunsResponseRunsItemOutputs = GetRunResponseRunOutputs
SearchRunsResponseRunsItemOutputsModelOutputsItem = GetRunResponseRunOutputsModelOutputsItem
SetAlertDestinationsResponseDestinations = GetAlertDestinationsResponseDestinations
SetDatasetTagResponseVersionSchemaColumnsItem = TableDriftResponseSchemaAddedItem
SetDatasetTagResponseVersionSchemaWarningsItem = ValidateFileResponseFileWarningsItem
SetLoggedModelTagsBodyTagsItem = LogBatchBodyTagsItem
StartAbTestResponseAbtest = GetAbTestResponseAbtest
StartAbTestResponseAbtestArmsItem = GetAbTestResponseAbtestArmsItem
StartAbTestResponseAbtestGuardrailsItem = GetAbTestResponseAbtestPrimaryMetric
StartAbTestResponseAbtestPrimaryMetric = GetAbTestResponseAbtestPrimaryMetric
StartAbTestResponseAbtestSettings = GetAbTestResponseAbtestSettings
StartConversionResponseConversion = GetConversionResponseConversion
StartConversionResponseConversionCheck = GetConversionResponseConversionCheck
StopAbTestResponseAbtest = GetAbTestResponseAbtest
StopAbTestResponseAbtestArmsItem = GetAbTestResponseAbtestArmsItem
StopAbTestResponseAbtestGuardrailsItem = GetAbTestResponseAbtestPrimaryMetric
StopAbTestResponseAbtestPrimaryMetric = GetAbTestResponseAbtestPrimaryMetric
StopAbTestResponseAbtestSettings = GetAbTestResponseAbtestSettings
SubmitFeedbackBodyVariant1FeedbackItem = SubmitFeedbackBodyAlt1Item
SubmitJobBodyGit = GetLoopResponseLoopSpecTrainingGit
SubmitJobBodyResources = GetJobResponseJobResources
SubmitJobResponseJob = GetJobResponseJob
SubmitJobResponseJobProject = GetJobResponseJobProject
SubmitJobResponseJobResources = GetJobResponseJobResources
SubmitOutcomesBodyVariant1OutcomesItem = SubmitOutcomesBodyAlt1Item
TableDriftBodyReference = TableDriftBodyCurrent
TableDriftResponseCurrentWarningsItem = ValidateFileResponseFileWarningsItem
TableDriftResponseDriftItem = GetDriftResponsePrediction
TableDriftResponseDriftItemCurrent = GetDriftResponsePredictionCurrent
TableDriftResponseDriftItemCurrentOverflow = GetDriftResponsePredictionCurrentUnseen
TableDriftResponseDriftItemCurrentUnderflow = GetDriftResponsePredictionCurrentUnseen
TableDriftResponseDriftItemCurrentUnseen = GetDriftResponsePredictionCurrentUnseen
TableDriftResponseDriftItemReference = GetDriftResponsePredictionCurrent
TableDriftResponseDriftItemReferenceOverflow = GetDriftResponsePredictionCurrentUnseen
TableDriftResponseDriftItemReferenceUnderflow = GetDriftResponsePredictionCurrentUnseen
TableDriftResponseDriftItemReferenceUnseen = GetDriftResponsePredictionCurrentUnseen
TableDriftResponseReference = TableDriftResponseCurrent
TableDriftResponseReferenceWarningsItem = ValidateFileResponseFileWarningsItem
TableDriftResponseSchemaRemovedItem = TableDriftResponseSchemaAddedItem
TransitionModelVersionStageResponseModelVersion = GetModelVersionResponseModelVersion
TransitionModelVersionStageResponseModelVersionTagsItem = GetRunResponseRunDataTagsItem
UpdateAlertRuleResponseRule = GetAlertRuleResponseRule
UpdateDatasetResponseDataset = GetDatasetResponseDataset
UpdateDatasetResponseDatasetLatest = SetDatasetTagResponseVersion
UpdateDatasetResponseDatasetLatestSchema = SetDatasetTagResponseVersionSchema
UpdateDatasetResponseDatasetLatestSchemaColumnsItem = TableDriftResponseSchemaAddedItem
UpdateDatasetResponseDatasetLatestSchemaWarningsItem = ValidateFileResponseFileWarningsItem
UpdateDeploymentBodyBatching = CreateDeploymentBodyBatching
UpdateDeploymentBodyRoutesItem = CreateDeploymentBodyRoutesItem
UpdateDeploymentBodyShadowItem = CreateDeploymentBodyShadowItem
UpdateDeploymentResponseDeployment = GetDeploymentResponseDeployment
UpdateDeploymentResponseDeploymentSpec = GetDeploymentResponseDeploymentSpec
UpdateDeploymentResponseDeploymentSpecBatching = GetDeploymentResponseDeploymentSpecBatching
UpdateDeploymentResponseDeploymentSpecRoutesItem = GetDeploymentResponseDeploymentSpecRoutesItem
UpdateDeploymentResponseDeploymentSpecShadowItem = GetDeploymentResponseDeploymentSpecShadowItem
UpdateDeploymentResponseDeploymentStatus = GetDeploymentResponseDeploymentStatus
UpdateDeploymentResponseDeploymentStatusRoutesItem = GetDeploymentResponseDeploymentStatusRoutesItem
UpdateDeploymentResponseDeploymentStatusRoutesItemRef = GetDeploymentResponseDeploymentSpecShadowItem
UpdateLoopBodyApprovalsItem = GetLoopResponseLoopSpecApprovalsItem
UpdateLoopBodyGate = GetLoopResponseLoopSpecGate
UpdateLoopBodyGateFairnessItem = GetLoopResponseLoopSpecGateFairnessItem
UpdateLoopBodyGateHoldout = GetLoopResponseLoopSpecGateHoldout
UpdateLoopBodyGateSlicesItem = GetLoopResponseLoopSpecGateSlicesItem
UpdateLoopBodyGateThresholdsItem = GetLoopResponseLoopSpecGateThresholdsItem
UpdateLoopBodyRollout = GetLoopResponseLoopSpecRollout
UpdateLoopBodyRolloutGuardrailsItem = GetAbTestResponseAbtestPrimaryMetric
UpdateLoopBodyRolloutPrimaryMetric = GetAbTestResponseAbtestPrimaryMetric
UpdateLoopBodyRolloutShadow = GetLoopResponseLoopSpecRolloutShadow
UpdateLoopBodyRolloutStepsItem = GetLoopResponseLoopSpecRolloutStepsItem
UpdateLoopBodyTraining = GetLoopResponseLoopSpecTraining
UpdateLoopBodyTrainingData = GetLoopResponseLoopSpecTrainingData
UpdateLoopBodyTrainingGit = GetLoopResponseLoopSpecTrainingGit
UpdateLoopBodyTriggersItem = GetLoopResponseLoopSpecTriggersItem
UpdateLoopResponseLoop = GetLoopResponseLoop
UpdateLoopResponseLoopLastRun = GetLoopResponseLoopLastRun
UpdateLoopResponseLoopSpec = GetLoopResponseLoopSpec
UpdateLoopResponseLoopSpecApprovalsItem = GetLoopResponseLoopSpecApprovalsItem
UpdateLoopResponseLoopSpecGate = GetLoopResponseLoopSpecGate
UpdateLoopResponseLoopSpecGateFairnessItem = GetLoopResponseLoopSpecGateFairnessItem
UpdateLoopResponseLoopSpecGateHoldout = GetLoopResponseLoopSpecGateHoldout
UpdateLoopResponseLoopSpecGateSlicesItem = GetLoopResponseLoopSpecGateSlicesItem
UpdateLoopResponseLoopSpecGateThresholdsItem = GetLoopResponseLoopSpecGateThresholdsItem
UpdateLoopResponseLoopSpecRollout = GetLoopResponseLoopSpecRollout
UpdateLoopResponseLoopSpecRolloutGuardrailsItem = GetAbTestResponseAbtestPrimaryMetric
UpdateLoopResponseLoopSpecRolloutPrimaryMetric = GetAbTestResponseAbtestPrimaryMetric
UpdateLoopResponseLoopSpecRolloutShadow = GetLoopResponseLoopSpecRolloutShadow
UpdateLoopResponseLoopSpecRolloutStepsItem = GetLoopResponseLoopSpecRolloutStepsItem
UpdateLoopResponseLoopSpecTraining = GetLoopResponseLoopSpecTraining
UpdateLoopResponseLoopSpecTrainingData = GetLoopResponseLoopSpecTrainingData
UpdateLoopResponseLoopSpecTrainingGit = GetLoopResponseLoopSpecTrainingGit
UpdateLoopResponseLoopSpecTriggersItem = GetLoopResponseLoopSpecTriggersItem
UpdateModelVersionResponseModelVersion = GetModelVersionResponseModelVersion
UpdateModelVersionResponseModelVersionTagsItem = GetRunResponseRunDataTagsItem
UpdateMonitoringSettingsResponseSettings = GetMonitoringSettingsResponseSettings
UpdateMonitoringSettingsResponseSettingsPii = GetMonitoringSettingsResponseSettingsPii
UpdateNotifierResponseNotifier = GetNotifierResponseNotifier
UpdateRegisteredModelResponseRegisteredModel = GetRegisteredModelResponseRegisteredModel
UpdateRegisteredModelResponseRegisteredModelAliasesItem = GetRegisteredModelResponseRegisteredModelAliasesItem
UpdateRegisteredModelResponseRegisteredModelLatestVersionsItem = GetModelVersionResponseModelVersion
UpdateRegisteredModelResponseRegisteredModelLatestVersionsItemTagsItem = GetRunResponseRunDataTagsItem
UpdateRegisteredModelResponseRegisteredModelTagsItem = GetRunResponseRunDataTagsItem
UpdateRunResponseRunInfo = GetRunResponseRunInfo
UpdateStreamBindingBodyCredentials = CreateStreamBindingBodyCredentials
UpdateStreamBindingResponseStream = GetStreamBindingResponseStream
UpdateStreamBindingResponseStreamStatus = GetStreamBindingResponseStreamStatus
UploadJobProjectResponseProject = GetJobProjectResponseProject
UploadJobProjectResponseProjectEntryPointsItem = GetJobProjectResponseProjectEntryPointsItem
UploadJobProjectResponseProjectEntryPointsItemParametersItem = GetJobProjectResponseProjectEntryPointsItemParametersItem
V2ModelMetadataResponseOutputsItem = V2ModelMetadataResponseInputsItem
V2ModelVersionInferBodyInputsItem = V2ModelInferBodyInputsItem
V2ModelVersionInferBodyInputsItemParameters = V2ModelInferBodyInputsItemParameters
V2ModelVersionInferBodyOutputsItem = V2ModelInferBodyOutputsItem
V2ModelVersionInferBodyOutputsItemParameters = V2ModelInferBodyOutputsItemParameters
V2ModelVersionInferBodyParameters = V2ModelInferBodyParameters
V2ModelVersionInferResponseOutputsItem = V2ModelInferResponseOutputsItem
V2ModelVersionInferResponseOutputsItemParameters = V2ModelInferResponseOutputsItemParameters
V2ModelVersionInferResponseParameters = V2ModelInferResponseParameters
V2ModelVersionMetadataResponseInputsItem = V2ModelMetadataResponseInputsItem
V2ModelVersionMetadataResponseOutputsItem = V2ModelMetadataResponseInputsItem
ValidateDatasetVersionResponseResult = ValidateFileResponseResult
ValidateDatasetVersionResponseResultResultsItem = ValidateFileResponseResultResultsItem
ValidateDatasetVersionResponseResultResultsItemExceptionInfo = ValidateFileResponseResultResultsItemExceptionInfo
ValidateDatasetVersionResponseResultResultsItemExpectationConfig = PutSuiteResponseSuiteExpectationsItem
ValidateDatasetVersionResponseResultResultsItemExpectationConfigKwargs = PutSuiteResponseSuiteExpectationsItemKwargs
ValidateDatasetVersionResponseResultResultsItemExpectationConfigKwargsQuantileRanges = PutSuiteResponseSuiteExpectationsItemKwargsQuantileRanges
ValidateDatasetVersionResponseResultResultsItemResult = ValidateFileResponseResultResultsItemResult
ValidateDatasetVersionResponseResultResultsItemResultPartialUnexpectedCountsItem = ValidateFileResponseResultResultsItemResultPartialUnexpectedCountsItem
ValidateDatasetVersionResponseResultResultsItemSkipped = ValidateFileResponseResultResultsItemSkipped
ValidateDatasetVersionResponseResultStatistics = ValidateFileResponseResultStatistics
ValidateFileResponseResultResultsItemExpectationConfig = PutSuiteResponseSuiteExpectationsItem
ValidateFileResponseResultResultsItemExpectationConfigKwargs = PutSuiteResponseSuiteExpectationsItemKwargs
ValidateFileResponseResultResultsItemExpectationConfigKwargsQuantileRanges = PutSuiteResponseSuiteExpectationsItemKwargsQuantileRanges
ValidateTableBodyData = TableDriftBodyCurrent
ValidateTableBodySuite = PutSuiteBody
ValidateTableBodySuiteExpectationsItem = PutSuiteBodyExpectationsItem
ValidateTableResponseFile = ValidateFileResponseFile
ValidateTableResponseFileWarningsItem = ValidateFileResponseFileWarningsItem
ValidateTableResponseResult = ValidateFileResponseResult
ValidateTableResponseResultResultsItem = ValidateFileResponseResultResultsItem
ValidateTableResponseResultResultsItemExceptionInfo = ValidateFileResponseResultResultsItemExceptionInfo
ValidateTableResponseResultResultsItemExpectationConfig = PutSuiteResponseSuiteExpectationsItem
ValidateTableResponseResultResultsItemExpectationConfigKwargs = PutSuiteResponseSuiteExpectationsItemKwargs
ValidateTableResponseResultResultsItemExpectationConfigKwargsQuantileRanges = PutSuiteResponseSuiteExpectationsItemKwargsQuantileRanges
ValidateTableResponseResultResultsItemResult = ValidateFileResponseResultResultsItemResult
ValidateTableResponseResultResultsItemResultPartialUnexpectedCountsItem = ValidateFileResponseResultResultsItemResultPartialUnexpectedCountsItem
ValidateTableResponseResultResultsItemSkipped = ValidateFileResponseResultResultsItemSkipped
ValidateTableResponseResultStatistics = ValidateFileResponseResultStatistics


#: operationId -> (method, path template with the server's {name} placeholders).
OPERATIONS: Dict[str, Tuple[str, str]] = {
    'approveLoopRun': ('POST', '/api/v1/loops/{name}/runs/{seq}/approve'),
    'attachSuite': ('POST', '/api/v1/suites/{name}/attachments'),
    'cancelJob': ('POST', '/api/v1/jobs/{job_id}/cancel'),
    'cancelLoopRun': ('POST', '/api/v1/loops/{name}/runs/{seq}/cancel'),
    'createAbTest': ('POST', '/api/v1/abtests'),
    'createAlertRule': ('POST', '/api/v1/alerts/rules'),
    'createDeployment': ('POST', '/api/v1/deployments'),
    'createExperiment': ('POST', '/api/2.0/mlflow/experiments/create'),
    'createFairnessReport': ('POST', '/api/v1/models/{name}/versions/{version}/fairness'),
    'createLoggedModel': ('POST', '/api/2.0/mlflow/logged-models'),
    'createLoop': ('POST', '/api/v1/loops'),
    'createModelVersion': ('POST', '/api/2.0/mlflow/model-versions/create'),
    'createNotifier': ('POST', '/api/v1/alerts/notifiers'),
    'createRegisteredModel': ('POST', '/api/2.0/mlflow/registered-models/create'),
    'createRun': ('POST', '/api/2.0/mlflow/runs/create'),
    'createSilence': ('POST', '/api/v1/alerts/silences'),
    'createStreamBinding': ('POST', '/api/v1/deployments/{name}/streams'),
    'createToken': ('POST', '/api/v1/tokens'),
    'createUser': ('POST', '/api/v1/users'),
    'deleteAlertRule': ('DELETE', '/api/v1/alerts/rules/{id}'),
    'deleteApprovalPolicy': ('DELETE', '/api/v1/models/{name}/policies/{alias}'),
    'deleteArtifact': ('DELETE', '/api/2.0/mlflow-artifacts/artifacts/{*}'),
    'deleteDataset': ('DELETE', '/api/v1/datasets/{name}'),
    'deleteDatasetTag': ('DELETE', '/api/v1/datasets/{name}/tags/{tag}'),
    'deleteDatasetVersion': ('DELETE', '/api/v1/datasets/{name}/versions/{ref}'),
    'deleteDeployment': ('DELETE', '/api/v1/deployments/{name}'),
    'deleteExecutor': ('DELETE', '/api/v1/executors/{name}'),
    'deleteExperiment': ('POST', '/api/2.0/mlflow/experiments/delete'),
    'deleteExperimentTag': ('POST', '/api/2.0/mlflow/experiments/delete-experiment-tag'),
    'deleteLoggedModel': ('DELETE', '/api/2.0/mlflow/logged-models/{model_id}'),
    'deleteLoggedModelTag': ('DELETE', '/api/2.0/mlflow/logged-models/{model_id}/tags/{tag_key}'),
    'deleteModelVersion': ('DELETE', '/api/2.0/mlflow/model-versions/delete'),
    'deleteModelVersionTag': ('DELETE', '/api/2.0/mlflow/model-versions/delete-tag'),
    'deleteNotifier': ('DELETE', '/api/v1/alerts/notifiers/{id}'),
    'deleteRegisteredModel': ('DELETE', '/api/2.0/mlflow/registered-models/delete'),
    'deleteRegisteredModelAlias': ('DELETE', '/api/2.0/mlflow/registered-models/alias'),
    'deleteRegisteredModelTag': ('DELETE', '/api/2.0/mlflow/registered-models/delete-tag'),
    'deleteRun': ('POST', '/api/2.0/mlflow/runs/delete'),
    'deleteStreamBinding': ('DELETE', '/api/v1/deployments/{name}/streams/{stream}'),
    'deleteSuite': ('DELETE', '/api/v1/suites/{name}'),
    'deleteTag': ('POST', '/api/2.0/mlflow/runs/delete-tag'),
    'deleteUser': ('DELETE', '/api/v1/users/{username}'),
    'detachSuite': ('DELETE', '/api/v1/suites/{name}/attachments/{kind}/{target}'),
    'diffDatasetVersions': ('GET', '/api/v1/datasets/{name}/diff'),
    'downloadArtifact': ('GET', '/api/2.0/mlflow-artifacts/artifacts/{*}'),
    'downloadDatasetVersion': ('GET', '/api/v1/datasets/{name}/versions/{ref}/file'),
    'downloadJobSource': ('GET', '/api/v1/jobs/{job_id}/source.zip'),
    'downloadProjectSource': ('GET', '/api/v1/jobs/projects/{digest}/source.zip'),
    'evaluateAlerts': ('POST', '/api/v1/alerts/evaluate'),
    'expireSilence': ('DELETE', '/api/v1/alerts/silences/{id}'),
    'explainDeployment': ('POST', '/api/v1/deployments/{name}/explain'),
    'explainModelVersion': ('POST', '/api/v1/models/{name}/versions/{version}/explain'),
    'finalizeLoggedModel': ('PATCH', '/api/2.0/mlflow/logged-models/{model_id}'),
    'flaggerWebhook': ('POST', '/api/v1/loops/{name}/flagger/{hook}'),
    'getAbTest': ('GET', '/api/v1/abtests/{name}'),
    'getAbTestReport': ('GET', '/api/v1/abtests/{name}/report'),
    'getAlertDestinations': ('GET', '/api/v1/alerts/destinations'),
    'getAlertRule': ('GET', '/api/v1/alerts/rules/{id}'),
    'getApprovalGate': ('GET', '/api/v1/models/{name}/versions/{version}/gate'),
    'getApprovalPolicy': ('GET', '/api/v1/models/{name}/policies/{alias}'),
    'getCardFields': ('GET', '/api/v1/models/{name}/card'),
    'getCardStatus': ('GET', '/api/v1/models/{name}/versions/{version}/card/status'),
    'getClusterStatus': ('GET', '/api/v1/cluster'),
    'getConversion': ('GET', '/api/v1/models/{name}/versions/{version}/conversion'),
    'getDataset': ('GET', '/api/v1/datasets/{name}'),
    'getDatasetVersion': ('GET', '/api/v1/datasets/{name}/versions/{ref}'),
    'getDatasetVersionLineage': ('GET', '/api/v1/datasets/{name}/versions/{ref}/lineage'),
    'getDeployment': ('GET', '/api/v1/deployments/{name}'),
    'getDeploymentTraffic': ('GET', '/api/v1/deployments/{name}/traffic'),
    'getDrift': ('GET', '/api/v1/deployments/{name}/drift'),
    'getDriftWindows': ('GET', '/api/v1/deployments/{name}/drift/windows'),
    'getEstimatedPerformance': ('GET', '/api/v1/deployments/{name}/performance/estimated'),
    'getExecutor': ('GET', '/api/v1/executors/{name}'),
    'getExperiment': ('GET', '/api/2.0/mlflow/experiments/get'),
    'getExperimentByName': ('GET', '/api/2.0/mlflow/experiments/get-by-name'),
    'getFairnessReport': ('GET', '/api/v1/models/{name}/versions/{version}/fairness/{id}'),
    'getHealth': ('GET', '/health'),
    'getJob': ('GET', '/api/v1/jobs/{job_id}'),
    'getJobLogs': ('GET', '/api/v1/jobs/{job_id}/logs'),
    'getJobProject': ('GET', '/api/v1/jobs/projects/{digest}'),
    'getLatestVersions': ('POST', '/api/2.0/mlflow/registered-models/get-latest-versions'),
    'getLatestVersionsByQuery': ('GET', '/api/2.0/mlflow/registered-models/get-latest-versions'),
    'getLiveFairness': ('GET', '/api/v1/deployments/{name}/fairness'),
    'getLoggedModel': ('GET', '/api/2.0/mlflow/logged-models/{model_id}'),
    'getLoop': ('GET', '/api/v1/loops/{name}'),
    'getLoopRun': ('GET', '/api/v1/loops/{name}/runs/{seq}'),
    'getLoopVerdict': ('GET', '/api/v1/loops/{name}/verdict'),
    'getMetricHistory': ('GET', '/api/2.0/mlflow/metrics/get-history'),
    'getMetrics': ('GET', '/metrics'),
    'getModelCard': ('GET', '/api/v1/models/{name}/versions/{version}/card'),
    'getModelVersion': ('GET', '/api/2.0/mlflow/model-versions/get'),
    'getModelVersionByAlias': ('GET', '/api/2.0/mlflow/registered-models/alias'),
    'getModelVersionDownloadUri': ('GET', '/api/2.0/mlflow/model-versions/get-download-uri'),
    'getModelVersionLineage': ('GET', '/api/v1/models/{name}/versions/{version}/lineage'),
    'getMonitoringSettings': ('GET', '/api/v1/deployments/{name}/monitoring'),
    'getNotifier': ('GET', '/api/v1/alerts/notifiers/{id}'),
    'getPerformance': ('GET', '/api/v1/deployments/{name}/performance'),
    'getQuality': ('GET', '/api/v1/deployments/{name}/quality'),
    'getReadiness': ('GET', '/ready'),
    'getReference': ('GET', '/api/v1/deployments/{name}/reference'),
    'getRegisteredModel': ('GET', '/api/2.0/mlflow/registered-models/get'),
    'getRun': ('GET', '/api/2.0/mlflow/runs/get'),
    'getServerInfo': ('GET', '/api/2.0/mlflow/server-info'),
    'getSilence': ('GET', '/api/v1/alerts/silences/{id}'),
    'getStreamBinding': ('GET', '/api/v1/deployments/{name}/streams/{stream}'),
    'getSuite': ('GET', '/api/v1/suites/{name}'),
    'getValidation': ('GET', '/api/v1/validations/{id}'),
    'getValidationReport': ('GET', '/api/v1/models/{name}/versions/{version}/report'),
    'inferSuite': ('POST', '/api/v1/suites/infer'),
    'listAbTests': ('GET', '/api/v1/abtests'),
    'listAlertHistory': ('GET', '/api/v1/alerts/history'),
    'listAlertNotifications': ('GET', '/api/v1/alerts/notifications'),
    'listAlertRules': ('GET', '/api/v1/alerts/rules'),
    'listAlerts': ('GET', '/api/v1/alerts'),
    'listApprovalPolicies': ('GET', '/api/v1/models/{name}/policies'),
    'listApprovals': ('GET', '/api/v1/models/{name}/versions/{version}/approvals'),
    'listArtifacts': ('GET', '/api/2.0/mlflow/artifacts/list'),
    'listAudit': ('GET', '/api/v1/audit'),
    'listDatasetVersionValidations': ('GET', '/api/v1/datasets/{name}/versions/{ref}/validations'),
    'listDatasetVersions': ('GET', '/api/v1/datasets/{name}/versions'),
    'listDatasets': ('GET', '/api/v1/datasets'),
    'listDeploymentRevisions': ('GET', '/api/v1/deployments/{name}/revisions'),
    'listDeployments': ('GET', '/api/v1/deployments'),
    'listExecutors': ('GET', '/api/v1/executors'),
    'listFairnessReports': ('GET', '/api/v1/models/{name}/versions/{version}/fairness'),
    'listGateEvents': ('GET', '/api/v1/models/{name}/gate-events'),
    'listJobs': ('GET', '/api/v1/jobs'),
    'listLoopRuns': ('GET', '/api/v1/loops/{name}/runs'),
    'listLoops': ('GET', '/api/v1/loops'),
    'listNotifiers': ('GET', '/api/v1/alerts/notifiers'),
    'listPredictions': ('GET', '/api/v1/deployments/{name}/predictions'),
    'listProxiedArtifacts': ('GET', '/api/2.0/mlflow-artifacts/artifacts'),
    'listSilences': ('GET', '/api/v1/alerts/silences'),
    'listStreamBindings': ('GET', '/api/v1/deployments/{name}/streams'),
    'listSuites': ('GET', '/api/v1/suites'),
    'listTokens': ('GET', '/api/v1/tokens'),
    'listUsers': ('GET', '/api/v1/users'),
    'listValidations': ('GET', '/api/v1/validations'),
    'logBatch': ('POST', '/api/2.0/mlflow/runs/log-batch'),
    'logInputs': ('POST', '/api/2.0/mlflow/runs/log-inputs'),
    'logLoggedModelParams': ('POST', '/api/2.0/mlflow/logged-models/{model_id}/params'),
    'logMetric': ('POST', '/api/2.0/mlflow/runs/log-metric'),
    'logModel': ('POST', '/api/2.0/mlflow/runs/log-model'),
    'logOutputs': ('POST', '/api/2.0/mlflow/runs/outputs'),
    'logParam': ('POST', '/api/2.0/mlflow/runs/log-parameter'),
    'modelImportance': ('GET', '/api/v1/models/{name}/versions/{version}/importance'),
    'pauseLoop': ('POST', '/api/v1/loops/{name}/pause'),
    'predict': ('POST', '/api/v1/deployments/{name}/predict'),
    'promoteLoopRun': ('POST', '/api/v1/loops/{name}/runs/{seq}/promote'),
    'pushDatasetVersion': ('POST', '/api/v1/datasets/{name}/versions'),
    'putApprovalPolicy': ('PUT', '/api/v1/models/{name}/policies/{alias}'),
    'putCardFields': ('PUT', '/api/v1/models/{name}/card'),
    'putExecutor': ('PUT', '/api/v1/executors/{name}'),
    'putReference': ('PUT', '/api/v1/deployments/{name}/reference'),
    'putSuite': ('PUT', '/api/v1/suites/{name}'),
    'recordApproval': ('POST', '/api/v1/models/{name}/versions/{version}/approvals'),
    'registerOnnxModel': ('POST', '/api/v1/models/{name}/versions'),
    'renameRegisteredModel': ('POST', '/api/2.0/mlflow/registered-models/rename'),
    'restoreExperiment': ('POST', '/api/2.0/mlflow/experiments/restore'),
    'restoreRun': ('POST', '/api/2.0/mlflow/runs/restore'),
    'resumeLoop': ('POST', '/api/v1/loops/{name}/resume'),
    'revokeToken': ('DELETE', '/api/v1/tokens/{token_id}'),
    'rollbackDeployment': ('POST', '/api/v1/deployments/{name}/rollback'),
    'searchExperiments': ('POST', '/api/2.0/mlflow/experiments/search'),
    'searchExperimentsByQuery': ('GET', '/api/2.0/mlflow/experiments/search'),
    'searchLoggedModels': ('POST', '/api/2.0/mlflow/logged-models/search'),
    'searchModelVersions': ('GET', '/api/2.0/mlflow/model-versions/search'),
    'searchRegisteredModels': ('GET', '/api/2.0/mlflow/registered-models/search'),
    'searchRuns': ('POST', '/api/2.0/mlflow/runs/search'),
    'setAlertDestinations': ('PUT', '/api/v1/alerts/destinations'),
    'setDatasetTag': ('PUT', '/api/v1/datasets/{name}/tags/{tag}'),
    'setExperimentTag': ('POST', '/api/2.0/mlflow/experiments/set-experiment-tag'),
    'setLoggedModelTags': ('PATCH', '/api/2.0/mlflow/logged-models/{model_id}/tags'),
    'setModelVersionTag': ('POST', '/api/2.0/mlflow/model-versions/set-tag'),
    'setRegisteredModelAlias': ('POST', '/api/2.0/mlflow/registered-models/alias'),
    'setRegisteredModelTag': ('POST', '/api/2.0/mlflow/registered-models/set-tag'),
    'setTag': ('POST', '/api/2.0/mlflow/runs/set-tag'),
    'startAbTest': ('POST', '/api/v1/abtests/{name}/start'),
    'startConversion': ('POST', '/api/v1/models/{name}/versions/{version}/conversion'),
    'stopAbTest': ('POST', '/api/v1/abtests/{name}/stop'),
    'submitFeedback': ('POST', '/api/v1/feedback'),
    'submitJob': ('POST', '/api/v1/jobs'),
    'submitOutcomes': ('POST', '/api/v1/outcomes'),
    'tableDrift': ('POST', '/api/v1/drift'),
    'transitionModelVersionStage': ('POST', '/api/2.0/mlflow/model-versions/transition-stage'),
    'triggerLoop': ('POST', '/api/v1/loops/{name}/trigger'),
    'updateAlertRule': ('PUT', '/api/v1/alerts/rules/{id}'),
    'updateDataset': ('PATCH', '/api/v1/datasets/{name}'),
    'updateDeployment': ('PUT', '/api/v1/deployments/{name}'),
    'updateExperiment': ('POST', '/api/2.0/mlflow/experiments/update'),
    'updateLoop': ('PUT', '/api/v1/loops/{name}'),
    'updateModelVersion': ('PATCH', '/api/2.0/mlflow/model-versions/update'),
    'updateMonitoringSettings': ('PUT', '/api/v1/deployments/{name}/monitoring'),
    'updateNotifier': ('PUT', '/api/v1/alerts/notifiers/{id}'),
    'updateRegisteredModel': ('PATCH', '/api/2.0/mlflow/registered-models/update'),
    'updateRun': ('POST', '/api/2.0/mlflow/runs/update'),
    'updateStreamBinding': ('PUT', '/api/v1/deployments/{name}/streams/{stream}'),
    'uploadArtifact': ('PUT', '/api/2.0/mlflow-artifacts/artifacts/{*}'),
    'uploadJobProject': ('POST', '/api/v1/jobs/projects'),
    'v2ModelInfer': ('POST', '/v2/models/{name}/infer'),
    'v2ModelMetadata': ('GET', '/v2/models/{name}'),
    'v2ModelReady': ('GET', '/v2/models/{name}/ready'),
    'v2ModelVersionInfer': ('POST', '/v2/models/{name}/versions/{version}/infer'),
    'v2ModelVersionMetadata': ('GET', '/v2/models/{name}/versions/{version}'),
    'v2ModelVersionReady': ('GET', '/v2/models/{name}/versions/{version}/ready'),
    'v2ServerLive': ('GET', '/v2/health/live'),
    'v2ServerMetadata': ('GET', '/v2'),
    'v2ServerReady': ('GET', '/v2/health/ready'),
    'validateDatasetVersion': ('POST', '/api/v1/suites/{name}/validations'),
    'validateFile': ('POST', '/api/v1/suites/{name}/validate'),
    'validateTable': ('POST', '/api/v1/validate'),
    'whoAmI': ('GET', '/api/v1/whoami'),
}

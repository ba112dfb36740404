/** JSON Schemas of the deployments API bodies (TypeBox), for the OpenAPI description. */
import { Type } from '@sinclair/typebox';

const ModelRef = Type.Object({
  model: Type.String({ description: 'registered model name' }),
  version: Type.Optional(Type.String({ description: 'a version number (or give alias)' })),
  alias: Type.Optional(Type.String({ description: 'an alias the route follows when it moves (or give version)' })),
});

export const DeploymentSpecBody = Type.Object({
  routes: Type.Array(Type.Intersect([ModelRef, Type.Object({ weight: Type.Optional(Type.Number({ minimum: 0, description: 'relative share of traffic (default 100)' })) })]), { minItems: 1, maxItems: 16 }),
  shadow: Type.Optional(Type.Array(ModelRef, { maxItems: 4, description: 'routes that get a copy of each request; results are logged, never returned' })),
  sticky_key: Type.Optional(Type.String({ description: 'a request field whose hash pins a caller to one route' })),
  batching: Type.Optional(
    Type.Object({
      max_batch_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 })),
      max_queue_delay_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
      max_queue_rows: Type.Optional(Type.Integer({ minimum: 1 })),
    }),
  ),
});

export const CreateDeploymentBody = Type.Intersect([Type.Object({ name: Type.String({ pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$' }) }), DeploymentSpecBody]);

export const RollbackBody = Type.Object({ revision: Type.Integer({ minimum: 1 }) });

export const PredictBody = Type.Object(
  {
    instances: Type.Optional(Type.Array(Type.Unknown(), { description: 'rows as {feature: value} objects or as lists in feature order' })),
    dataframe_split: Type.Optional(Type.Object({ columns: Type.Array(Type.String()), data: Type.Array(Type.Array(Type.Unknown())) })),
    dataframe_records: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
    inputs: Type.Optional(Type.Unknown({ description: 'columns as {feature: [values]} or rows' })),
  },
  { description: 'exactly one of the four MLflow scoring formats; a sticky key field may ride along' },
);

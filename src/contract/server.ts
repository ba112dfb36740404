/**
 * The server's own routes: health probes (Ferry's and the Open Inference Protocol's, public so orchestrators
 * can call them without a token), MLflow's server-info, and Prometheus metrics.
 */
import { Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';

const tag = 'server';

export const Health = Type.Object({ status: Type.Literal('ok') });
export const Ready = Type.Object({ status: Type.Literal('ready') });
export const NotReady = Type.Object({ status: Type.Literal('unavailable'), detail: Type.String() });
export const ServerInfo = Type.Object({ version: Type.String({ description: "Ferry's version" }), server: Type.Literal('ferry') });

export const getHealth = defineOperation({
  method: 'GET',
  path: '/health',
  operationId: 'getHealth',
  tag,
  access: 'public',
  style: 'native',
  summary: 'Liveness: the process answers',
  responses: { 200: Health },
});

export const getReadiness = defineOperation({
  method: 'GET',
  path: '/ready',
  operationId: 'getReadiness',
  tag,
  access: 'public',
  style: 'native',
  summary: 'Readiness: the metadata store answers, the deployments have loaded, and the server is not stopping',
  responses: {
    200: Ready,
    503: {
      description: 'The metadata store does not answer, deployments are still loading, or the server is shutting down.',
      content: { 'application/json': { schema: NotReady } },
    },
  },
});

export const getServerInfo = defineOperation({
  method: 'GET',
  path: '/api/2.0/mlflow/server-info',
  operationId: 'getServerInfo',
  tag,
  access: 'viewer',
  style: 'mlflow',
  summary: 'Server information',
  responses: { 200: ServerInfo },
});

export const getMetrics = defineOperation({
  method: 'GET',
  path: '/metrics',
  operationId: 'getMetrics',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Prometheus metrics (text exposition format)',
  responses: {
    200: { description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain; version=0.0.4; charset=utf-8': { schema: Type.String() } } },
  },
});

const v2Tag = 'inference-v2';

export const v2ServerLive = defineOperation({
  method: 'GET',
  path: '/v2/health/live',
  operationId: 'v2ServerLive',
  tag: v2Tag,
  access: 'public',
  style: 'v2',
  summary: 'Liveness (Open Inference Protocol)',
  responses: { 200: Type.Object({ live: Type.Boolean() }) },
});

export const v2ServerReady = defineOperation({
  method: 'GET',
  path: '/v2/health/ready',
  operationId: 'v2ServerReady',
  tag: v2Tag,
  access: 'public',
  style: 'v2',
  summary: 'Readiness (Open Inference Protocol): the metadata store answers',
  responses: {
    200: Type.Object({ ready: Type.Literal(true) }),
    503: { description: 'The metadata store does not answer.', content: { 'application/json': { schema: Type.Object({ ready: Type.Literal(false) }) } } },
  },
});

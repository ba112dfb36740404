/**
 * One id per request, answered as X-Request-Id on every response and carried by every log line of the request
 * (Fastify's request id, `reqId` in the logs): the caller's X-Request-Id when it is usable, so a proxy's id
 * (nginx, Envoy) or a client's ties its logs to Ferry's; else a fresh UUIDv7. A prediction answers it as its
 * `request_id`, so feedback can name it.
 */
import type { IncomingMessage } from 'node:http';
import { requestId as newRequestId } from '../serving/index.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * 1 to 200 visible ASCII characters, no spaces: anything else (control characters that would forge log lines,
 * a header big enough to bloat every line and row, a repeated header joined with ", ") is replaced, never logged.
 */
const USABLE = /^[\x21-\x7e]{1,200}$/;

/** Fastify's genReqId: the caller's id when usable, else a fresh one. */
export function genReqId(req: IncomingMessage): string {
  const sent = req.headers[REQUEST_ID_HEADER];
  return typeof sent === 'string' && USABLE.test(sent) ? sent : newRequestId();
}

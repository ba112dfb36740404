/**
 * What a request log line may say about a request. Fastify logs the URL of every request; a URL can carry a
 * credential in its query (a job's signed project link: `?expires=…&signature=…`, or a client that put its token
 * there), so those values are replaced before the line is written. Headers are never logged (the Authorization
 * header is also redacted by pino, should a line ever carry it).
 */
import type { FastifyRequest } from 'fastify';

/** Query parameters whose value is a credential. */
const SECRET_PARAMS = new Set(['signature', 'sig', 'token', 'access_token', 'password', 'secret', 'api_key', 'apikey']);

/** The URL with the values of credential-like query parameters replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // A malformed name is logged as sent: it is not one of ours.
      }
      return eq >= 0 && SECRET_PARAMS.has(decoded.toLowerCase()) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}

/** Fastify's own request serializer, with the URL redacted. */
export function logRequest(req: FastifyRequest) {
  return {
    method: req.method,
    url: redactUrl(req.url),
    version: req.headers?.['accept-version'],
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

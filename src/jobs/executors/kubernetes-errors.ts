/**
 * Kubernetes API failures as ExecutorErrors: no answer, a timeout or a 5xx/429 is transient (tried again until the
 * worker's patience runs out); any other 4xx is the cluster refusing the job as asked, with the API's own message.
 */
import { ApiException } from '@kubernetes/client-node';
import { ExecutorError } from './executor.js';

/** The HTTP status of an API error, or null when the server never answered. */
export function statusCode(err: unknown): number | null {
  return err instanceof ApiException ? err.code : null;
}

/** The `message` of the Status object a failed call answered (the body is raw text in client-node 1.x). */
function apiMessage(err: ApiException<unknown>): string {
  const body = err.body;
  if (typeof body === 'string' && body) {
    try {
      const status = JSON.parse(body) as { message?: unknown; reason?: unknown };
      if (typeof status.message === 'string' && status.message) return status.message;
    } catch {
      return body.slice(0, 500);
    }
  }
  if (err.code === 401) return "Unauthorized: check the executor's token";
  return `HTTP ${err.code}`;
}

export function kubeError(err: unknown, what: string, server: string): ExecutorError {
  if (err instanceof ExecutorError) return err;
  if (err instanceof ApiException) {
    const code = err.code;
    const transient = code >= 500 || code === 429 || code === 408;
    return new ExecutorError(`Kubernetes refused to ${what} (${code}): ${apiMessage(err)}`, transient);
  }
  return new ExecutorError(`The Kubernetes API server ${server} did not answer (${what}): ${(err as Error)?.message ?? String(err)}`, true);
}

/** Gives up on a call that takes longer than `ms` (the request itself is left to the agent's socket timeout). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ExecutorError(`The Kubernetes API server did not answer within ${Math.round(ms / 1000)} s (${what}).`, true)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

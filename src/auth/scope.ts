/**
 * What a token scoped to one deployment may call. The contract marks the operations (OperationSpec.tokenScope),
 * so no URL pattern here can drift from the routes: a new route is closed to such a token until its operation
 * says otherwise.
 */
import type { Principal } from '../api-route.js';
import type { OperationSpec } from '../contract/index.js';

/** Why the principal may not call this operation, as the 403's message; null when it may. */
export function scopeRefusal(principal: Principal, spec: OperationSpec | undefined, params: unknown): string | null {
  const scope = principal.scope;
  if (!scope) return null;
  const mark = spec?.tokenScope;
  const what = `'${principal.name}' is a prediction-only token scoped to deployment '${scope.deployment}'`;
  if (mark === 'any') return null;
  if (mark === undefined) return `Permission denied: ${what}; it may call only that deployment's prediction routes.`;
  const asked = (params as Record<string, unknown> | undefined)?.[mark.deploymentParam];
  if (asked === scope.deployment) return null;
  return `Permission denied: ${what}, not '${typeof asked === 'string' ? asked : ''}'.`;
}

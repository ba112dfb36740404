import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../api-route.js';
import type { Operation } from '../contract/index.js';
import { predict } from '../contract/deployments.js';
import { v2ModelInfer } from '../contract/inference-v2.js';
import { whoAmI, listTokens } from '../contract/auth.js';
import { scopeRefusal } from './scope.js';
import { tokenState } from './auth-service.js';

const scoped: Principal = { name: 'fraud-caller', role: 'viewer', kind: 'token', scope: { deployment: 'fraud' } };
const plain: Principal = { name: 'reader', role: 'viewer', kind: 'token' };

/** Every operation the contract declares, read from its modules (as test/contract-types.test.ts does). */
async function allOperations(): Promise<Operation[]> {
  const dir = fileURLToPath(new URL('../contract/', import.meta.url));
  const ops: Operation[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts')) {
    const mod = (await import(`../contract/${file.replace(/\.ts$/, '.js')}`)) as Record<string, unknown>;
    for (const v of Object.values(mod)) {
      if (typeof v === 'object' && v !== null && 'spec' in v && typeof (v as Operation).spec.operationId === 'string') ops.push(v as Operation);
    }
  }
  return ops;
}

describe('what a deployment-scoped token may call', () => {
  it('admits its own deployment on a marked operation, and any principal without a scope as before', () => {
    expect(scopeRefusal(scoped, predict.spec, { name: 'fraud' })).toBeNull();
    expect(scopeRefusal(scoped, v2ModelInfer.spec, { name: 'fraud' })).toBeNull();
    expect(scopeRefusal(scoped, whoAmI.spec, {})).toBeNull();
    expect(scopeRefusal(plain, listTokens.spec, {})).toBeNull();
    expect(scopeRefusal(plain, undefined, {})).toBeNull();
  });

  it("refuses another deployment, an unmarked operation and a route outside the contract, naming the token's scope", () => {
    expect(scopeRefusal(scoped, predict.spec, { name: 'churn' })).toBe(
      "Permission denied: 'fraud-caller' is a prediction-only token scoped to deployment 'fraud', not 'churn'.",
    );
    expect(scopeRefusal(scoped, listTokens.spec, {})).toBe(
      "Permission denied: 'fraud-caller' is a prediction-only token scoped to deployment 'fraud'; it may call only that deployment's prediction routes.",
    );
    expect(scopeRefusal(scoped, undefined, { name: 'fraud' })).toMatch(/scoped to deployment 'fraud'; it may call only/);
    // A marked operation whose parameter is missing is refused, not admitted.
    expect(scopeRefusal(scoped, predict.spec, {})).toMatch(/not ''\.$/);
  });

  it('is declared on exactly the prediction operations, each naming a path parameter it has, all open to a viewer', async () => {
    const ops = await allOperations();
    expect(ops.length).toBeGreaterThan(100);
    const marked = ops.filter((o) => o.spec.tokenScope !== undefined);
    // A change here widens (or narrows) what prediction-only tokens reach: docs/security.md must say so too.
    expect(marked.map((o) => `${o.spec.operationId} ${JSON.stringify(o.spec.tokenScope)}`).sort()).toEqual([
      'predict {"deploymentParam":"name"}',
      'v2ModelInfer {"deploymentParam":"name"}',
      'v2ModelMetadata {"deploymentParam":"name"}',
      'v2ModelReady {"deploymentParam":"name"}',
      'v2ModelVersionInfer {"deploymentParam":"name"}',
      'v2ModelVersionMetadata {"deploymentParam":"name"}',
      'v2ModelVersionReady {"deploymentParam":"name"}',
      'v2ServerMetadata "any"',
      'whoAmI "any"',
    ]);
    for (const o of marked) {
      const mark = o.spec.tokenScope!;
      if (mark !== 'any') expect(o.spec.path, o.spec.operationId).toContain(`:${mark.deploymentParam}`);
      expect(o.spec.access, o.spec.operationId).toBe('viewer');
    }
  });
});

describe('a token state', () => {
  it('is active until its expiry, expired from it on, and revoked whatever its expiry', () => {
    expect(tokenState({ revoked_at: null, expires_at: null }, 5)).toBe('active');
    expect(tokenState({ revoked_at: null, expires_at: 6 }, 5)).toBe('active');
    expect(tokenState({ revoked_at: null, expires_at: 5 }, 5)).toBe('expired');
    expect(tokenState({ revoked_at: 3, expires_at: 4 }, 5)).toBe('revoked');
  });
});

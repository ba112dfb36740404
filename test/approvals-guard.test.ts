/**
 * The registry's alias guard as services call it (no HTTP), on both stores: an unmet policy refuses any caller's
 * move with a 403 FerryError listing the conditions, a loop run's restore is let through and recorded as one,
 * aliases without a policy are not asked about, and the gate's checks read the card through its injected status.
 */
import { expect, it } from 'vitest';
import { FerryError } from '../src/errors.js';
import { forEachStore } from './support/stores.js';
import { useTestApp } from './support/app.js';

forEachStore('approval gate as the registry guard', (kind) => {
  const t = useTestApp(kind);

  it('refuses an unmet move from any caller, lets a restore through, and records both', async () => {
    const { registry, approvals } = t.app.ferry;
    await registry.createModel('svc', undefined, []);
    await registry.createVersion({ name: 'svc', source: 's3://b/1', tags: [], userId: 'alice' });
    await registry.createVersion({ name: 'svc', source: 's3://b/2', tags: [], userId: 'alice' });
    await approvals.putPolicy('svc', 'production', { checks: [], required_approvals: 1 }, { name: 'admin', role: 'admin' });

    const err = await registry.setAlias('svc', 'production', '2', { name: 'loop:svc#4', role: 'editor' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FerryError);
    expect((err as FerryError).code).toBe('PERMISSION_DENIED');
    expect((err as FerryError).status).toBe(403);
    expect((err as FerryError).errors).toEqual([{ field: 'version', message: '1 more independent approval by admin needed: 0 of 1 counted.' }]);
    await expect(registry.versionByAlias('svc', 'production')).rejects.toThrow(/not found/);

    // A rollback's restore is not held by the gate (refusing it would strand the alias), but it is recorded.
    await registry.setAlias('svc', 'production', '1', { name: 'loop:svc#4 (restore)', role: 'editor', restore: true });
    expect((await registry.versionByAlias('svc', 'production')).version).toBe('1');
    // No policy on @staging: not asked, not recorded.
    await registry.setAlias('svc', 'staging', '2', { name: 'bob', role: 'editor' });

    const events = await approvals.events('svc', undefined, 10);
    expect(events.map((e) => `${e.kind}:${e.alias}:${e.version}:${e.actor}`)).toEqual([
      'alias_moved:production:1:loop:svc#4 (restore)',
      'alias_refused:production:2:loop:svc#4',
      'policy_set:production:null:admin',
    ]);
    expect(events[0]!.evidence).toEqual({ restore: true });
    expect(events[0]!.reason).toContain('a rollback');
  });

  it('reads the card through its status: a stale or missing section fails the card check', async () => {
    const { registry, approvals } = t.app.ferry;
    await registry.createModel('carded', undefined, []);
    await registry.createVersion({ name: 'carded', source: 's3://b/1', tags: [], userId: 'alice' });
    await approvals.putPolicy(
      'carded',
      'production',
      { checks: [{ kind: 'card', sections: ['uses', 'monitoring', 'evaluation'] }], required_approvals: 0 },
      {
        name: 'admin',
        role: 'admin',
      },
    );
    const real = await approvals.gate('carded', '1', 'production');
    approvals.setSources({
      cardStatus: async () => ({
        hash: 'sha256:fixed',
        sections: [
          { name: 'uses', present: true, stale: false, as_of: 1 },
          { name: 'monitoring', present: true, stale: true, as_of: 0 },
        ],
      }),
    });
    try {
      const g = await approvals.gate('carded', '1', 'production');
      expect(g.facts_hash).toBe('sha256:fixed');
      expect(g.checks[0]!.passed).toBe(false);
      expect(g.checks[0]!.reason).toBe("The model card's section 'monitoring' is stale (as of 1970-01-01T00:00:00.000Z); section 'evaluation' is missing.");
    } finally {
      // Back to the app's own card source for the other tests.
      approvals.setSources({ cardStatus: (n, v) => t.app.ferry.cards.service.cardStatus(n, v) });
    }
    expect(real.checks[0]!.passed).toBe(false);
    expect(real.facts_hash).toBe(await t.app.ferry.cards.service.cardHash('carded', '1'));
  });
});

/**
 * Approval gates through HTTP on both stores: a policy on @production, the gate's checks and approvals, the MLflow
 * alias route refused (403, MLflow's error body naming the unmet conditions) until an independent approval and a
 * passing check, approvals superseded by a changed fact, and every step in the gate's events and the audit log.
 */
import { expect, it } from 'vitest';
import { forEachStore } from './support/stores.js';
import { useTestApp } from './support/app.js';

forEachStore('approval gates', (kind) => {
  const t = useTestApp(kind);

  /** A JSON call as the holder of this token. */
  const as = async (token: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => {
    const res = await t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json() };
  };
  const token = async (name: string, role: 'viewer' | 'editor' | 'admin') => (await t.call('POST', '/api/v1/tokens', { name, role })).body.token as string;
  const logMetric = (tk: string, runId: string, key: string, value: number, step: number) =>
    as(tk, 'POST', '/api/2.0/mlflow/runs/log-metric', { run_id: runId, key, value, timestamp: 1_700_000_000_000 + step, step });
  const moveAlias = (tk: string, version: string) =>
    as(tk, 'POST', '/api/2.0/mlflow/registered-models/alias', { name: 'credit', alias: 'production', version });
  const gate = async (version = '1') => (await t.call('GET', `/api/v1/models/credit/versions/${version}/gate?alias=production`)).body;

  it('refuses @production until the checks pass and someone other than the author approves; a changed fact supersedes', async () => {
    const alice = await token('alice', 'editor');
    const bob = await token('bob', 'admin');
    const carol = await token('carol', 'viewer');
    const dave = await token('dave', 'editor');
    const runId = (await as(alice, 'POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0' })).body.run.info.run_id as string;
    await logMetric(alice, runId, 'accuracy', 0.85, 0);
    await as(alice, 'POST', '/api/2.0/mlflow/registered-models/create', { name: 'credit' });
    const v1 = (await as(alice, 'POST', '/api/2.0/mlflow/model-versions/create', { name: 'credit', source: `runs:/${runId}/model`, run_id: runId })).body
      .model_version;
    expect(v1).toMatchObject({ version: '1', user_id: 'alice' });

    // Only admins set policies; the policy counts admins' approvals only.
    const body = { checks: [{ kind: 'metric', metric: 'accuracy', op: '>=', threshold: 0.9 }], required_approvals: 1, roles: ['admin'] };
    expect((await as(alice, 'PUT', '/api/v1/models/credit/policies/production', body)).status).toBe(403);
    const put = await t.call('PUT', '/api/v1/models/credit/policies/production', body);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      created: true,
      policy: { model: 'credit', alias: 'production', required_approvals: 1, roles: ['admin'], created_by: 'admin' },
    });
    expect((await t.call('GET', '/api/v1/models/credit/policies')).body.policies).toHaveLength(1);

    // The check fails: the alias does not move, and the refusal names it (MLflow's error body).
    let g = await gate();
    expect(g).toMatchObject({ has_policy: true, satisfied: false, authors: ['alice'] });
    expect(g.checks[0]).toMatchObject({ kind: 'metric', passed: false, evidence: { value: 0.85, threshold: 0.9 } });
    expect(g.checks[0].reason).toContain('accuracy = 0.85');
    expect(g.unmet).toHaveLength(2);
    let refused = await moveAlias(bob, '1');
    expect(refused.status).toBe(403);
    expect(refused.body.error_code).toBe('PERMISSION_DENIED');
    expect(refused.body.message).toContain("Check 'metric accuracy >= 0.9' failed");
    expect(refused.body.message).toContain('1 more independent approval');
    expect((await t.call('GET', '/api/2.0/mlflow/registered-models/alias?name=credit&alias=production')).status).toBe(404);

    // A better metric passes the check; the author's own approval does not count.
    await logMetric(alice, runId, 'accuracy', 0.93, 1);
    const self = await as(alice, 'POST', '/api/v1/models/credit/versions/1/approvals', {
      alias: 'production',
      decision: 'approve',
      comment: 'looks good to me',
    });
    expect(self.status).toBe(201);
    expect(self.body.approval).toMatchObject({ actor: 'alice', role: 'editor', status: 'current', counts: false, comment: 'looks good to me' });
    expect(self.body.approval.note).toContain("version's author");
    expect(self.body.gate.checks[0].passed).toBe(true);
    expect(self.body.gate.satisfied).toBe(false);
    refused = await moveAlias(alice, '1');
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('alice did not count');

    // A viewer cannot approve; an editor's approval is recorded but the policy counts admins only.
    expect((await as(carol, 'POST', '/api/v1/models/credit/versions/1/approvals', { alias: 'production', decision: 'approve' })).status).toBe(403);
    const editor = await as(dave, 'POST', '/api/v1/models/credit/versions/1/approvals', { alias: 'production', decision: 'approve' });
    expect(editor.body.approval).toMatchObject({ counts: false });
    expect(editor.body.approval.note).toContain("role 'editor'");

    // An independent admin approves: the gate is satisfied and the author may move the alias.
    const ok = await as(bob, 'POST', '/api/v1/models/credit/versions/1/approvals', { alias: 'production', decision: 'approve', comment: 'validated' });
    expect(ok.body.approval).toMatchObject({ actor: 'bob', role: 'admin', counts: true, status: 'current' });
    expect(ok.body.gate).toMatchObject({ satisfied: true, unmet: [], approvals: { required: 1, counted: 1, approvers: ['bob'] } });
    expect(ok.body.approval.facts_hash).toBe(ok.body.gate.facts_hash);
    expect((await moveAlias(alice, '1')).status).toBe(200);
    expect((await t.call('GET', '/api/2.0/mlflow/registered-models/alias?name=credit&alias=production')).body.model_version.version).toBe('1');

    // A new fact (another metric on the source run) changes the hash: bob's approval is superseded.
    await logMetric(alice, runId, 'f1', 0.7, 0);
    g = await gate();
    expect(g.satisfied).toBe(false);
    expect(g.facts_hash).not.toBe(ok.body.gate.facts_hash);
    const listed = (await t.call('GET', '/api/v1/models/credit/versions/1/approvals?alias=production')).body.approvals;
    expect(listed.map((a: { actor: string; status: string }) => `${a.actor}:${a.status}`)).toEqual(['bob:superseded', 'dave:superseded', 'alice:superseded']);
    expect(listed[0].note).toContain('facts changed');
    expect((await moveAlias(bob, '1')).status).toBe(403);

    // bob looks again and rejects: a current rejection blocks, whatever else counts.
    await as(bob, 'POST', '/api/v1/models/credit/versions/1/approvals', { alias: 'production', decision: 'reject', comment: 'f1 too low' });
    g = await gate();
    expect(g.approvals.rejected_by).toEqual(['bob']);
    expect(g.unmet).toContain('bob rejected the version: f1 too low.');

    // An alias without a policy is not guarded.
    expect((await as(alice, 'POST', '/api/2.0/mlflow/registered-models/alias', { name: 'credit', alias: 'staging', version: '1' })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/models/credit/versions/1/gate?alias=staging')).body).toMatchObject({ has_policy: false, satisfied: true });

    // The gate's record, newest first, with the reason for each step; and the audit log's rows.
    const events = (await t.call('GET', '/api/v1/models/credit/gate-events?alias=production')).body.events as { kind: string; actor: string; reason: string }[];
    expect(events.map((e) => `${e.kind}:${e.actor}`)).toEqual([
      'approval:bob',
      'alias_refused:bob',
      'alias_moved:alice',
      'approval:bob',
      'approval:dave',
      'alias_refused:alice',
      'approval:alice',
      'alias_refused:bob',
      'policy_set:admin',
    ]);
    expect(events[2]!.reason).toContain('alice moved @production to version 1');
    const audit = (await t.call('GET', '/api/v1/audit?limit=200')).body.entries as { action: string; actor: string; status: number }[];
    const gateRows = audit.filter((a) => a.action.startsWith('gate.')).map((a) => `${a.action}:${a.actor}:${a.status}`);
    expect(gateRows).toContain('gate.alias_refused:bob:403');
    expect(gateRows).toContain('gate.alias_moved:alice:200');
    expect(gateRows).toContain('gate.approval:alice:201');
    expect(gateRows).toContain('gate.policy_set:admin:200');
    expect(audit.some((a) => a.action === 'POST /api/2.0/mlflow/registered-models/alias' && a.status === 403)).toBe(true);

    // The model card shows the decisions and the guarded moves (its hash leaves that section out).
    const card = (await t.call('GET', '/api/v1/models/credit/versions/1/card?format=json')).body;
    const section = card.sections.find((x: { id: string }) => x.id === 'approvals');
    expect(section.status).toBe('present');
    expect(section.facts.decisions.map((d: { actor: string; decision: string }) => `${d.actor}:${d.decision}`)).toEqual([
      'alice:approve',
      'dave:approve',
      'bob:approve',
      'bob:reject',
    ]);
    expect(card.content_hash).toBe((await gate()).facts_hash);

    // Removing the policy frees the alias.
    expect((await t.call('DELETE', '/api/v1/models/credit/policies/production')).status).toBe(200);
    expect((await moveAlias(bob, '1')).status).toBe(200);
    expect((await t.call('GET', '/api/v1/models/credit/policies/production')).status).toBe(404);
  });

  it('refuses bad policies and unknown models or versions, naming the field', async () => {
    await t.call('POST', '/api/2.0/mlflow/registered-models/create', { name: 'other' });
    const noBound = await t.call('PUT', '/api/v1/models/other/policies/production', {
      checks: [{ kind: 'fairness', metric: 'demographic_parity_ratio', features: ['sex'] }],
    });
    expect(noBound.status).toBe(400);
    expect(noBound.body.errors[0].field).toBe('checks[0].min');
    const twice = await t.call('PUT', '/api/v1/models/other/policies/production', {
      checks: [{ kind: 'validation' }, { kind: 'validation' }],
    });
    expect(twice.status).toBe(400);
    expect((await t.call('PUT', '/api/v1/models/other/policies/production', { checks: [{ kind: 'metric', metric: 'a', op: '>', threshold: 1 }] })).status).toBe(
      400,
    );
    expect((await t.call('PUT', '/api/v1/models/other/policies/production', { checks: [], required_approvals: -1 })).status).toBe(400);
    const section = await t.call('PUT', '/api/v1/models/other/policies/production', { checks: [{ kind: 'card', sections: ['intended_use'] }] });
    expect(section.status).toBe(400);
    expect(section.body.errors[0].field).toBe('checks[0]');
    expect((await t.call('PUT', '/api/v1/models/nope/policies/production', { checks: [] })).status).toBe(404);
    expect((await t.call('GET', '/api/v1/models/other/versions/7/gate?alias=production')).status).toBe(404);
    expect((await t.call('GET', '/api/v1/models/other/versions/abc/gate?alias=production')).status).toBe(400);
    expect((await t.call('GET', '/api/v1/models/other/versions/1/gate')).status).toBe(400);
  });

  it('checks the training data validation and says what is missing when the version has no source run', async () => {
    await t.call('POST', '/api/2.0/mlflow/registered-models/create', { name: 'plain' });
    await t.call('POST', '/api/2.0/mlflow/model-versions/create', { name: 'plain', source: 's3://bucket/model' });
    await t.call('PUT', '/api/v1/models/plain/policies/production', {
      checks: [
        { kind: 'validation' },
        { kind: 'metric', metric: 'auc', op: '>=', threshold: 0.7 },
        { kind: 'card', sections: ['uses', 'fairness'] },
        { kind: 'fairness', metric: 'demographic_parity_ratio', features: ['sex'], min: 0.8 },
      ],
      required_approvals: 0,
    });
    const g = (await t.call('GET', '/api/v1/models/plain/versions/1/gate?alias=production')).body;
    expect(g.checks.map((c: { passed: boolean }) => c.passed)).toEqual([false, false, false, false]);
    expect(g.checks[0].reason).toContain('names no Ferry dataset version');
    expect(g.checks[1].reason).toContain('has no source run');
    expect(g.checks[2].reason).toContain("section 'uses' is missing");
    expect(g.checks[3].reason).toContain('No stored fairness report');
    expect(g.unmet).toHaveLength(4);
    // With no approvals required and no checks, the policy is satisfied at once.
    await t.call('PUT', '/api/v1/models/plain/policies/production', { checks: [], required_approvals: 0 });
    expect((await t.call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'plain', alias: 'production', version: '1' })).status).toBe(200);
  });

  it("passes the validation check on the training data's latest passing validations, and fails on a failed one", async () => {
    const push = async (name: string, csv: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/datasets/${name}/versions?filename=train.csv`,
        headers: { ...t.auth, 'content-type': 'text/csv' },
        payload: csv,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().version as { version: number; digest: string };
    };
    const suite = { expectations: [{ type: 'expect_column_values_to_not_be_null', kwargs: { column: 'income' } }] };
    expect((await t.call('PUT', '/api/v1/suites/income-present', suite)).status).toBe(200);
    await push('loans', 'income,label\n1,1\n');
    expect((await t.call('POST', '/api/v1/suites/income-present/attachments', { dataset: 'loans' })).status).toBe(200);
    const good = await push('loans', 'income,label\n10,1\n20,0\n');
    const bad = await push('loans', 'income,label\n10,1\n,0\n');
    await t.call('POST', '/api/2.0/mlflow/registered-models/create', { name: 'validated' });
    for (const v of [good, bad]) {
      const runId = (await t.call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0' })).body.run.info.run_id as string;
      const dataset = { name: 'loans', digest: v.digest, source_type: 'http', source: '{"url": "x"}' };
      const logged = await t.call('POST', '/api/2.0/mlflow/runs/log-inputs', {
        run_id: runId,
        datasets: [{ dataset, tags: [{ key: 'mlflow.data.context', value: 'training' }] }],
      });
      expect(logged.status).toBe(200);
      await t.call('POST', '/api/2.0/mlflow/model-versions/create', { name: 'validated', source: `runs:/${runId}/model`, run_id: runId });
    }
    await t.call('PUT', '/api/v1/models/validated/policies/production', { checks: [{ kind: 'validation', suite: 'income-present' }], required_approvals: 0 });
    const passed = (await t.call('GET', '/api/v1/models/validated/versions/1/gate?alias=production')).body;
    expect(passed.checks[0]).toMatchObject({
      passed: true,
      evidence: { validations: [{ dataset: 'loans', version: 2, suite: 'income-present', success: true }] },
    });
    expect(passed.satisfied).toBe(true);
    const failed = (await t.call('GET', '/api/v1/models/validated/versions/2/gate?alias=production')).body;
    expect(failed.checks[0].passed).toBe(false);
    expect(failed.checks[0].reason).toMatch(/^loans@3's latest validation by suite income-present \(#\d+\) failed\.$/);
    const refused = await t.call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'validated', alias: 'production', version: '2' });
    expect(refused.status).toBe(403);
    expect((await t.call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'validated', alias: 'production', version: '1' })).status).toBe(200);
  });
});

/** The gate's rules as a table: which decisions count, which are superseded, what stays unmet. */
import { describe, expect, it } from 'vitest';
import { evaluateGate, judgeApprovals, type GateInput } from './approval-gate.js';
import type { ApprovalRow } from './approval-repo.js';
import { normalizePolicy } from './approval-policy.js';

const H = 'sha256:aaaa';
let nextId = 1;
const row = (actor: string, role: string, decision = 'approve', hash = H, comment = ''): ApprovalRow => ({
  id: nextId++,
  model: 'm',
  version: 3,
  alias: 'production',
  decision,
  actor,
  role,
  comment,
  facts_hash: hash,
  created_at: 1000 + nextId,
});

const input = (approvals: ApprovalRow[], extra: Partial<GateInput> = {}): GateInput => ({
  model: 'm',
  version: '3',
  alias: 'production',
  policy: normalizePolicy({ checks: [], required_approvals: 2, roles: ['admin', 'editor'] }),
  checks: [],
  approvals,
  factsHash: H,
  authors: ['alice', 'root'],
  ...extra,
});

describe('judgeApprovals', () => {
  it.each([
    ['an independent editor', row('bob', 'editor'), 'current', true, 'approved'],
    ['the version author', row('alice', 'admin'), 'current', false, "version's author"],
    ['the source run author', row('root', 'admin'), 'current', false, "version's author"],
    ['a role the policy does not count', row('vic', 'viewer'), 'current', false, "role 'viewer'"],
    ['a decision on an older hash', row('bob', 'admin', 'approve', 'sha256:old'), 'superseded', false, 'facts changed'],
    ['a rejection by a counted role', row('bob', 'admin', 'reject'), 'current', true, 'rejected'],
  ])('%s', (_what, r, status, counts, note) => {
    const [j] = judgeApprovals(input([r]));
    expect(j).toMatchObject({ status, counts });
    expect(j!.note).toContain(note);
  });

  it("keeps only each person's latest decision", () => {
    const judged = judgeApprovals(input([row('bob', 'admin', 'reject'), row('bob', 'admin', 'approve')]));
    expect(judged.map((j) => `${j.decision}:${j.status}:${j.counts}`)).toEqual(['approve:current:true', 'reject:superseded:false']);
  });
});

describe('evaluateGate', () => {
  it('needs every check, the required count of independent approvals and no current rejection', () => {
    const failing = { name: 'acc', kind: 'metric' as const, passed: false, reason: 'accuracy = 0.8 on run r is not at least 0.9.', evidence: {} };
    let g = evaluateGate(input([row('alice', 'admin'), row('bob', 'admin')], { checks: [failing] }));
    expect(g.satisfied).toBe(false);
    expect(g.unmet).toEqual([
      "Check 'acc' failed: accuracy = 0.8 on run r is not at least 0.9.",
      '1 more independent approval by admin or editor needed: 1 of 2 counted (alice did not count).',
    ]);
    g = evaluateGate(input([row('carol', 'editor'), row('bob', 'admin')]));
    expect(g).toMatchObject({ satisfied: true, unmet: [], approvals: { counted: 2, approvers: ['bob', 'carol'] } });
    g = evaluateGate(input([row('carol', 'editor'), row('bob', 'admin'), row('dan', 'admin', 'reject', H, 'bias unclear')]));
    expect(g.satisfied).toBe(false);
    expect(g.unmet).toEqual(['dan rejected the version: bias unclear.']);
  });

  it('without a policy any version may take the alias', () => {
    const g = evaluateGate(input([], { policy: null }));
    expect(g).toMatchObject({ has_policy: false, satisfied: true, unmet: [], approvals: { required: 0 } });
  });

  it('zero required approvals and no checks is satisfied at once', () => {
    expect(evaluateGate(input([], { policy: normalizePolicy({ checks: [], required_approvals: 0 }) })).satisfied).toBe(true);
  });
});

describe('normalizePolicy', () => {
  it('defaults to one approval by an admin, and refuses what no version could pass', () => {
    expect(normalizePolicy({ checks: [] })).toEqual({ checks: [], required_approvals: 1, roles: ['admin'], description: '' });
    expect(() => normalizePolicy({ checks: [{ kind: 'fairness', metric: 'demographic_parity_ratio', features: ['sex'], min: 0.9, max: 0.8 }] })).toThrow(
      /min \(0.9\) is above max/,
    );
    expect(() => normalizePolicy({ checks: [{ kind: 'card', sections: ['uses', 'uses'] }] })).toThrow(/names a section twice/);
  });
});

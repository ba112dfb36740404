/** The test log's order: oldest first, and requests answered in the same millisecond in the order they were answered. */
import { describe, expect, it } from 'vitest';
import type { AuditFact } from './card-repo.js';
import { testLog } from './report-log.js';

const audit = (audit_id: number, ts: number, path: string, status: number): AuditFact => ({
  audit_id,
  ts,
  actor: 'editor',
  action: 'model.card.update',
  path,
  status,
});

describe('validation report test log', () => {
  it('keeps requests of the same millisecond in audit order, whatever their paths sort to', () => {
    const log = testLog(
      [{ at: 5000, actor: 'ci', kind: 'gate_evaluation', subject: 'm/1', outcome: 'passed', detail: 'gate' }],
      [
        audit(7, 5000, '/api/v1/models/m/versions/9/card', 404),
        audit(8, 5000, '/api/v1/models/m/versions/1/card', 400),
        audit(3, 4000, '/api/v1/models/m/versions/1/card', 200),
      ],
    );
    expect(log.map((e) => [e.kind, e.outcome])).toEqual([
      ['card_edit', 'done'],
      ['gate_evaluation', 'passed'],
      ['card_edit', 'refused (404)'],
      ['card_edit', 'refused (400)'],
    ]);
    expect(log.every((e) => !('seq' in e))).toBe(true);
  });

  it('orders checks of the same millisecond by kind, subject and detail, so equal facts give an equal log', () => {
    const checks = [
      { at: 1, actor: 'a', kind: 'fairness_report', subject: 's', outcome: 'passed', detail: 'x' },
      { at: 1, actor: 'a', kind: 'data_validation', subject: 's', outcome: 'passed', detail: 'y' },
    ];
    expect(testLog(checks, [])).toEqual(testLog([...checks].reverse(), []));
    expect(testLog(checks, [])[0]!.kind).toBe('data_validation');
  });
});

/**
 * The validation report's test log: every dated check behind a model version's card (data validations, gate
 * evaluations, fairness reports, approvals, loop steps) and the audit log's rows about the model (alias moves, card
 * edits, approvals, exports), oldest first, each with its date, actor and outcome.
 */
import type { AuditFact } from './card-repo.js';
import type { CheckRecord } from './card-types.js';
import { isoTime } from './card-time.js';

export interface LogEntry extends CheckRecord {
  /** null where the stored time lies past what a date can hold. */
  at_iso: string | null;
}

/** What an audited request was, named for the log (alias moves stand out). */
function auditKind(a: AuditFact): string {
  if (/alias/i.test(a.action) || /\/alias(es)?(\/|$)/.test(a.path)) return 'alias_move';
  if (/\/approvals/.test(a.path)) return 'approval';
  if (/\/card$/.test(a.path.replace(/\/$/, ''))) return 'card_edit';
  if (/\/report$/.test(a.path.replace(/\/$/, ''))) return 'report_export';
  return 'audit';
}

export function testLog(checks: CheckRecord[], audit: AuditFact[]): LogEntry[] {
  // seq: -1 for checks; the audit row's id for audited requests, which keeps requests in the same millisecond in
  // the order the server answered them.
  const entries: (CheckRecord & { seq: number })[] = [
    ...checks.map((c) => ({ ...c, seq: -1 })),
    ...audit.map((a) => ({
      seq: a.audit_id,
      at: a.ts,
      actor: a.actor,
      kind: auditKind(a),
      subject: a.path,
      outcome: a.status < 400 ? 'done' : `refused (${a.status})`,
      detail: a.action,
    })),
  ];
  // Oldest first; at the same millisecond checks come first (a request's checks are stored before its audit row),
  // then audited requests in id order; ties among checks in a fixed order, so equal facts give an equal log.
  entries.sort(
    (x, y) => x.at - y.at || x.seq - y.seq || x.kind.localeCompare(y.kind) || x.subject.localeCompare(y.subject) || x.detail.localeCompare(y.detail),
  );
  return entries.map(({ seq: _seq, ...e }) => ({ ...e, at_iso: isoTime(e.at) }));
}

const csvCell = (v: string) => (/[",\r\n]/.test(v) || /^[=+\-@\t]/.test(v) ? `"${(/^[=+\-@\t]/.test(v) ? `'${v}` : v).replace(/"/g, '""')}"` : v);

/** CSV for spreadsheets; a cell that a spreadsheet would run as a formula is prefixed with a quote. */
export function testLogCsv(log: LogEntry[]): string {
  const head = ['at', 'actor', 'kind', 'subject', 'outcome', 'detail'];
  const rows = log.map((e) => [e.at_iso ?? '', e.actor, e.kind, e.subject, e.outcome, e.detail].map(csvCell).join(','));
  return [head.join(','), ...rows].join('\r\n') + '\r\n';
}

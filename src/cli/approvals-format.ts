/** Readable output of the approval-gate commands: a policy, a decision, the gate's status, its record. */
import pc from 'picocolors';
import type { Approval, ApprovalCheck, ApprovalPolicy, GateEvent, GateStatus } from '../sdk/index.js';
import { formatTime } from './context.js';
import { formatDetails, formatTable, heading } from './table.js';

export function checkText(c: ApprovalCheck): string {
  switch (c.kind) {
    case 'metric':
      return `${c.metric} ${c.op} ${c.threshold}`;
    case 'fairness':
      return `${c.metric}(${c.features.join(' × ')})${c.min !== undefined ? ` >= ${c.min}` : ''}${c.max !== undefined ? ` <= ${c.max}` : ''}`;
    case 'card':
      return `sections ${c.sections.join(', ')}`;
    case 'validation':
      return c.suite ? `suite ${c.suite}` : 'latest validations passed';
  }
}

export function policyText(p: ApprovalPolicy): string {
  const head = formatDetails([
    ['model', p.model],
    ['alias', `@${p.alias}`],
    ['approvals', `${p.required_approvals} by ${p.roles.join(' or ')}, never the version's author`],
    ['description', p.description || null],
    ['updated', `${formatTime(p.updated_at)} by ${p.updated_by}`],
  ]);
  const checks = p.checks.length
    ? formatTable(
        [
          { header: 'CHECK', value: (c: ApprovalCheck) => c.kind },
          { header: 'NAME', value: (c: ApprovalCheck) => c.name ?? '' },
          { header: 'CONDITION', value: (c: ApprovalCheck) => checkText(c) },
        ],
        p.checks,
      )
    : 'no checks\n';
  return `${head}\n${checks}`;
}

export function policiesTable(list: ApprovalPolicy[]): string {
  if (!list.length) return 'No approval policies: every alias may move freely.\n';
  return formatTable(
    [
      { header: 'ALIAS', value: (p: ApprovalPolicy) => `@${p.alias}` },
      { header: 'CHECKS', value: (p: ApprovalPolicy) => p.checks.map(checkText).join('; ') || '-', maxWidth: 70 },
      { header: 'APPROVALS', value: (p: ApprovalPolicy) => p.required_approvals, align: 'right' },
      { header: 'ROLES', value: (p: ApprovalPolicy) => p.roles.join(',') },
      { header: 'UPDATED', value: (p: ApprovalPolicy) => `${formatTime(p.updated_at)} ${p.updated_by}` },
    ],
    list,
  );
}

export function approvalLine(a: Approval): string {
  const verb = a.decision === 'approve' ? 'approved' : 'rejected';
  return `${a.actor} (${a.role}) ${verb} ${a.model} version ${a.version} for @${a.alias}: ${a.counts ? 'counts' : 'does not count'} — ${a.note}\n`;
}

export function gateText(g: GateStatus): string {
  const mark = (ok: boolean) => (ok ? pc.green('pass') : pc.red('FAIL'));
  let out = `${g.satisfied ? pc.green('SATISFIED') : pc.red('NOT SATISFIED')}  ${g.reason}\n`;
  if (!g.has_policy) return out;
  if (g.checks.length) {
    out += `\n${heading('Checks')}${formatTable(
      [
        { header: 'RESULT', value: (c: GateStatus['checks'][number]) => mark(c.passed) },
        { header: 'CHECK', value: (c: GateStatus['checks'][number]) => c.name },
        { header: 'REASON', value: (c: GateStatus['checks'][number]) => c.reason, maxWidth: 100 },
      ],
      g.checks,
    )}`;
  }
  const a = g.approvals;
  out += `\n${heading('Approvals')}${formatDetails([
    ['counted', `${a.counted} of ${a.required}${a.approvers.length ? ` (${a.approvers.join(', ')})` : ''}`],
    ['rejected by', a.rejected_by.join(', ') || null],
    ['authors', g.authors.join(', ')],
    ['card hash', g.facts_hash],
  ])}`;
  for (const n of a.not_counted) out += `  not counted: ${n.reason}\n`;
  if (g.unmet.length) out += `\n${heading('Unmet')}${g.unmet.map((u) => `  - ${u}\n`).join('')}`;
  return out;
}

export function eventsTable(events: GateEvent[]): string {
  if (!events.length) return 'No gate events.\n';
  return formatTable(
    [
      { header: 'WHEN', value: (e: GateEvent) => formatTime(e.created_at) },
      { header: 'EVENT', value: (e: GateEvent) => e.kind },
      { header: 'VERSION', value: (e: GateEvent) => e.version ?? '' },
      { header: 'ACTOR', value: (e: GateEvent) => e.actor },
      { header: 'REASON', value: (e: GateEvent) => e.reason, maxWidth: 100 },
    ],
    events,
  );
}

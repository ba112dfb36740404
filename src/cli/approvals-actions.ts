/** What the approval-gate commands do (their definitions are in approvals-command.ts). */
import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import type { ApprovalCheck, ApprovalPolicyInput } from '../sdk/index.js';
import { approvalLine, eventsTable, gateText, policiesTable, policyText } from './approvals-format.js';
import { clientFor, print, printJson } from './context.js';
import type { OutputOptions } from './options.js';

export interface PolicySetOptions extends OutputOptions {
  file?: string;
  metric?: string[];
  card?: string;
  validation?: boolean;
  fairness?: string[];
  approvals?: number;
  roles?: string;
  description?: string;
}

export interface ApproveOptions extends OutputOptions {
  alias: string;
  reject?: boolean;
  comment?: string;
}

export interface GateOptions extends OutputOptions {
  alias: string;
  events?: boolean;
}

const NUMBER = '(-?(?:\\d+\\.?\\d*|\\.\\d+)(?:e[-+]?\\d+)?)';

/** 'accuracy>=0.9' → a metric check. */
export function parseMetricFlag(text: string): ApprovalCheck {
  const m = new RegExp(`^\\s*([^<>=\\s]+)\\s*(>=|<=)\\s*${NUMBER}\\s*$`, 'i').exec(text);
  if (!m) throw new InvalidArgumentError(`--metric '${text}': expected NAME>=NUMBER or NAME<=NUMBER, e.g. 'accuracy>=0.9'.`);
  return { kind: 'metric', metric: m[1]!, op: m[2] as '>=' | '<=', threshold: Number(m[3]) };
}

/** 'demographic_parity_ratio:sex>=0.8' (features comma-separated for intersections; '<=' for a difference). */
export function parseFairnessFlag(text: string): ApprovalCheck {
  const m = new RegExp(`^\\s*([a-z_]+)\\s*:\\s*([^<>=]+?)\\s*(>=|<=)\\s*${NUMBER}\\s*$`, 'i').exec(text);
  if (!m) throw new InvalidArgumentError(`--fairness '${text}': expected METRIC:FEATURE>=NUMBER, e.g. 'demographic_parity_ratio:sex>=0.8'.`);
  const features = m[2]!
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const bound = Number(m[4]);
  return {
    kind: 'fairness',
    metric: m[1] as Extract<ApprovalCheck, { kind: 'fairness' }>['metric'],
    features,
    ...(m[3] === '>=' ? { min: bound } : { max: bound }),
  };
}

/** The policy from --file, or built from the flags. */
export function policyFromOptions(opts: PolicySetOptions): ApprovalPolicyInput {
  const flags = opts.metric?.length || opts.card || opts.validation || opts.fairness?.length;
  if (opts.file) {
    if (flags) throw new InvalidArgumentError('Give the checks in --file or as flags, not both.');
    return JSON.parse(readFileSync(opts.file, 'utf8')) as ApprovalPolicyInput;
  }
  const checks: ApprovalCheck[] = [
    ...(opts.metric ?? []).map(parseMetricFlag),
    ...(opts.fairness ?? []).map(parseFairnessFlag),
    ...(opts.card
      ? [
          {
            kind: 'card' as const,
            // Checked by the server, whose refusal names the allowed sections.
            sections: opts.card
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean) as Extract<ApprovalCheck, { kind: 'card' }>['sections'],
          },
        ]
      : []),
    ...(opts.validation ? [{ kind: 'validation' as const }] : []),
  ];
  const roles = opts.roles
    ?.split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  for (const r of roles ?? []) if (r !== 'editor' && r !== 'admin') throw new InvalidArgumentError(`--roles: '${r}' cannot approve; use editor and/or admin.`);
  return {
    checks,
    ...(opts.approvals !== undefined ? { required_approvals: opts.approvals } : {}),
    ...(roles ? { roles: roles as ('editor' | 'admin')[] } : {}),
    ...(opts.description !== undefined ? { description: opts.description } : {}),
  };
}

export async function setPolicy(name: string, alias: string, opts: PolicySetOptions, cmd: Command): Promise<void> {
  const out = await clientFor(cmd).approvals.setPolicy(name, alias, policyFromOptions(opts));
  if (opts.json) return printJson(out);
  print(`${out.created ? 'Set' : 'Replaced'} the approval policy of @${alias}:\n${policyText(out.policy)}`);
}

export async function showPolicy(name: string, alias: string | undefined, opts: OutputOptions, cmd: Command): Promise<void> {
  const client = clientFor(cmd);
  if (alias) {
    const policy = await client.approvals.policy(name, alias);
    return opts.json ? printJson({ policy }) : print(policyText(policy));
  }
  const policies = await client.approvals.policies(name);
  return opts.json ? printJson({ policies }) : print(policiesTable(policies));
}

export async function deletePolicy(name: string, alias: string, opts: OutputOptions, cmd: Command): Promise<void> {
  await clientFor(cmd).approvals.deletePolicy(name, alias);
  if (opts.json) return printJson({});
  print(`Removed the approval policy of @${alias}; the alias is no longer guarded.\n`);
}

export async function approve(name: string, version: string, opts: ApproveOptions, cmd: Command): Promise<void> {
  const out = await clientFor(cmd).approvals.approve(name, version, {
    alias: opts.alias,
    decision: opts.reject ? 'reject' : 'approve',
    ...(opts.comment !== undefined ? { comment: opts.comment } : {}),
  });
  if (opts.json) return printJson(out);
  print(`${approvalLine(out.approval)}\n${gateText(out.gate)}`);
}

export async function gate(name: string, version: string, opts: GateOptions, cmd: Command): Promise<void> {
  const client = clientFor(cmd);
  const status = await client.approvals.gate(name, version, opts.alias);
  const events = opts.events ? await client.approvals.events(name, { alias: opts.alias }) : undefined;
  if (opts.json) printJson(events ? { ...status, events } : status);
  else print(`${gateText(status)}${events ? `\n${eventsTable(events)}` : ''}`);
  // Scripts (CI before a promotion) read the verdict from the exit code.
  if (!status.satisfied) process.exitCode = 1;
}

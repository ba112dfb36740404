/**
 * An approval policy as the gate reads it: the checks a version must pass and who may approve it for an alias.
 * The contract validates the shape; this adds what a schema cannot say (a fairness check needs a bound, names are
 * unique) and the defaults.
 */
import type { Static } from '@sinclair/typebox';
import type * as C from '../contract/approvals.js';
import { InvalidParameterError } from '../errors.js';

export type GateCheckSpec = Static<typeof C.GateCheck>;
export type PolicyInput = Static<typeof C.PolicyInput>;
export type ApproverRole = (typeof C.APPROVER_ROLES)[number];

export interface PolicySpec {
  checks: GateCheckSpec[];
  required_approvals: number;
  roles: ApproverRole[];
  description: string;
}

export const DEFAULT_REQUIRED_APPROVALS = 1;
export const DEFAULT_APPROVER_ROLES: ApproverRole[] = ['admin'];

/** The name the gate gives a check: the one set, else one built from what it checks. */
export function checkName(c: GateCheckSpec): string {
  if (c.name) return c.name;
  switch (c.kind) {
    case 'metric':
      return `metric ${c.metric} ${c.op} ${c.threshold}`;
    case 'fairness': {
      const bounds = [c.min !== undefined ? `>= ${c.min}` : '', c.max !== undefined ? `<= ${c.max}` : ''].filter(Boolean).join(' and ');
      return `fairness ${c.metric}(${c.features.join(' × ')}) ${bounds}`;
    }
    case 'card':
      return `card sections ${c.sections.join(', ')}`;
    case 'validation':
      return c.suite ? `data validation (suite ${c.suite})` : 'data validation';
  }
}

export function normalizePolicy(input: PolicyInput): PolicySpec {
  const names = new Set<string>();
  input.checks.forEach((c, i) => {
    if (c.kind === 'fairness') {
      if (c.min === undefined && c.max === undefined) {
        throw new InvalidParameterError(
          `checks[${i}].min`,
          `checks[${i}]: a fairness check needs a bound: min (a ratio, e.g. 0.8), max (a difference, e.g. 0.1) or both.`,
        );
      }
      if (c.min !== undefined && c.max !== undefined && c.min > c.max) {
        throw new InvalidParameterError(`checks[${i}].min`, `checks[${i}]: min (${c.min}) is above max (${c.max}); no value could pass.`);
      }
    }
    if (c.kind === 'card' && new Set(c.sections).size !== c.sections.length) {
      throw new InvalidParameterError(`checks[${i}].sections`, `checks[${i}].sections names a section twice.`);
    }
    const name = checkName(c);
    if (names.has(name)) throw new InvalidParameterError(`checks[${i}].name`, `checks[${i}]: another check is already named '${name}'; give one a name.`);
    names.add(name);
  });
  return {
    checks: input.checks,
    required_approvals: input.required_approvals ?? DEFAULT_REQUIRED_APPROVALS,
    roles: input.roles ?? DEFAULT_APPROVER_ROLES,
    description: input.description ?? '',
  };
}

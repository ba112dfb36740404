/**
 * Contract check (tests, the fuzzer's server, FERRY_CONTRACT_CHECK=1): every JSON answer is validated against
 * its operation's response schema for the status sent, strictly — a field the schema lacks is a violation,
 * as is an undeclared status. A violation answers 500 with what was wrong, so the test that caused it fails
 * loudly; the request's own answer is never silently reshaped.
 */
import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaOf, type Operation } from '../contract/index.js';
import { FerryError } from '../errors.js';
import { strict } from './strict-schema.js';

export interface ContractViolation {
  method: string;
  route: string;
  status: number;
  problem: string;
}

export function installContractCheck(app: FastifyInstance): ContractViolation[] {
  const violations: ContractViolation[] = [];
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const compiled = new WeakMap<object, ValidateFunction>();
  const validatorOf = (schema: TSchema) => {
    let v = compiled.get(schema);
    if (!v) compiled.set(schema, (v = ajv.compile(strict(schema) as object)));
    return v;
  };

  app.addHook('preSerialization', async (req, reply, payload) => {
    const op = (req.routeOptions.config as { op?: Operation } | undefined)?.op;
    if (!op) return payload;
    const status = reply.statusCode;
    const declared = op.responses[status];
    let problem: string | undefined;
    if (!declared) problem = `status ${status} is not declared`;
    else {
      const schema = jsonSchemaOf(declared);
      if (!schema) problem = `status ${status} is not declared as JSON`;
      else {
        // What the client will receive: JSON.stringify's view (undefined fields dropped, toJSON applied).
        const wire = JSON.parse(JSON.stringify(payload) ?? 'null') as unknown;
        const validate = validatorOf(schema);
        if (!validate(wire))
          problem = (validate.errors ?? [])
            .map(
              (e) =>
                `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` '${String(e.params['additionalProperty'])}'` : ''}`,
            )
            .join('; ');
      }
    }
    if (!problem) return payload;
    const v = { method: req.method, route: op.spec.path, status, problem };
    violations.push(v);
    req.log.error(v, 'response violates the contract');
    // An error answer that violates its own schema would loop; the violation is recorded either way.
    if (status >= 400) return payload;
    throw new FerryError('INTERNAL_ERROR', `Response violates the contract of ${op.spec.operationId} (${req.method} ${op.spec.path}, ${status}): ${problem}`);
  });
  return violations;
}

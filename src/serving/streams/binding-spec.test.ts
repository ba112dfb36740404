import { describe, expect, it } from 'vitest';
import { FerryError, InvalidParameterError } from '../../errors.js';
import { type BindingInput, specOf, type StreamKind, updatedSpec } from './binding-spec.js';

const URLS: Record<StreamKind, string> = { kafka: '127.0.0.1:9092', redis: 'redis://127.0.0.1:6379', nats: 'nats://127.0.0.1:4222' };
const input = (kind: StreamKind, o: Partial<BindingInput> = {}): BindingInput => ({ name: 'b', kind, url: URLS[kind], input: 'in', output: 'out', ...o });

/** The field a refused spec names, with a 4xx status; or null when the spec is taken. */
function refused(kind: StreamKind, o: Partial<BindingInput>): string | null {
  try {
    specOf('risk', input(kind, o));
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidParameterError);
    const e = err as FerryError;
    expect(e.status).toBe(400);
    // The message names the field too, as the other checks here do.
    expect(e.message).toContain(e.errors[0]!.field);
    return e.errors[0]!.field;
  }
}

describe('binding spec names', () => {
  it.each([
    ['nats', { group: 'ferry.risk' }, 'group'],
    ['nats', { group: 'a*b' }, 'group'],
    ['nats', { group: 'a>b' }, 'group'],
    ['nats', { group: 'a/b' }, 'group'],
    ['nats', { group: 'a b' }, 'group'],
    ['nats', { group: 'x'.repeat(256) }, 'group'],
    ['nats', { input: 'a..b' }, 'input'],
    ['nats', { input: '.a' }, 'input'],
    ['nats', { input: 'a.' }, 'input'],
    ['nats', { input: 'a b' }, 'input'],
    ['nats', { output: 'a..b' }, 'output'],
    ['nats', { output: 'results.*' }, 'output'],
    ['nats', { dead_letter: 'dead.>' }, 'dead_letter'],
    ['nats', { dead_letter: 'dead\tletters' }, 'dead_letter'],
    ['kafka', { input: '.' }, 'input'],
    ['kafka', { input: '..' }, 'input'],
    ['kafka', { output: '..' }, 'output'],
    ['kafka', { output: 'a/b' }, 'output'],
    ['kafka', { output: 'über' }, 'output'],
    ['kafka', { input: 'a b' }, 'input'],
    ['kafka', { output: 't'.repeat(250) }, 'output'],
    // The default dead-letter topic, '<input>.dlq', must fit Kafka's 249 too.
    ['kafka', { input: 't'.repeat(246) }, 'dead_letter'],
    ['kafka', { dead_letter: 't'.repeat(250) }, 'dead_letter'],
    ['kafka', { group: '' }, 'group'],
    ['redis', { input: 'k'.repeat(1025) }, 'input'],
    ['redis', { output: 'a\nb' }, 'output'],
    ['redis', { output: '' }, 'output'],
  ] as [StreamKind, Partial<BindingInput>, string][])('%s %j is refused naming %s', (kind, o, field) => {
    expect(refused(kind, o)).toBe(field);
  });

  it.each([
    ['nats', { input: 'loans.applications', output: 'loans.scores', group: 'ferry-risk_1' }],
    ['kafka', { input: 't'.repeat(245), output: 'a.b_c-d' }],
    ['kafka', { input: 'x', dead_letter: 't'.repeat(249) }],
    ['redis', { input: 'loans:applications', output: 'k'.repeat(1024) }],
    // Kafka and Redis group names may hold '.'; only a NATS durable consumer may not.
    ['kafka', { group: 'ferry.risk' }],
    ['redis', { group: 'ferry.risk' }],
  ] as [StreamKind, Partial<BindingInput>][])('%s %j is taken', (kind, o) => {
    expect(refused(kind, o)).toBeNull();
  });

  it('checks a changed spec as a new one', () => {
    const cur = specOf('risk', input('nats', { input: 'a.b' }));
    expect(() => updatedSpec(cur, { input: 'a..b' })).toThrow(InvalidParameterError);
    expect(() => updatedSpec(cur, { group: 'g.1' })).toThrow(/group/);
    expect(updatedSpec(cur, { output: 'a.c' }).output).toBe('a.c');
  });
});

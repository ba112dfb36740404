import { describe, expect, it } from 'vitest';
import { SignInLimiter } from './sign-in-limiter.js';

function limiter(limits: Partial<ConstructorParameters<typeof SignInLimiter>[0]> = {}) {
  let t = 1_000_000;
  const l = new SignInLimiter({ maxPerAddress: 5, maxPerUser: 3, windowMs: 60_000, ...limits }, () => t);
  return { l, advance: (ms: number) => (t += ms) };
}

describe('SignInLimiter', () => {
  it('locks an address after its limit of failures, until the window that counted them ends', () => {
    const { l, advance } = limiter();
    for (let i = 0; i < 4; i++) l.failed('10.0.0.1');
    expect(l.check('10.0.0.1')).toBeNull();
    l.failed('10.0.0.1');
    expect(l.check('10.0.0.1')).toEqual({ scope: 'address', retryAfterSeconds: 60 });
    expect(l.check('10.0.0.2')).toBeNull();
    advance(30_500);
    expect(l.check('10.0.0.1')).toEqual({ scope: 'address', retryAfterSeconds: 30 });
    advance(29_500);
    expect(l.check('10.0.0.1')).toBeNull();
    // A fresh window: one failure is not a lock.
    l.failed('10.0.0.1');
    expect(l.check('10.0.0.1')).toBeNull();
  });

  it('locks a username whatever address the guesses come from, and only that username', () => {
    const { l } = limiter();
    l.failed('10.0.0.1', 'alice');
    l.failed('10.0.0.2', 'alice');
    l.failed('10.0.0.3', 'alice');
    expect(l.check('10.0.0.9', 'alice')).toEqual({ scope: 'user', retryAfterSeconds: 60 });
    expect(l.check('10.0.0.9', 'bob')).toBeNull();
    expect(l.check('10.0.0.1')).toBeNull();
  });

  it('clears a user on success but keeps the address count', () => {
    const { l } = limiter();
    l.failed('10.0.0.1', 'alice');
    l.failed('10.0.0.1', 'alice');
    l.succeeded('alice');
    l.failed('10.0.0.1', 'alice');
    l.failed('10.0.0.1', 'alice');
    expect(l.check('10.0.0.1', 'alice')).toBeNull();
    l.failed('10.0.0.1', 'carol');
    // Five failures from the address in all, success or not in between.
    expect(l.check('10.0.0.1', 'dave')).toMatchObject({ scope: 'address' });
  });

  it('turns either limit off with 0', () => {
    const { l } = limiter({ maxPerAddress: 0, maxPerUser: 0 });
    for (let i = 0; i < 1000; i++) l.failed('10.0.0.1', 'alice');
    expect(l.check('10.0.0.1', 'alice')).toBeNull();
    expect(l.size).toEqual({ addresses: 0, users: 0 });
  });

  it('answers the longer of two locks', () => {
    const { l, advance } = limiter({ maxPerAddress: 2, maxPerUser: 2 });
    l.failed('10.0.0.1', 'alice');
    l.failed('10.0.0.1', 'alice');
    advance(10_000);
    l.failed('10.0.0.2', 'bob');
    l.failed('10.0.0.2', 'bob');
    // alice's window began 10 s before bob's address window.
    expect(l.check('10.0.0.2', 'alice')).toEqual({ scope: 'address', retryAfterSeconds: 60 });
    expect(l.check('10.0.0.1', 'bob')).toEqual({ scope: 'user', retryAfterSeconds: 60 });
    expect(l.check('10.0.0.1', 'carol')).toEqual({ scope: 'address', retryAfterSeconds: 50 });
  });

  it('remembers at most maxEntries keys, forgetting the oldest', () => {
    const { l } = limiter({ maxPerAddress: 1, maxEntries: 100 });
    for (let i = 0; i < 1000; i++) l.failed(`10.0.${i >> 8}.${i & 255}`, `user${i}`);
    expect(l.size).toEqual({ addresses: 100, users: 100 });
    expect(l.check('10.0.0.0')).toBeNull();
    expect(l.check('10.0.3.231')).toMatchObject({ scope: 'address' });
  });
});

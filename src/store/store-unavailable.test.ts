import { createServer } from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../errors.js';
import { isStoreUnavailable, storeUnavailable } from './store-unavailable.js';

/** A loopback port nothing listens on. */
function unusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('isStoreUnavailable', () => {
  it('recognises a refused connection as node-postgres reports it', async () => {
    const port = await unusedPort();
    const pool = new pg.Pool({ connectionString: `postgres://u:p@127.0.0.1:${port}/db`, connectionTimeoutMillis: 2_000 });
    const err = await pool.query('select 1').then(
      () => null,
      (e: unknown) => e,
    );
    await pool.end();
    expect(err).not.toBeNull();
    expect(isStoreUnavailable(err)).toBe(true);
    expect(storeUnavailable(err)).toBeInstanceOf(StoreUnavailableError);
  });

  it('recognises shutdown SQLSTATEs, connection exceptions and dropped connections', () => {
    for (const code of ['57P01', '57P02', '57P03', '53300', '08006', '08001', 'ECONNRESET'])
      expect(isStoreUnavailable(Object.assign(new Error('x'), { code })), code).toBe(true);
    expect(isStoreUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isStoreUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });

  it('leaves query errors alone: they are bugs or bad input, not an outage', () => {
    for (const code of ['23505', '42P01', '22P02', 'SQLITE_BUSY']) expect(isStoreUnavailable(Object.assign(new Error('x'), { code })), code).toBe(false);
    expect(isStoreUnavailable(new Error('syntax error at or near "selec"'))).toBe(false);
    expect(isStoreUnavailable(null)).toBe(false);
    expect(storeUnavailable(new Error('x'))).toBeNull();
  });
});

/**
 * The LISTEN connection against a real PostgreSQL: messages arrive, a dropped connection comes back and says so, a
 * close leaves no connection behind (even one still being opened), and a subscriber that throws does not take the
 * process down.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshStore, type StoreHandle, storeKinds } from '../../test/support/stores.js';
import { PgListener } from './pg-listener.js';

const describeIf = storeKinds().includes('postgres');

if (describeIf) {
  let handle: StoreHandle;
  let admin: pg.Client;

  beforeAll(async () => {
    handle = await freshStore('postgres');
    admin = new pg.Client({ connectionString: handle.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await handle?.cleanup();
  });

  /** The listener's URL, tagged so its backends can be counted in pg_stat_activity. */
  const tagged = () => {
    const app = `pgl_${randomBytes(4).toString('hex')}`;
    const u = new URL(handle.url);
    u.searchParams.set('application_name', app);
    return { app, url: u.toString() };
  };
  const backends = async (app: string) =>
    Number((await admin.query<{ n: string }>('select count(*) as n from pg_stat_activity where application_name = $1', [app])).rows[0]!.n);
  const notify = (channel: string, payload: string) => admin.query('select pg_notify($1, $2)', [channel, payload]);
  /** Polls `f` until it holds (a convergence, not a timing check: it stops as soon as it holds). */
  const until = async (what: string, f: () => Promise<boolean> | boolean) => {
    for (let i = 0; i < 500; i++) {
      if (await f()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`${what} did not happen`);
  };

  it('delivers messages, and after a dropped connection listens again and tells the subscriber', async () => {
    const { app, url } = tagged();
    const l = new PgListener(url);
    const got: string[] = [];
    let reconnects = 0;
    await l.listen(
      'ch_a',
      (p) => got.push(p),
      () => reconnects++,
    );
    await notify('ch_a', 'one');
    await until('first message', () => got.includes('one'));
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [app]);
    await until('reconnect', () => reconnects === 1);
    await notify('ch_a', 'two');
    await until('message after the reconnect', () => got.includes('two'));
    await l.close();
    await until('no connection left', async () => (await backends(app)) === 0);
  });

  it('a close while the connection is still being opened leaves no connection behind', async () => {
    const { app, url } = tagged();
    const l = new PgListener(url);
    const listening = l.listen('ch_b', () => {});
    await l.close();
    await listening.catch(() => {});
    // Whatever the listen answered, the connection it was opening must go (a leaked one stays for good).
    await until('no connection left', async () => (await backends(app)) === 0);
  });

  it('a listen after close is refused and opens nothing', async () => {
    const { app, url } = tagged();
    const l = new PgListener(url);
    await l.close();
    await expect(l.listen('ch_c', () => {})).rejects.toThrow(/closed/);
    expect(await backends(app)).toBe(0);
  });

  it('a subscriber that throws does not stop the others (nor crash the process)', async () => {
    const { url } = tagged();
    const l = new PgListener(url);
    const got: string[] = [];
    await l.listen('ch_d', () => {
      throw new Error('subscriber bug');
    });
    await l.listen('ch_d', (p) => got.push(p));
    await notify('ch_d', 'x');
    await notify('ch_d', 'y');
    await until('both messages reach the second subscriber', () => got.length === 2);
    expect(got).toEqual(['x', 'y']);
    await l.close();
  });
} else {
  it.skip('pg-listener needs PostgreSQL (FERRY_TEST_STORES)', () => {});
}

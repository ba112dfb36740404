import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cacheStatements } from './sqlite.js';

describe('SQLite statement cache', () => {
  const open = (size?: number) => {
    const db = new BetterSqlite3(':memory:');
    db.exec('create table t (a integer)');
    db.exec('insert into t values (1), (2), (3)');
    cacheStatements(db, size);
    return db;
  };

  it('hands out the same statement for the same SQL, with each call its own parameters', () => {
    const db = open();
    const a = db.prepare('select a from t where a >= ?');
    const b = db.prepare('select a from t where a >= ?');
    expect(b).toBe(a);
    expect(a.all(2)).toEqual([{ a: 2 }, { a: 3 }]);
    expect(b.all(3)).toEqual([{ a: 3 }]);
    expect(db.prepare('select a from t where a < ?')).not.toBe(a);
  });

  it('never hands out a statement that is iterating: a fresh one is prepared, and both read their own rows', () => {
    const db = open();
    const first = db.prepare('select a from t order by a');
    const it = first.iterate();
    expect(it.next().value).toEqual({ a: 1 });
    const second = db.prepare('select a from t order by a');
    expect(second).not.toBe(first);
    expect(second.all()).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(it.next().value).toEqual({ a: 2 });
    it.return?.();
  });

  it('keeps the most recently used statements up to its size', () => {
    const db = open(2);
    const one = db.prepare('select 1');
    const two = db.prepare('select 2');
    expect(db.prepare('select 1')).toBe(one); // used again: now the most recent
    db.prepare('select 3'); // evicts 'select 2', the least recent
    expect(db.prepare('select 1')).toBe(one);
    expect(db.prepare('select 2')).not.toBe(two);
  });

  it('does not keep a statement whose SQL is longer than the bound (bulk inserts, long IN lists)', () => {
    const db = new BetterSqlite3(':memory:');
    db.exec('create table t (a integer)');
    cacheStatements(db, 8, 40);
    const short = 'select a from t where a = ?';
    expect(db.prepare(short)).toBe(db.prepare(short));
    const long = `select a from t where a in (${Array(20).fill('?').join(', ')})`;
    expect(long.length).toBeGreaterThan(40);
    expect(db.prepare(long)).not.toBe(db.prepare(long));
    expect(db.prepare(long).all(...Array.from({ length: 20 }, (_, i) => i))).toEqual([]);
  });

  it('answers with the schema as it is now after a migration changed the table', () => {
    const db = open();
    expect(db.prepare('select * from t where a = 1').all()).toEqual([{ a: 1 }]);
    db.exec("alter table t add column b text default 'x'");
    expect(db.prepare('select * from t where a = 1').all()).toEqual([{ a: 1, b: 'x' }]);
  });
});

import type { Kysely } from 'kysely';
import type { Database, StreamBindingTable } from '../../store/index.js';

type Db = Kysely<Database>;

export const findBinding = (db: Db, deployment: string, name: string) =>
  db.selectFrom('stream_bindings').selectAll().where('deployment', '=', deployment).where('name', '=', name).executeTakeFirst();

export const listBindings = (db: Db, deployment?: string) => {
  let q = db.selectFrom('stream_bindings').selectAll();
  if (deployment !== undefined) q = q.where('deployment', '=', deployment);
  return q.orderBy('deployment').orderBy('name').execute();
};

export const insertBinding = (db: Db, row: StreamBindingTable) => db.insertInto('stream_bindings').values(row).execute();

export const updateBinding = (db: Db, row: StreamBindingTable) =>
  db.updateTable('stream_bindings').set(row).where('deployment', '=', row.deployment).where('name', '=', row.name).execute();

export const deleteBinding = (db: Db, deployment: string, name: string) =>
  db.deleteFrom('stream_bindings').where('deployment', '=', deployment).where('name', '=', name).executeTakeFirst();

export const deleteDeploymentBindings = (db: Db, deployment: string) => db.deleteFrom('stream_bindings').where('deployment', '=', deployment).execute();

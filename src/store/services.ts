// Service accounts: the programs (Dovecot, nginx, apps) that bind to LDAP or call /api/v1/verify.

import type { Executor, Store } from './database.js';

export interface ServiceRow {
  id: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

export function serviceByHashLookup(store: Store): (hash: Buffer) => Promise<ServiceRow | undefined> {
  const HASH = Buffer.alloc(32, 0x5a);
  const run = store.prepare(
    store.db
      .selectFrom('service_accounts')
      .select(['id', 'name', 'created_at', 'last_used_at'])
      .where('hash', '=', HASH),
    [HASH],
  );
  return async (hash) => (await run([hash]))[0] as ServiceRow | undefined;
}

export async function insertService(db: Executor, row: ServiceRow & { hash: Buffer }): Promise<void> {
  await db.insertInto('service_accounts').values(row).execute();
}

export function listServiceRows(db: Executor): Promise<ServiceRow[]> {
  return db
    .selectFrom('service_accounts')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .orderBy('name')
    .execute();
}

export function findServiceByName(db: Executor, name: string): Promise<ServiceRow | undefined> {
  return db
    .selectFrom('service_accounts')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function deleteServiceRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('service_accounts').where('id', '=', id).execute();
}

export async function touchServices(db: Executor, uses: { id: string; at: number }[]): Promise<void> {
  for (const u of uses) {
    await db.updateTable('service_accounts').set({ last_used_at: u.at }).where('id', '=', u.id).execute();
  }
}

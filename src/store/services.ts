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

/** Remembers (or refreshes) an address a service authenticated from. */
export async function recordServiceSource(db: Executor, ip: string, serviceId: string, at: number) {
  await db
    .insertInto('service_sources')
    .values({ ip, service_id: serviceId, last_at: at })
    .onConflict((oc) => oc.column('ip').doUpdateSet({ service_id: serviceId, last_at: at }))
    .execute();
}

/** Addresses a service authenticated from since `since`. */
export async function listServiceSources(
  db: Executor,
  since: number,
): Promise<{ ip: string; last_at: number }[]> {
  return db.selectFrom('service_sources').select(['ip', 'last_at']).where('last_at', '>', since).execute();
}

export async function pruneServiceSources(db: Executor, before: number): Promise<void> {
  await db.deleteFrom('service_sources').where('last_at', '<=', before).execute();
}

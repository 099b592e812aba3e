// Organization settings (key → JSON value) and internal metadata.

import type { Executor } from './database.js';

export async function readSettings(db: Executor): Promise<Map<string, string>> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}

export async function writeSetting(db: Executor, key: string, value: string, at: number): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
    .execute();
}

export async function readMeta(db: Executor, key: string): Promise<string | null> {
  const r = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  return r?.value ?? null;
}

/** Inserts the value unless the key exists; returns the value that is stored afterwards. */
export async function initMeta(db: Executor, key: string, value: string): Promise<string> {
  await db
    .insertInto('meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await readMeta(db, key)) ?? value;
}

/**
 * Serializes rare store-wide decisions (the first administrator): takes the row lock of a meta row in
 * PostgreSQL; SQLite transactions hold the write lock already.
 */
export async function lockStoreWide(db: Executor): Promise<void> {
  await db
    .updateTable('meta')
    .set((eb) => ({ value: eb.ref('value') }))
    .where('key', '=', 'key_fingerprint')
    .execute();
}

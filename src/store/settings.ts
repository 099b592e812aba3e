// Organization settings (key → JSON value) and internal metadata.

import type { Dialect, Executor } from './database.js';

export async function readSettings(db: Executor): Promise<Map<string, string>> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}

/**
 * readSettings for a decision that a settings change must not slip past: in PostgreSQL the rows stay
 * share-locked until the transaction ends, so a concurrent change waits for it, or it waits for the
 * change and reads the new values. (SQLite transactions hold the write lock already.)
 */
export async function readSettingsLocked(db: Executor, dialect: Dialect): Promise<Map<string, string>> {
  const q = db.selectFrom('settings').select(['key', 'value']);
  const rows = await (dialect === 'postgres' ? q.forShare() : q).execute();
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

// RADIUS clients (NAS): the VPN concentrators and Wi-Fi controllers allowed to ask the RADIUS door.

import type { Executor } from './database.js';
import type { RadiusClientsTable } from './schema.js';

export type RadiusClientRow = RadiusClientsTable;

export async function insertRadiusClient(db: Executor, row: RadiusClientRow): Promise<void> {
  await db.insertInto('radius_clients').values(row).execute();
}

export function listRadiusClientRows(db: Executor): Promise<RadiusClientRow[]> {
  return db.selectFrom('radius_clients').selectAll().orderBy('name').execute();
}

export function findRadiusClientByName(db: Executor, name: string): Promise<RadiusClientRow | undefined> {
  return db.selectFrom('radius_clients').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function deleteRadiusClientRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('radius_clients').where('id', '=', id).execute();
}

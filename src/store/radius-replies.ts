// RADIUS reply rules: attributes an Access-Accept carries by group (and optionally by client).

import type { Executor } from './database.js';
import type { RadiusReplyRulesTable } from './schema.js';

export type RadiusReplyRuleRow = RadiusReplyRulesTable;

/** Inserts a rule; false when the group already has one for this attribute and client (one statement). */
export async function insertRadiusReplyRule(db: Executor, row: RadiusReplyRuleRow): Promise<boolean> {
  const r = await db
    .insertInto('radius_reply_rules')
    .values(row)
    .onConflict((oc) => oc.columns(['client_id', 'group_name', 'attribute']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/**
 * Locks a RADIUS client's row for the rest of the transaction (a no-op write): false when it is gone.
 * A rule added for it then waits for a deletion under way and sees it, or holds the deletion until the
 * rule is in, which the deletion then removes with the client's other rules.
 */
export async function lockRadiusClient(db: Executor, clientId: string): Promise<boolean> {
  const r = await db
    .updateTable('radius_clients')
    .set((eb) => ({ name: eb.ref('name') }))
    .where('id', '=', clientId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function listRadiusReplyRuleRows(db: Executor): Promise<RadiusReplyRuleRow[]> {
  return db
    .selectFrom('radius_reply_rules')
    .selectAll()
    .orderBy('client_id')
    .orderBy('group_name')
    .orderBy('attribute')
    .execute();
}

export function findRadiusReplyRule(
  db: Executor,
  clientId: string,
  group: string,
  attribute: string,
): Promise<RadiusReplyRuleRow | undefined> {
  return db
    .selectFrom('radius_reply_rules')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('group_name', '=', group)
    .where('attribute', '=', attribute)
    .executeTakeFirst();
}

export function findRadiusReplyRuleById(db: Executor, id: string): Promise<RadiusReplyRuleRow | undefined> {
  return db.selectFrom('radius_reply_rules').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The rules that may apply to a request from `clientId` for members of `groups`. */
export function radiusReplyRulesFor(
  db: Executor,
  clientId: string,
  groups: readonly string[],
): Promise<RadiusReplyRuleRow[]> {
  return db
    .selectFrom('radius_reply_rules')
    .selectAll()
    .where('client_id', 'in', ['', clientId])
    .where('group_name', 'in', groups.length > 0 ? [...groups] : [''])
    .execute();
}

export async function deleteRadiusReplyRuleRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('radius_reply_rules').where('id', '=', id).execute();
}

export async function deleteRadiusReplyRulesOfClient(db: Executor, clientId: string): Promise<number> {
  const r = await db.deleteFrom('radius_reply_rules').where('client_id', '=', clientId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

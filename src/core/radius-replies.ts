// RADIUS reply rules (issue 13): what an Access-Accept tells the NAS about a person, by group — a
// firewall filter (Filter-Id), a session limit, a VLAN (the three tunnel attributes of RFC 3580) — for
// every RADIUS client or for one. Groups are the ones the LDAP door and OIDC show (core/sso.ts
// groupsOf: `users`, plus `helpdesk` or `admins`).
//
// Only attributes from a short safe list may be set, each value checked by its type: nothing an
// operator types can carry a password, a key or a forged Message-Authenticator, and Class stays
// Latchkey's own. Rules are read from the store at each Access-Accept, so a change holds on the next
// request, on every node.
//
// One value per attribute: when several rules name the same attribute, a rule for the request's client
// beats one for every client, then the more specific group (`admins`, `helpdesk`) beats `users`.

import { isIP } from 'node:net';
import { newId } from '../crypto/ids.js';
import { findRadiusClientByName, listRadiusClientRows } from '../store/radius-clients.js';
import {
  deleteRadiusReplyRuleRow,
  findRadiusReplyRule,
  findRadiusReplyRuleById,
  insertRadiusReplyRule,
  listRadiusReplyRuleRows,
  lockRadiusClient,
  type RadiusReplyRuleRow,
  radiusReplyRulesFor,
} from '../store/radius-replies.js';
import type { Role } from '../store/schema.js';
import { recordAudit } from './audit.js';
import type { CoreContext } from './context.js';
import { ROLE_GROUPS } from './directory.js';
import { type Detail, LatchkeyError, listOf } from './errors.js';
import { type Actor, authorize } from './policy.js';
import { groupsOf } from './sso.js';

type Kind =
  | { type: 'text'; max: number }
  | { type: 'integer'; min: number; max: number }
  | { type: 'ipv4' }
  | { type: 'enum'; values: Record<string, number> }
  | { type: 'vlan' };

interface AttributeSpec {
  /** The RADIUS attribute type number (RFC 2865, 2868, 2869). */
  code: number;
  kind: Kind;
  /** RFC 2868 tunnel attributes carry a tag; ours is 0 ("no tunnel grouping"). */
  tagged?: boolean;
  help: string;
}

/** The attributes an operator may set, by their dictionary names. */
export const REPLY_ATTRIBUTES: Readonly<Record<string, AttributeSpec>> = {
  'Filter-Id': {
    code: 11,
    kind: { type: 'text', max: 253 },
    help: 'the name of a filter (ACL, firewall rule set) the NAS applies',
  },
  'Reply-Message': {
    code: 18,
    kind: { type: 'text', max: 253 },
    help: 'a text the NAS may show the person',
  },
  'Session-Timeout': {
    code: 27,
    kind: { type: 'integer', min: 1, max: 2_147_483_647 },
    help: 'seconds before the session ends',
  },
  'Idle-Timeout': {
    code: 28,
    kind: { type: 'integer', min: 1, max: 2_147_483_647 },
    help: 'seconds of inactivity before the session ends',
  },
  'Framed-IP-Netmask': { code: 9, kind: { type: 'ipv4' }, help: 'an IPv4 netmask' },
  'Framed-MTU': { code: 12, kind: { type: 'integer', min: 64, max: 65_535 }, help: 'bytes' },
  'Framed-Pool': {
    code: 88,
    kind: { type: 'text', max: 253 },
    help: 'the name of an address pool on the NAS',
  },
  'Acct-Interim-Interval': {
    code: 85,
    kind: { type: 'integer', min: 60, max: 2_147_483_647 },
    help: 'seconds between accounting updates',
  },
  'Tunnel-Type': {
    code: 64,
    kind: { type: 'enum', values: { VLAN: 13 } },
    tagged: true,
    help: 'VLAN (13), with Tunnel-Medium-Type and Tunnel-Private-Group-Id',
  },
  'Tunnel-Medium-Type': {
    code: 65,
    kind: { type: 'enum', values: { 'IEEE-802': 6 } },
    tagged: true,
    help: 'IEEE-802 (6)',
  },
  'Tunnel-Private-Group-Id': {
    code: 81,
    kind: { type: 'vlan' },
    tagged: true,
    help: 'the VLAN id, 1 to 4094',
  },
};

export interface RadiusReplyRuleView {
  id: string;
  /** The RADIUS client's name, or null for every client. */
  client: string | null;
  group: string;
  attribute: string;
  value: string;
  createdAt: string;
}

/** Every group a rule may name: the groups of all roles. */
export function replyGroups(): string[] {
  return [...new Set(Object.values(ROLE_GROUPS).flat())];
}

const invalid = (detail: Detail) => new LatchkeyError('SETTING_INVALID', detail);

function checkAttribute(attribute: unknown): string {
  const a = typeof attribute === 'string' ? attribute.trim().toLowerCase() : '';
  const name = Object.keys(REPLY_ATTRIBUTES).find((k) => k.toLowerCase() === a);
  if (!name) {
    throw invalid({
      detail: 'radiusReplyAttribute',
      params: { attributes: listOf(Object.keys(REPLY_ATTRIBUTES)) },
    });
  }
  return name;
}

function checkGroup(group: unknown): string {
  const g = typeof group === 'string' ? group.trim().toLowerCase() : '';
  const groups = replyGroups();
  if (!groups.includes(g)) throw invalid({ detail: 'radiusReplyGroup', params: { groups: listOf(groups) } });
  return g;
}

/** The value in its canonical text form, or a clear error saying what the attribute takes. */
export function checkReplyValue(attribute: string, value: unknown): string {
  const spec = REPLY_ATTRIBUTES[attribute]!;
  const v = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  const k = spec.kind;
  switch (k.type) {
    case 'text': {
      // Printable text only: no control characters, nothing that could break a NAS's log or screen.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point.
      if (v === '' || /[\u0000-\u001f\u007f-\u009f]/.test(v) || Buffer.byteLength(v) > k.max) {
        throw invalid({ detail: 'radiusReplyText', params: { attribute, max: k.max } });
      }
      return v;
    }
    case 'integer': {
      if (!/^\d{1,10}$/.test(v) || Number(v) < k.min || Number(v) > k.max) {
        throw invalid({ detail: 'radiusReplyInteger', params: { attribute, min: k.min, max: k.max } });
      }
      return String(Number(v));
    }
    case 'ipv4': {
      if (isIP(v) !== 4 || !/^(\d{1,3}\.){3}\d{1,3}$/.test(v)) {
        throw invalid({ detail: 'radiusReplyIpv4', params: { attribute } });
      }
      return v
        .split('.')
        .map((o) => String(Number(o)))
        .join('.');
    }
    case 'enum': {
      for (const [name, n] of Object.entries(k.values)) {
        if (v.toLowerCase() === name.toLowerCase() || v === String(n)) return name;
      }
      const allowed = Object.entries(k.values).map(([name, n]) => `${name} (${n})`);
      throw invalid({ detail: 'radiusReplyEnum', params: { attribute, values: listOf(allowed, 'or') } });
    }
    case 'vlan': {
      if (!/^\d{1,4}$/.test(v) || Number(v) < 1 || Number(v) > 4094) {
        throw invalid({ detail: 'radiusReplyVlan', params: { attribute } });
      }
      return String(Number(v));
    }
  }
}

/** The attribute's bytes on the wire (the value was checked when the rule was made). */
export function encodeReplyAttribute(attribute: string, value: string): { type: number; value: Buffer } {
  const spec = REPLY_ATTRIBUTES[attribute];
  if (!spec) throw new Error(`unknown RADIUS reply attribute ${attribute}`);
  const k = spec.kind;
  let bytes: Buffer;
  if (k.type === 'integer' || k.type === 'enum') {
    const n = k.type === 'enum' ? k.values[value]! : Number(value);
    bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(n);
    // RFC 2868 §3.1–3.2: a tag octet, then the value in three octets.
    if (spec.tagged) bytes[0] = 0;
  } else if (k.type === 'ipv4') {
    bytes = Buffer.from(value.split('.').map(Number));
  } else {
    // Tunnel-Private-Group-Id (RFC 2868 §3.6) may omit its tag when the first octet is above 0x1F,
    // as a VLAN id's first digit always is: sent untagged, as most NAS expect.
    bytes = Buffer.from(value, 'utf8');
  }
  return { type: spec.code, value: bytes };
}

export async function addRadiusReplyRule(
  ctx: CoreContext,
  actor: Actor,
  input: { group: string; attribute: string; value: string | number; client?: string | null },
): Promise<RadiusReplyRuleView> {
  authorize(actor, 'services.manage');
  const group = checkGroup(input.group);
  const attribute = checkAttribute(input.attribute);
  const value = checkReplyValue(attribute, input.value);
  const clientName = input.client ? String(input.client).trim().toLowerCase() : null;
  return ctx.store.transaction(async (trx) => {
    let clientId = '';
    if (clientName) {
      const c = await findRadiusClientByName(trx, clientName);
      // Locked, so that a client being deleted meanwhile cannot leave this rule behind without it.
      if (!c || !(await lockRadiusClient(trx, c.id)))
        throw new LatchkeyError('SERVICE_NOT_FOUND', { detail: 'radiusClientNotFound' });
      clientId = c.id;
    }
    const exists = () =>
      new LatchkeyError(
        'RADIUS_REPLY_EXISTS',
        clientName
          ? { detail: 'radiusReplyExistsForClient', params: { group, attribute, client: clientName } }
          : { detail: 'radiusReplyExists', params: { group, attribute } },
      );
    if (await findRadiusReplyRule(trx, clientId, group, attribute)) throw exists();
    const row: RadiusReplyRuleRow = {
      id: newId(),
      client_id: clientId,
      group_name: group,
      attribute,
      value,
      created_at: ctx.now(),
    };
    // Two administrators adding the same rule at once: the unique key decides, and the second hears so.
    if (!(await insertRadiusReplyRule(trx, row))) throw exists();
    await recordAudit(ctx, trx, actor, 'radius_reply.created', `radius-reply:${row.id}`, {
      client: clientName,
      group,
      attribute,
      value,
    });
    return view(row, clientName);
  });
}

function view(r: RadiusReplyRuleRow, client: string | null): RadiusReplyRuleView {
  return {
    id: r.id,
    client,
    group: r.group_name,
    attribute: r.attribute,
    value: r.value,
    createdAt: new Date(Number(r.created_at)).toISOString(),
  };
}

export async function listRadiusReplyRules(ctx: CoreContext, actor: Actor): Promise<RadiusReplyRuleView[]> {
  authorize(actor, 'services.manage');
  const names = new Map((await listRadiusClientRows(ctx.store.db)).map((c) => [c.id, c.name]));
  return (
    (await listRadiusReplyRuleRows(ctx.store.db))
      // A rule whose client is gone applies to no request: never shown as one for every client.
      .filter((r) => r.client_id === '' || names.has(r.client_id))
      .map((r) => view(r, r.client_id === '' ? null : names.get(r.client_id)!))
      .sort(
        (a, b) =>
          (a.client ?? '').localeCompare(b.client ?? '') ||
          a.group.localeCompare(b.group) ||
          a.attribute.localeCompare(b.attribute),
      )
  );
}

export async function deleteRadiusReplyRule(ctx: CoreContext, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'services.manage');
  const rid = typeof id === 'string' ? id.trim().toLowerCase() : '';
  await ctx.store.transaction(async (trx) => {
    const row = /^[a-z2-7]{12}$/.test(rid) ? await findRadiusReplyRuleById(trx, rid) : undefined;
    if (!row) throw new LatchkeyError('SERVICE_NOT_FOUND', { detail: 'radiusReplyNotFound' });
    await deleteRadiusReplyRuleRow(trx, row.id);
    await recordAudit(ctx, trx, actor, 'radius_reply.deleted', `radius-reply:${row.id}`, {
      group: row.group_name,
      attribute: row.attribute,
    });
  });
}

/**
 * The reply attributes of an Access-Accept from client `clientId` for a person of role `role`: one
 * per attribute (the client's own rule first, then the most specific group), in a stable order.
 */
export async function radiusReplyAttributes(
  ctx: CoreContext,
  clientId: string,
  role: Role,
): Promise<{ type: number; value: Buffer }[]> {
  const groups = groupsOf(role);
  const rows = await radiusReplyRulesFor(ctx.store.db, clientId, groups);
  if (rows.length === 0) return [];
  const rank = (r: RadiusReplyRuleRow) => (r.client_id === '' ? 0 : 100) + groups.indexOf(r.group_name);
  const best = new Map<string, RadiusReplyRuleRow>();
  for (const r of rows) {
    const held = best.get(r.attribute);
    if (!held || rank(r) > rank(held)) best.set(r.attribute, r);
  }
  return [...best.values()]
    .filter((r) => REPLY_ATTRIBUTES[r.attribute] !== undefined)
    .sort((a, b) => REPLY_ATTRIBUTES[a.attribute]!.code - REPLY_ATTRIBUTES[b.attribute]!.code)
    .map((r) => encodeReplyAttribute(r.attribute, r.value));
}

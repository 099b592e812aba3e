// RADIUS clients (NAS: VPN concentrators, Wi-Fi controllers; issue 13): registered by an administrator
// with the address or range their packets come from, each with a generated shared secret shown once.
// RADIUS keys MD5 and HMAC-MD5 with the secret itself, so it cannot be hashed: it is sealed with
// encryption.key (AES-256-GCM, bound to the client's id), as TOTP seeds are. A database dump alone
// opens nothing.
//
// A registered NAS is a relay (relays.ts): every one of its users' attempts arrives from its address,
// so it gets no source counter and never becomes a familiar source; attempts still count per account.

import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import { newId } from '../crypto/ids.js';
import { open, seal } from '../crypto/secret-box.js';
import { insertSignInEvent } from '../store/events.js';
import {
  deleteRadiusClientRow,
  findRadiusClientByName,
  insertRadiusClient,
  listRadiusClientRows,
  type RadiusClientRow,
} from '../store/radius-clients.js';
import { deleteRadiusReplyRulesOfClient } from '../store/radius-replies.js';
import { findUserByEmail, findUserByName } from '../store/users.js';
import { recordAudit } from './audit.js';
import type { CoreContext } from './context.js';
import { LatchkeyError } from './errors.js';
import { type Actor, authorize } from './policy.js';
import { asciiLower, isValidUsername, normalizeIp, signInName } from './validate.js';

export interface RadiusClientView {
  id: string;
  name: string;
  address: string;
  requireMessageAuthenticator: boolean;
  createdAt: string;
}

/** What the RADIUS door needs of a client: its range and its secret, opened. Never leaves the process. */
export interface RadiusClientEntry {
  id: string;
  name: string;
  address: string;
  secret: Buffer;
  requireMessageAuthenticator: boolean;
}

const view = (r: RadiusClientRow): RadiusClientView => ({
  id: r.id,
  name: r.name,
  address: r.cidr,
  requireMessageAuthenticator: r.require_message_authenticator === 1,
  createdAt: new Date(Number(r.created_at)).toISOString(),
});

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

// The error registry has no RADIUS codes yet (src/core/errors.ts is shared); the service-account codes
// carry the right status, with a sentence of our own.
export function checkRadiusClientName(name: unknown): string {
  const n = typeof name === 'string' ? asciiLower(name.trim()) : '';
  if (!NAME.test(n)) {
    throw new LatchkeyError('SERVICE_NAME_INVALID', { detail: 'radiusClientName' });
  }
  return n;
}

/** "192.0.2.7" → "192.0.2.7/32"; "10.0.0.0/24" stays; IPv6 in its compressed form. */
export function checkRadiusAddress(address: unknown): string {
  const bad = () => new LatchkeyError('SERVICE_NAME_INVALID', { detail: 'radiusClientAddress' });
  if (typeof address !== 'string') throw bad();
  const [addr = '', bits, extra] = address.trim().split('/');
  if (extra !== undefined) throw bad();
  const ip = normalizeIp(addr);
  const family = ip ? isIP(ip) : 0;
  if (family === 0) throw bad();
  const max = family === 4 ? 32 : 128;
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) throw bad();
  const len = bits === undefined ? max : Number(bits);
  if (len > max) throw bad();
  return `${ip}/${len}`;
}

/** 192 bits in 32 characters from [A-Za-z0-9_-]: within what NAS configuration screens accept. */
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * 32 letters and digits (190 bits): a secret an operator can paste anywhere as written, a NAS's form, a
 * clients.conf, or the command line of radclient and radtest, where base64url's leading "-" (one secret
 * in 64) was read as an option.
 */
export function generateSharedSecret(): string {
  let out = '';
  for (let i = 0; i < 32; i++) out += SECRET_ALPHABET[randomInt(SECRET_ALPHABET.length)];
  return out;
}

const secretContext = (id: string) => `radius-client:${id}`;

export async function addRadiusClient(
  ctx: CoreContext,
  actor: Actor,
  input: { name: string; address: string; requireMessageAuthenticator?: boolean },
): Promise<RadiusClientView & { secret: string }> {
  authorize(actor, 'services.manage');
  const name = checkRadiusClientName(input.name);
  const cidr = checkRadiusAddress(input.address);
  const require = input.requireMessageAuthenticator !== false;
  const secret = generateSharedSecret();
  const id = newId();
  const row: RadiusClientRow = {
    id,
    name,
    cidr,
    secret_sealed: seal(ctx.keys.encryption, secret, secretContext(id)),
    require_message_authenticator: require ? 1 : 0,
    created_at: ctx.now(),
  };
  await ctx.store.transaction(async (trx) => {
    if (await findRadiusClientByName(trx, name)) {
      throw new LatchkeyError('SERVICE_EXISTS', { detail: 'radiusClientExists' });
    }
    await insertRadiusClient(trx, row);
    await recordAudit(ctx, trx, actor, 'radius_client.created', `radius-client:${name}`, {
      address: cidr,
      requireMessageAuthenticator: require,
    });
  });
  return { ...view(row), secret };
}

export async function listRadiusClients(ctx: CoreContext, actor: Actor): Promise<RadiusClientView[]> {
  authorize(actor, 'services.manage');
  return (await listRadiusClientRows(ctx.store.db)).map(view);
}

export async function deleteRadiusClient(ctx: CoreContext, actor: Actor, name: string): Promise<void> {
  authorize(actor, 'services.manage');
  const n = checkRadiusClientName(name);
  await ctx.store.transaction(async (trx) => {
    const row = await findRadiusClientByName(trx, n);
    if (!row) throw new LatchkeyError('SERVICE_NOT_FOUND', { detail: 'radiusClientNotFound' });
    // Its own reply rules go with it (migration 014 has no foreign key).
    const rules = await deleteRadiusReplyRulesOfClient(trx, row.id);
    await deleteRadiusClientRow(trx, row.id);
    await recordAudit(
      ctx,
      trx,
      actor,
      'radius_client.deleted',
      `radius-client:${n}`,
      rules > 0 ? { replyRulesDeleted: rules } : null,
    );
  });
}

/**
 * Every client with its secret opened, for the RADIUS door (which re-reads them about once a second).
 * A row whose secret does not open under this key is left out: its packets are dropped like a
 * stranger's.
 */
export async function radiusClientsForDoor(ctx: CoreContext): Promise<RadiusClientEntry[]> {
  const out: RadiusClientEntry[] = [];
  for (const r of await listRadiusClientRows(ctx.store.db)) {
    const secret = open(ctx.keys.encryption, r.secret_sealed, secretContext(r.id));
    if (secret === null) continue;
    out.push({
      id: r.id,
      name: r.name,
      address: r.cidr,
      secret: Buffer.from(secret, 'utf8'),
      requireMessageAuthenticator: r.require_message_authenticator === 1,
    });
  }
  return out;
}

/**
 * A request refused before the decision (CHAP, MS-CHAP, EAP: methods that need the password itself,
 * which is never stored). Written to the sign-in log at once, like every refusal; it is no guess, so it
 * counts against nobody.
 */
export async function recordRadiusRefusal(
  ctx: CoreContext,
  attempt: { username: string; ip: string | null; userAgent: string | null; reason: string },
): Promise<void> {
  const at = ctx.now();
  // Under the account when the name is one, so that its owner sees in the portal that their VPN or
  // Wi-Fi tried a method that cannot work.
  const name = signInName(attempt.username);
  const user = isValidUsername(name)
    ? await findUserByName(ctx.store.db, name)
    : name.includes('@') && name.length <= 254
      ? await findUserByEmail(ctx.store.db, name)
      : undefined;
  await insertSignInEvent(ctx.store.db, {
    at,
    last_at: at,
    count: 1,
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point.
    username: attempt.username.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 256),
    user_id: user?.id ?? null,
    door: 'radius',
    ip: normalizeIp(attempt.ip),
    user_agent: attempt.userAgent,
    result: 'refused',
    reason: attempt.reason,
    credential: null,
    app_password_id: null,
    app_password_label: null,
    bucket: null,
  });
}

/** How long a NAS address stays a relay after its last packet (as service addresses do). */
const NAS_RELAY_MS = 86_400_000;
const MAX_NAS_ADDRESSES = 10_000;

/**
 * Addresses registered NAS sent packets from: relays for the decision. Noted by the door before it asks
 * the decision, in this process; each node learns of the NAS that talk to it.
 */
export class NasRelays {
  private readonly seen = new Map<string, number>();
  constructor(private readonly now: () => number) {}

  note(ip: string): void {
    if (this.seen.size >= MAX_NAS_ADDRESSES && !this.seen.has(ip)) this.seen.clear();
    this.seen.set(ip, this.now());
  }

  has(ip: string): boolean {
    if (this.seen.size === 0) return false;
    const at = this.seen.get(ip);
    return at !== undefined && at > this.now() - NAS_RELAY_MS;
  }
}

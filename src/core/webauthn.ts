// Security keys and passkeys (WebAuthn) as a second step (spec §1 R1, §3 browser door). The browser
// talks to the authenticator through @simplewebauthn/browser (static/webauthn.js); this file makes the
// options the page hands it and checks what comes back, with @simplewebauthn/server.
//
// The relying party is LATCHKEY_PUBLIC_URL: its hostname is the RP ID the credential is bound to, its
// origin is the only origin accepted. The challenge lives in the caller's persisted sign-in flow (not
// in node memory), so any node can finish a ceremony another node started.
//
// Everything the browser sends is treated as hostile: a wrong shape, a failed check or a library error
// all become SECURITY_KEY_FAILED, whose message says nothing about why (library messages can echo
// attacker-controlled values and tell a prober which check it got past).

import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import {
  findMethodByCredentialId,
  findMethodRow,
  listMethodRows,
  updateWebAuthnUse,
} from '../store/methods.js';
import type { TwoStepMethodRow } from '../store/schema.js';
import { lockUser } from '../store/users.js';
import type { CoreContext } from './context.js';
import { LatchkeyError } from './errors.js';
import { addMethodRow } from './methods.js';
import type { Actor } from './policy.js';

/** How long the browser waits for a touch: two minutes, room for finding the key in a bag. */
const TIMEOUT_MS = 120_000;
/** ES256 (every security key and passkey) and RS256 (Windows Hello); the same list both ways. */
const ALGORITHMS = [-7, -257];
/** WebAuthn L3 §5.4.3: relying parties ignore credential ids over 1023 bytes (base64url: 1364 chars). */
const MAX_CREDENTIAL_ID_CHARS = 1364;
const TRANSPORTS: ReadonlySet<string> = new Set([
  'ble',
  'cable',
  'hybrid',
  'internal',
  'nfc',
  'smart-card',
  'usb',
]);

/**
 * The library, loaded with the first ceremony: with its CBOR and ASN.1 parsers it is 10–14 MB of a
 * server's resident memory that a server whose people use no security key never needs (issue 11's
 * RSS line). Every call below is already asynchronous.
 */
let library: Promise<typeof import('@simplewebauthn/server')> | null = null;
/**
 * Awaited before any `try` that turns a failed check into SECURITY_KEY_FAILED, so that a library that
 * cannot load is an internal error, never a wrong key counted against the person. A failed load is
 * tried again at the next ceremony.
 */
const simpleWebAuthn = () => {
  library ??= import('@simplewebauthn/server').catch((e: unknown) => {
    library = null;
    throw e;
  });
  return library;
};

function relyingParty(ctx: CoreContext): { rpID: string; origin: string } {
  const url = new URL(ctx.publicUrl);
  return { rpID: url.hostname, origin: url.origin };
}

/** Transports as stored (comma-separated) → the list the browser uses to pick USB, NFC, hybrid... */
function parseTransports(stored: string | null): string[] | undefined {
  if (!stored) return undefined;
  const list = stored.split(',').filter((t) => TRANSPORTS.has(t));
  return list.length > 0 ? list : undefined;
}

/** Transports reported by the browser, kept only when they are known names (they come from the client). */
function cleanTransports(value: unknown): string | null {
  if (!Array.isArray(value)) return null;
  const list = [...new Set(value.filter((t): t is string => typeof t === 'string' && TRANSPORTS.has(t)))];
  return list.length > 0 ? list.join(',') : null;
}

function webAuthnRows(rows: TwoStepMethodRow[]): (TwoStepMethodRow & { credential_id: string })[] {
  return rows.filter(
    (m): m is TwoStepMethodRow & { credential_id: string } =>
      m.kind === 'webauthn' && m.credential_id !== null,
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** The outer shape every credential response shares; the library assumes it and would throw a TypeError. */
function credentialShape(
  v: unknown,
  fields: readonly string[],
): v is Record<string, unknown> & {
  id: string;
  rawId: string;
  response: Record<string, unknown>;
} {
  if (!isRecord(v) || !isText(v.id) || v.id.length > MAX_CREDENTIAL_ID_CHARS) return false;
  if (v.rawId !== v.id || v.type !== 'public-key' || !isRecord(v.response)) return false;
  const r = v.response;
  return fields.every((f) => isText(r[f]));
}

/** A fresh challenge and the options for navigator.credentials.create(). */
export async function webAuthnRegistrationOptions(
  ctx: CoreContext,
  user: { id: string; username: string; displayName: string | null },
): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; challenge: string }> {
  const { rpID } = relyingParty(ctx);
  const existing = webAuthnRows(await listMethodRows(ctx.store.db, user.id));
  const options = await (await simpleWebAuthn()).generateRegistrationOptions({
    rpName: 'Latchkey',
    rpID,
    userName: user.username,
    userDisplayName: user.displayName ?? user.username,
    // The stable internal id, not the username: a rename must not orphan a passkey's account entry.
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    // The authenticator refuses to make a second credential for a key this person already registered.
    excludeCredentials: existing.map((m) => ({
      id: m.credential_id,
      transports: parseTransports(m.transports),
    })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    supportedAlgorithmIDs: ALGORITHMS,
    timeout: TIMEOUT_MS,
  });
  return { options, challenge: options.challenge };
}

/**
 * Checks the browser's answer to the registration options and saves the key as a method. The first
 * method finishes registration (enabled → enforced), as addMethodRow does for every kind.
 */
export async function addWebAuthnMethod(
  ctx: CoreContext,
  actor: Actor,
  userId: string,
  input: { response: unknown; challenge: string; name: unknown },
  opts: { onlyIfFirst?: boolean } = {},
): Promise<{ id: string; finishedRegistration: boolean }> {
  const response = input.response;
  if (!credentialShape(response, ['clientDataJSON', 'attestationObject']) || !isText(input.challenge)) {
    throw new LatchkeyError('SECURITY_KEY_FAILED');
  }
  const { rpID, origin } = relyingParty(ctx);
  const { verifyRegistrationResponse } = await simpleWebAuthn();
  let credential: { id: string; publicKey: Uint8Array; counter: number };
  try {
    const result = await verifyRegistrationResponse({
      response: response as unknown as RegistrationResponseJSON,
      expectedChallenge: input.challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      // A second step needs possession only (the password was the first factor); a key without a PIN
      // is still a key.
      requireUserVerification: false,
      supportedAlgorithmIDs: ALGORITHMS,
    });
    if (!result.verified) throw new LatchkeyError('SECURITY_KEY_FAILED');
    credential = result.registrationInfo.credential;
  } catch {
    throw new LatchkeyError('SECURITY_KEY_FAILED');
  }
  if (credential.id.length > MAX_CREDENTIAL_ID_CHARS) throw new LatchkeyError('SECURITY_KEY_FAILED');
  const alreadyRegistered = () =>
    new LatchkeyError('SECURITY_KEY_FAILED', { detail: 'securityKeyRegistered' });
  // Checked first for a clear answer; the unique index still decides when two requests race.
  if (await findMethodByCredentialId(ctx.store.db, credential.id)) throw alreadyRegistered();
  try {
    return await addMethodRow(
      ctx,
      actor,
      userId,
      {
        kind: 'webauthn',
        name: input.name,
        totp_secret: null,
        totp_last_step: null,
        // The id from the verified authenticator data, not the client's `id` field.
        credential_id: credential.id,
        public_key: Buffer.from(credential.publicKey),
        sign_count: credential.counter,
        transports: cleanTransports((response.response as Record<string, unknown>).transports),
      },
      opts,
    );
  } catch (e) {
    if (!(e instanceof LatchkeyError) && /unique|duplicate/i.test((e as Error)?.message ?? '')) {
      throw alreadyRegistered();
    }
    throw e;
  }
}

/** A fresh challenge and the options for navigator.credentials.get(); null without a security key. */
export async function webAuthnAuthenticationOptions(
  ctx: CoreContext,
  userId: string,
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; challenge: string } | null> {
  const keys = webAuthnRows(await listMethodRows(ctx.store.db, userId));
  if (keys.length === 0) return null;
  const options = await (await simpleWebAuthn()).generateAuthenticationOptions({
    rpID: relyingParty(ctx).rpID,
    // Listing the person's credentials lets a plain security key (no stored account) answer, and keeps
    // a passkey from another account on the same device out of the picker.
    allowCredentials: keys.map((m) => ({ id: m.credential_id, transports: parseTransports(m.transports) })),
    userVerification: 'preferred',
    timeout: TIMEOUT_MS,
  });
  return { options, challenge: options.challenge };
}

/**
 * Checks an assertion against this user's security keys: the method id when it is good, else null
 * (never throws for bad input). The signature counter is compared and advanced under the user's row
 * lock, so two requests carrying the same assertion cannot both pass on a key that counts.
 */
export async function verifyWebAuthn(
  ctx: CoreContext,
  userId: string,
  response: unknown,
  challenge: string,
): Promise<string | null> {
  if (
    !credentialShape(response, ['clientDataJSON', 'authenticatorData', 'signature']) ||
    !isText(challenge)
  ) {
    return null;
  }
  const row = await findMethodByCredentialId(ctx.store.db, response.id);
  // Another person's key proves nothing about this one.
  if (!row || row.user_id !== userId || row.kind !== 'webauthn' || !row.public_key || !row.credential_id) {
    return null;
  }
  const { rpID, origin } = relyingParty(ctx);
  const stored = row.sign_count ?? 0;
  const { verifyAuthenticationResponse } = await simpleWebAuthn();
  let counter: number;
  try {
    const result = await verifyAuthenticationResponse({
      response: response as unknown as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: {
        id: row.credential_id,
        // A copy: the library wants a Uint8Array over a plain ArrayBuffer, and a Buffer may be a view
        // into Node's shared pool.
        publicKey: new Uint8Array(row.public_key),
        // The library refuses a counter that is not above this one when either is non-zero: a key
        // that went backwards has probably been cloned. Keys that do not count always report 0.
        counter: stored,
        transports: parseTransports(row.transports),
      },
      requireUserVerification: false,
    });
    if (!result.verified) return null;
    counter = result.authenticationInfo.newCounter;
  } catch {
    return null;
  }
  const now = ctx.now();
  // A store failure is not a bad key: it propagates, so the page says "try again" rather than "wrong".
  return ctx.store.transaction(async (trx) => {
    await lockUser(trx, userId);
    const current = await findMethodRow(trx, userId, row.id);
    // The key was removed meanwhile, or a concurrent request already used this counter value.
    if (!current || (current.sign_count ?? 0) !== stored) return null;
    await updateWebAuthnUse(trx, row.id, counter, now);
    return row.id;
  });
}

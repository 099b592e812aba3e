// Security keys and passkeys (src/core/webauthn.ts) against a real SQLite file and a real PostgreSQL
// database. No browser: a small software authenticator below makes real ES256 credentials and
// assertions (CBOR, authenticator data, DER signatures) exactly as a security key would, so the checks
// of @simplewebauthn/server run for real.

import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../src/core/errors.js';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import {
  addWebAuthnMethod,
  verifyWebAuthn,
  webAuthnAuthenticationOptions,
  webAuthnRegistrationOptions,
} from '../src/core/webauthn.js';
import { listMethodRows } from '../src/store/methods.js';
import { type StoreKind, storeKinds, type TestStore } from './helpers/stores.js';

const kinds: StoreKind[] = await storeKinds();
const admin: Actor = { kind: 'system', name: 'test', ip: null };
const PUBLIC_URL = 'http://localhost:8080';
const ORIGIN = 'http://localhost:8080';
const RP_ID = 'localhost';

// ---- a software authenticator

const b64u = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

/** Just enough CBOR (RFC 8949) for a COSE key and an attestation object. */
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;
function cborHead(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  const b = Buffer.alloc(3);
  b[0] = (major << 5) | 25;
  b.writeUInt16BE(n, 1);
  return b;
}
function cbor(v: Cbor): Buffer {
  if (typeof v === 'number') return v >= 0 ? cborHead(0, v) : cborHead(1, -1 - v);
  if (typeof v === 'string') return Buffer.concat([cborHead(3, Buffer.byteLength(v)), Buffer.from(v)]);
  if (v instanceof Uint8Array) return Buffer.concat([cborHead(2, v.length), v]);
  const parts = [cborHead(5, v.size)];
  for (const [k, x] of v) parts.push(cbor(k), cbor(x));
  return Buffer.concat(parts);
}

function counterBytes(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

interface Ceremony {
  challenge: string;
  origin?: string;
  rpId?: string;
  /** User verification (PIN, fingerprint): plain keys leave it off. */
  uv?: boolean;
}

class SoftKey {
  readonly id = randomBytes(32);
  private readonly privateKey: KeyObject;
  private readonly cose: Buffer;
  counter: number;

  constructor(opts: { counter?: number } = {}) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    // COSE_Key: kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y.
    this.cose = cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    this.counter = opts.counter ?? 0;
  }

  get credentialId(): string {
    return b64u(this.id);
  }

  private clientData(type: string, c: Ceremony): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge: c.challenge, origin: c.origin ?? ORIGIN }));
  }

  private flags(c: Ceremony, attested: boolean): number {
    // UP (user present) always; UV when asked; AT when credential data follows.
    return 0x01 | (c.uv === false ? 0 : 0x04) | (attested ? 0x40 : 0);
  }

  /** What startRegistration() hands the page: RegistrationResponseJSON. */
  create(c: Ceremony): Record<string, unknown> {
    const authData = Buffer.concat([
      sha256(c.rpId ?? RP_ID),
      Buffer.from([this.flags(c, true)]),
      counterBytes(this.counter),
      Buffer.alloc(16), // AAGUID: none
      Buffer.from([this.id.length >> 8, this.id.length & 0xff]),
      this.id,
      this.cose,
    ]);
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: b64u(this.clientData('webauthn.create', c)),
        attestationObject: b64u(attestationObject),
        transports: ['usb', 'nfc', 'bogus'],
      },
      clientExtensionResults: {},
    };
  }

  /** What startAuthentication() hands the page: AuthenticationResponseJSON. `counter` overrides. */
  get(c: Ceremony & { counter?: number; signWith?: KeyObject }): Record<string, unknown> {
    if (c.counter === undefined) {
      if (this.counter > 0) this.counter++;
    } else {
      this.counter = c.counter;
    }
    const authData = Buffer.concat([
      sha256(c.rpId ?? RP_ID),
      Buffer.from([this.flags(c, false)]),
      counterBytes(this.counter),
    ]);
    const clientDataJSON = this.clientData('webauthn.get', c);
    // ECDSA over authData ‖ SHA-256(clientDataJSON), DER-encoded (node's default for EC keys).
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(clientDataJSON)]),
      c.signWith ?? this.privateKey,
    );
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: b64u(clientDataJSON),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
      },
      clientExtensionResults: {},
    };
  }
}

describe.each(kinds)('security keys on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  const clock = Date.UTC(2026, 10, 22, 12, 0, 0);
  const now = () => clock;

  beforeAll(async () => {
    if (!kind.available) return;
    t = await kind.open();
    core = await createCore({ store: t.store, keys: t.keys, now, flushIntervalMs: 0, publicUrl: PUBLIC_URL });
  });
  afterAll(async () => {
    if (!kind.available) return;
    await core.close();
    await t.cleanup();
  });

  const test = kind.available ? it : it.skip;
  let seq = 0;

  /** A fresh person with two-step `enabled` (registration pending), and their own actor. */
  async function person() {
    const username = `key${++seq}`;
    const u = await core.users.createUser(admin, { username, displayName: `Key Person ${seq}` });
    await core.twoStep.setTwoStepState(admin, username, 'enabled');
    const actor: Actor = { kind: 'user', userId: u.id, username, role: 'user', ip: null };
    return { id: u.id, username, displayName: u.displayName, actor };
  }

  async function register(p: Awaited<ReturnType<typeof person>>, key: SoftKey, name = 'YubiKey') {
    const { challenge } = await webAuthnRegistrationOptions(core.ctx, p);
    return addWebAuthnMethod(core.ctx, p.actor, p.id, {
      response: key.create({ challenge }),
      challenge,
      name,
    });
  }

  const methods = (userId: string) => listMethodRows(core.ctx.store.db, userId);
  const state = async (username: string) => (await core.users.getUser(admin, username)).twoStep;
  const refused = { code: 'SECURITY_KEY_FAILED' };

  describe('registration', () => {
    test('options name the relying party, the person and the algorithms', async () => {
      const p = await person();
      const { options, challenge } = await webAuthnRegistrationOptions(core.ctx, p);
      expect(options.challenge).toBe(challenge);
      expect(challenge).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect(options.rp).toEqual({ name: 'Latchkey', id: RP_ID });
      expect(options.user).toEqual({ id: b64u(p.id), name: p.username, displayName: p.displayName });
      expect(options.pubKeyCredParams.map((x) => x.alg)).toEqual([-7, -257]);
      expect(options.timeout).toBe(120_000);
      expect(options.attestation).toBe('none');
      expect(options.authenticatorSelection).toMatchObject({
        residentKey: 'preferred',
        userVerification: 'preferred',
      });
      expect(options.excludeCredentials).toEqual([]);
      // A new challenge every time.
      expect((await webAuthnRegistrationOptions(core.ctx, p)).challenge).not.toBe(challenge);
    });

    test('a good key becomes the default method and finishes registration', async () => {
      const p = await person();
      const key = new SoftKey();
      expect(await register(p, key)).toEqual({ id: expect.any(String), finishedRegistration: true });
      const rows = await methods(p.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        kind: 'webauthn',
        name: 'YubiKey',
        is_default: 1,
        credential_id: key.credentialId,
        sign_count: 0,
        // Unknown transport names from the browser are dropped.
        transports: 'usb,nfc',
        totp_secret: null,
      });
      expect(Buffer.isBuffer(rows[0]!.public_key)).toBe(true);
      expect(await state(p.username)).toBe('enforced');

      // A second key: not the default, nothing left to finish; the first is excluded in the options.
      const { options } = await webAuthnRegistrationOptions(core.ctx, p);
      expect(options.excludeCredentials).toEqual([
        { id: key.credentialId, type: 'public-key', transports: ['usb', 'nfc'] },
      ]);
      const second = new SoftKey();
      expect(await register(p, second, 'Phone')).toMatchObject({ finishedRegistration: false });
      const after = await methods(p.id);
      expect(after.map((m) => m.is_default).sort()).toEqual([0, 1]);
    });

    test('a key without user verification (no PIN) is accepted: it is the second step', async () => {
      const p = await person();
      const key = new SoftKey();
      const { challenge } = await webAuthnRegistrationOptions(core.ctx, p);
      await addWebAuthnMethod(core.ctx, p.actor, p.id, {
        response: key.create({ challenge, uv: false }),
        challenge,
        name: 'Plain key',
      });
      expect(await methods(p.id)).toHaveLength(1);
    });

    test('wrong challenge, origin or relying party, and garbage, are refused and add nothing', async () => {
      const p = await person();
      const key = new SoftKey();
      const { challenge } = await webAuthnRegistrationOptions(core.ctx, p);
      const other = (await webAuthnRegistrationOptions(core.ctx, p)).challenge;
      const attempts: unknown[] = [
        key.create({ challenge: other }),
        key.create({ challenge, origin: 'https://evil.example' }),
        key.create({ challenge, origin: 'http://localhost:8081' }),
        key.create({ challenge, rpId: 'evil.example' }),
        null,
        'not json at all',
        42,
        [],
        {},
        { id: 'abc', rawId: 'abc', type: 'public-key' },
        {
          id: 'abc',
          rawId: 'abd',
          type: 'public-key',
          response: { clientDataJSON: 'x', attestationObject: 'y' },
        },
        {
          id: 'abc',
          rawId: 'abc',
          type: 'public-key',
          response: { clientDataJSON: '!!', attestationObject: '??' },
        },
        {
          ...key.create({ challenge }),
          response: { ...(key.create({ challenge }).response as object), attestationObject: b64u('garbage') },
        },
        { ...key.create({ challenge }), type: 'password' },
      ];
      for (const response of attempts) {
        const e = await addWebAuthnMethod(core.ctx, p.actor, p.id, {
          response,
          challenge,
          name: 'Key',
        }).catch((x: unknown) => x);
        expect(e).toMatchObject(refused);
        // The library's reasons (which may echo what was sent) never reach the person.
        expect((e as Error).message).toBe(ERRORS.SECURITY_KEY_FAILED.message);
      }
      // An empty challenge (a flow without one) matches nothing.
      await expect(
        addWebAuthnMethod(core.ctx, p.actor, p.id, {
          response: key.create({ challenge: '' }),
          challenge: '',
          name: 'K',
        }),
      ).rejects.toMatchObject(refused);
      expect(await methods(p.id)).toEqual([]);
      expect(await state(p.username)).toBe('enabled');
    });

    test('the same key registered again is refused with its own message', async () => {
      const p = await person();
      const key = new SoftKey();
      await register(p, key);
      const e = await register(p, key, 'Again').catch((x: unknown) => x);
      expect(e).toMatchObject(refused);
      expect((e as Error).message).toMatch(/already registered/);
      // Also when another person presents the same credential.
      const q = await person();
      await expect(register(q, key)).rejects.toMatchObject(refused);
      expect(await methods(p.id)).toHaveLength(1);
      expect(await methods(q.id)).toEqual([]);
    });

    test('two requests racing to register one key: one gets through', async () => {
      const p = await person();
      const key = new SoftKey();
      const { challenge } = await webAuthnRegistrationOptions(core.ctx, p);
      const response = key.create({ challenge });
      const results = await Promise.allSettled(
        [1, 2, 3].map(() => addWebAuthnMethod(core.ctx, p.actor, p.id, { response, challenge, name: 'K' })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toMatchObject(refused);
      }
      expect(await methods(p.id)).toHaveLength(1);
    });

    test('a bad name is refused after a good ceremony, and nothing is stored', async () => {
      const p = await person();
      await expect(register(p, new SoftKey(), '')).rejects.toMatchObject({ code: 'METHOD_NAME_INVALID' });
      expect(await methods(p.id)).toEqual([]);
    });

    test('nobody adds a key to someone else', async () => {
      const p = await person();
      const q = await person();
      const key = new SoftKey();
      const { challenge } = await webAuthnRegistrationOptions(core.ctx, p);
      await expect(
        addWebAuthnMethod(core.ctx, q.actor, p.id, {
          response: key.create({ challenge }),
          challenge,
          name: 'K',
        }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(await methods(p.id)).toEqual([]);
    });
  });

  describe('authentication', () => {
    test('no options for a person without a security key', async () => {
      const p = await person();
      expect(await webAuthnAuthenticationOptions(core.ctx, p.id)).toBeNull();
    });

    test('options list the person’s keys with their transports', async () => {
      const p = await person();
      const key = new SoftKey();
      await register(p, key);
      const got = await webAuthnAuthenticationOptions(core.ctx, p.id);
      expect(got).not.toBeNull();
      expect(got!.options).toMatchObject({
        challenge: got!.challenge,
        rpId: RP_ID,
        timeout: 120_000,
        userVerification: 'preferred',
        allowCredentials: [{ id: key.credentialId, type: 'public-key', transports: ['usb', 'nfc'] }],
      });
    });

    test('a good assertion passes and advances the counter; a replay does not', async () => {
      const p = await person();
      const key = new SoftKey({ counter: 1 });
      const { id } = await register(p, key);
      expect((await methods(p.id))[0]!.sign_count).toBe(1);

      const { challenge } = (await webAuthnAuthenticationOptions(core.ctx, p.id))!;
      const assertion = key.get({ challenge });
      expect(await verifyWebAuthn(core.ctx, p.id, assertion, challenge)).toBe(id);
      const row = (await methods(p.id))[0]!;
      expect(row.sign_count).toBe(2);
      expect(row.last_used_at).toBe(clock);

      // The same assertion again (same counter), even with its own challenge: refused.
      expect(await verifyWebAuthn(core.ctx, p.id, assertion, challenge)).toBeNull();
      // A new challenge signed with the same counter: refused (a cloned key would do this).
      const c2 = (await webAuthnAuthenticationOptions(core.ctx, p.id))!.challenge;
      expect(await verifyWebAuthn(core.ctx, p.id, key.get({ challenge: c2, counter: 2 }), c2)).toBeNull();
      // Going backwards: refused.
      expect(await verifyWebAuthn(core.ctx, p.id, key.get({ challenge: c2, counter: 1 }), c2)).toBeNull();
      // Forward again: accepted, the stored counter follows.
      expect(await verifyWebAuthn(core.ctx, p.id, key.get({ challenge: c2, counter: 9 }), c2)).toBe(id);
      expect((await methods(p.id))[0]!.sign_count).toBe(9);
    });

    test('a key that does not count (always 0, like synced passkeys) keeps working', async () => {
      const p = await person();
      const key = new SoftKey({ counter: 0 });
      const { id } = await register(p, key);
      for (let i = 0; i < 2; i++) {
        const { challenge } = (await webAuthnAuthenticationOptions(core.ctx, p.id))!;
        expect(await verifyWebAuthn(core.ctx, p.id, key.get({ challenge }), challenge)).toBe(id);
      }
      expect((await methods(p.id))[0]!.sign_count).toBe(0);
    });

    test('two requests racing with one assertion: only one passes', async () => {
      const p = await person();
      const key = new SoftKey({ counter: 10 });
      const { id } = await register(p, key);
      const { challenge } = (await webAuthnAuthenticationOptions(core.ctx, p.id))!;
      const assertion = key.get({ challenge });
      const results = await Promise.all(
        Array.from({ length: 4 }, () => verifyWebAuthn(core.ctx, p.id, assertion, challenge)),
      );
      expect(results.filter((r) => r === id)).toHaveLength(1);
      expect(results.filter((r) => r === null)).toHaveLength(3);
    });

    test('another person’s key, a wrong challenge, origin or signature, and garbage: null', async () => {
      const p = await person();
      const q = await person();
      const mine = new SoftKey({ counter: 1 });
      const theirs = new SoftKey({ counter: 1 });
      await register(p, mine);
      await register(q, theirs);
      const { challenge } = (await webAuthnAuthenticationOptions(core.ctx, p.id))!;
      const other = (await webAuthnAuthenticationOptions(core.ctx, p.id))!.challenge;
      const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

      // q's key, validly signed over p's challenge, proves nothing about p.
      expect(await verifyWebAuthn(core.ctx, p.id, theirs.get({ challenge }), challenge)).toBeNull();
      expect(await verifyWebAuthn(core.ctx, p.id, mine.get({ challenge: other }), challenge)).toBeNull();
      expect(
        await verifyWebAuthn(
          core.ctx,
          p.id,
          mine.get({ challenge, origin: 'https://evil.example' }),
          challenge,
        ),
      ).toBeNull();
      expect(
        await verifyWebAuthn(core.ctx, p.id, mine.get({ challenge, rpId: 'evil.example' }), challenge),
      ).toBeNull();
      expect(
        await verifyWebAuthn(core.ctx, p.id, mine.get({ challenge, signWith: stranger }), challenge),
      ).toBeNull();
      expect(await verifyWebAuthn(core.ctx, p.id, mine.get({ challenge }), '')).toBeNull();
      const garbage: unknown[] = [
        null,
        undefined,
        'x',
        { id: mine.credentialId },
        { id: mine.credentialId, rawId: mine.credentialId, type: 'public-key', response: {} },
        {
          id: mine.credentialId,
          rawId: mine.credentialId,
          type: 'public-key',
          response: { clientDataJSON: '!!', authenticatorData: '%%', signature: '&&' },
        },
        {
          id: mine.credentialId,
          rawId: mine.credentialId,
          type: 'public-key',
          response: { clientDataJSON: b64u('{'), authenticatorData: b64u('x'), signature: b64u('y') },
        },
        { id: 'x'.repeat(5000), rawId: 'x'.repeat(5000), type: 'public-key', response: {} },
      ];
      for (const g of garbage) expect(await verifyWebAuthn(core.ctx, p.id, g, challenge)).toBeNull();
      // Nothing above touched the counters or the last-used times.
      expect((await methods(p.id))[0]).toMatchObject({ sign_count: 1, last_used_at: null });
      expect((await methods(q.id))[0]).toMatchObject({ sign_count: 1, last_used_at: null });

      // And the good one still works.
      expect(await verifyWebAuthn(core.ctx, p.id, mine.get({ challenge }), challenge)).not.toBeNull();
    });
  });
});

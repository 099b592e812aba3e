// A real Dovecot (IMAP) with `passdb oauth2` asking Latchkey's introspection endpoint, configured with
// the blocks of docs/dovecot.md ("Mail with OAuth"), and curl as the mail client: XOAUTH2 and
// OAUTHBEARER logins with a live access token succeed; a revoked token and an expired one are refused;
// the sign-in log records each check under the door `imap`.
//
// Expiry: the server's clock (the core's `now`, which the provider's store reads) is moved past the
// token's lifetime, rather than giving some client a short lifetime that production would not have.

import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import {
  converse,
  DOVEADM,
  DOVECOT,
  docBlock,
  imapXoauth2,
  mailHome,
  nextClientAddress,
  type RunningDovecot,
  run,
  startDovecot,
} from './helpers/dovecot.js';
import { replaceExactly } from './helpers/nginx.js';
import { clientConfig, type OidcServer, REDIRECT, startOidcServer, tokensFor } from './helpers/oidc.js';
import { storeKinds, tempDir } from './helpers/stores.js';

/** What a mail app asks for: the `mail` scope is what lets its token open the mailbox. */
const MAIL = 'openid profile email mail';
const CURL = ['/usr/bin/curl', '/usr/local/bin/curl'].find((p) => existsSync(p)) ?? null;
// passdb oauth2 is part of Dovecot's auth process (dovecot-core), not a plugin.
const OAUTH2 =
  existsSync('/usr/lib/dovecot/auth') && readFileSync('/usr/lib/dovecot/auth').includes('passdb_oauth2');
const available = DOVECOT !== null && DOVEADM !== null && CURL !== null && OAUTH2;
if (!available && process.env.CI === 'true') {
  throw new Error(
    'Dovecot with passdb oauth2 and curl are required in CI (apt-get install -y dovecot-imapd curl).',
  );
}
if (!available)
  console.warn('Dovecot (with passdb oauth2) or curl is missing: skipping the Dovecot OAuth test.');

const admin: Actor = { kind: 'system', name: 'test', ip: null };
const PASSWORD = 'alice primary password';

describe.skipIf(!available)('Dovecot IMAP with passdb oauth2 against Latchkey', () => {
  let server: OidcServer;
  let core: Core;
  let issuer = '';
  let dir = '';
  let dovecot: RunningDovecot;
  let mailApp: oidc.Configuration;
  let aliceId = '';
  /** How far the server's clock is ahead of the real one. */
  let skew = 0;

  /**
   * curl as the mail client: exit code and what it printed (67 is "login denied"). curl 7.88 sends
   * OAUTHBEARER whenever the server offers it, whatever --login-options asks (curl issue 10259), so
   * XOAUTH2 is spoken by xoauth2Login below. Each login from its own loopback address.
   */
  async function curlLogin(user: string, token: string): Promise<{ code: number; out: string }> {
    try {
      const r = await run(
        CURL!,
        [
          '--silent',
          '--show-error',
          '--max-time',
          '10',
          '--interface',
          nextClientAddress(),
          '--user',
          `${user}:`,
          '--login-options',
          'AUTH=OAUTHBEARER',
          '--oauth2-bearer',
          token,
          `imap://127.0.0.1:${dovecot.imapPort}/`,
        ],
        { timeout: 15_000 },
      );
      return { code: 0, out: r.stdout };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof err.code === 'number' ? err.code : -1, out: `${err.stdout}${err.stderr}` };
    }
  }

  /** An IMAP AUTHENTICATE XOAUTH2 (with the initial response, SASL-IR); the tagged answer. */
  const xoauth2Login = (user: string, token: string) => imapXoauth2(dovecot.imapPort, user, token);

  /**
   * Postfix's side of Dovecot SASL (smtpd_sasl_type = dovecot): the auth protocol on Dovecot's
   * auth-client socket, one OAUTHBEARER request for `service`, as Postfix sends it for SMTP AUTH.
   * Returns Dovecot's answer line (OK, FAIL).
   */
  function saslAuth(service: string, user: string, token: string): Promise<string> {
    const resp = Buffer.from(`n,a=${user},\x01auth=Bearer ${token}\x01\x01`).toString('base64');
    return converse(connect(dovecot.authClient), {
      hello: `VERSION\t1\t2\nCPID\t${process.pid}\n`,
      ready: /^DONE$/m,
      request: `AUTH\t1\tOAUTHBEARER\tservice=${service}\tnologin\tlip=127.0.0.1\trip=127.0.0.99\tresp=${resp}\n`,
      // A refusal comes as a challenge with the error first (RFC 7628): answer it with ^A.
      challenge: /^CONT\t1\t/m,
      answer: 'CONT\t1\tAQ==\n',
      result: /^(OK|FAIL)\t1[^\n]*/m,
      timeout: "no answer from Dovecot's auth",
    });
  }

  beforeAll(async () => {
    const [sqlite] = await storeKinds();
    server = await startOidcServer(sqlite!, { now: () => Date.now() + skew });
    ({ core, issuer } = server);
    await core.users.createUser(admin, { username: 'alice', email: 'alice@example.org', password: PASSWORD });
    aliceId = (await core.users.getUser(admin, 'alice')).id;
    // The mail client people use, and Dovecot, which only introspects (docs/dovecot.md, steps 1 and 2).
    const thunderbird = await core.oidcClients.addClient(admin, {
      name: 'thunderbird',
      redirectUris: [REDIRECT],
      public: true,
      trusted: true,
      // A mail app: its tokens may open the mailbox (the `mail` scope, never a default).
      scopes: ['openid', 'profile', 'email', 'offline_access', 'mail'],
    });
    mailApp = await clientConfig(issuer, thunderbird);
    const dovecotClient = await core.oidcClients.addClient(admin, {
      name: 'dovecot',
      redirectUris: ['https://mail.example.org/unused'],
      scopes: ['openid'],
    });

    dir = tempDir('latchkey-dovecot-oauth-');
    const home = await mailHome(dir);

    let oauth = docBlock('test/dovecot-oauth.test.ts runs the next block as dovecot-oauth2.conf.ext');
    oauth = replaceExactly(oauth, 'https://', 'http://', 1);
    oauth = replaceExactly(oauth, 'lkc_DOVECOT_CLIENT_ID', dovecotClient.clientId, 1);
    oauth = replaceExactly(oauth, 'lkcs_DOVECOT_CLIENT_SECRET', dovecotClient.clientSecret!, 1);
    oauth = replaceExactly(oauth, '@id.example.org/', `@127.0.0.1:${server.port}/`, 1);
    writeFileSync(join(dir, 'dovecot-oauth2.conf.ext'), oauth, { mode: 0o600 });
    let auth = docBlock('test/dovecot-oauth.test.ts runs the next block in dovecot.conf');
    auth = replaceExactly(
      auth,
      '/etc/dovecot/dovecot-oauth2.conf.ext',
      join(dir, 'dovecot-oauth2.conf.ext'),
      1,
    );

    dovecot = await startDovecot(dir, home, {
      instance: 'latchkey-oauth-test',
      authMechanisms: 'plain',
      config: [
        auth,
        // Production keeps the LDAP userdb of docs/dovecot.md section 2; here every person is at home
        // below the test directory.
        `userdb {\n  driver = static\n  args = uid=${home.mailUser} gid=${home.mailUser} home=${home.mail}/%n\n}`,
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await dovecot?.stop();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a live access token logs in with XOAUTH2 and OAUTHBEARER, as alice or alice@example.org', async () => {
    const tokens = await tokensFor(mailApp, issuer, 'alice', PASSWORD, MAIL);
    const x = await curlLogin('alice', tokens.access_token);
    expect(x, dovecot.log()).toMatchObject({ code: 0 });
    // Logged in, curl lists the mailboxes.
    expect(x.out).toContain('INBOX');
    expect(await xoauth2Login('alice', tokens.access_token)).toMatch(/^a1 OK/);
    expect(await curlLogin('alice@example.org', tokens.access_token)).toMatchObject({ code: 0 });
    expect(await xoauth2Login('alice@example.org', tokens.access_token)).toMatch(/^a1 OK/);
    // Someone else's name with alice's token: refused (curl's "login denied").
    expect(await curlLogin('bob', tokens.access_token)).toMatchObject({ code: 67 });
    expect(await xoauth2Login('bob', tokens.access_token)).toMatch(/^a1 NO/);
    expect(dovecot.log()).toMatch(/Login: user=<alice>, method=XOAUTH2/);
    expect(dovecot.log()).toMatch(/Login: user=<alice>, method=OAUTHBEARER/);
  });

  it("another app's token, granted no `mail` scope, does not open the mailbox", async () => {
    // The attack: an app alice let see only who she is replays its token over IMAP.
    const tokens = await tokensFor(mailApp, issuer, 'alice', PASSWORD, 'openid profile email');
    expect(await xoauth2Login('alice', tokens.access_token)).toMatch(/^a1 NO/);
    expect(await curlLogin('alice', tokens.access_token)).toMatchObject({ code: 67 });
    // Introspected by anyone else (no ?door=), it is still a live token, but it names nobody.
    const answer = await oidc.tokenIntrospection(mailApp, tokens.access_token);
    expect(answer).toMatchObject({ active: true, sub: aliceId });
    expect(answer.username).toBeUndefined();
  });

  it('introspection names the person as they are now: username, preferred_username, email', async () => {
    const tokens = await tokensFor(mailApp, issuer, 'alice', PASSWORD, MAIL);
    const answer = await oidc.tokenIntrospection(mailApp, tokens.access_token);
    expect(answer).toMatchObject({
      active: true,
      sub: aliceId,
      username: 'alice',
      preferred_username: 'alice',
      email: 'alice@example.org',
    });
    // Without the email scope, no address.
    const narrow = await tokensFor(mailApp, issuer, 'alice', PASSWORD, 'openid profile mail');
    const n = await oidc.tokenIntrospection(mailApp, narrow.access_token);
    expect(n).toMatchObject({ active: true, preferred_username: 'alice' });
    expect(n.email).toBeUndefined();
  });

  it('a revoked token is refused at once, and the sign-in log has the logins under imap', async () => {
    const tokens = await tokensFor(mailApp, issuer, 'alice', PASSWORD, MAIL);
    expect(await xoauth2Login('alice', tokens.access_token)).toMatch(/^a1 OK/);
    await oidc.tokenRevocation(mailApp, tokens.access_token);
    expect(await xoauth2Login('alice', tokens.access_token)).toMatch(/^a1 NO/);
    expect(await curlLogin('alice', tokens.access_token)).toMatchObject({ code: 67 });

    const log = await core.signInLog.listSignIns(admin, { username: 'alice', limit: 20 });
    const accepted = log.filter((e) => e.result === 'accepted' && e.door === 'imap');
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted[0]).toMatchObject({ credential: 'oidc_token', username: 'alice' });
    // Dovecot sent the mail client's address (send_auth_headers): one of the loopback addresses.
    expect(accepted[0]!.ip).toMatch(/^127\.0\.0\.\d+$/);
    expect(accepted[0]!.ip).not.toBe('127.0.0.1');
    // A revoked token is gone from the store, and with it whose it was: the refusal has no name.
    const all = await core.signInLog.listSignIns(admin, { door: 'imap', limit: 50 });
    expect(all.find((e) => e.result === 'refused' && e.username === '')).toMatchObject({
      credential: 'oidc_token',
      reason: 'invalid_credentials',
    });
  });

  it('SMTP AUTH through Dovecot SASL (the path Postfix takes) with a token is logged as smtp', async () => {
    const tokens = await tokensFor(mailApp, issuer, 'alice', PASSWORD, MAIL);
    expect(await saslAuth('smtp', 'alice', tokens.access_token)).toMatch(/^OK\t1\tuser=alice/);
    const log = await core.signInLog.listSignIns(admin, { username: 'alice', door: 'smtp', limit: 5 });
    expect(log[0]).toMatchObject({
      result: 'accepted',
      door: 'smtp',
      credential: 'oidc_token',
      ip: '127.0.0.99',
    });
    await oidc.tokenRevocation(mailApp, tokens.access_token);
    expect(await saslAuth('smtp', 'alice', tokens.access_token)).toMatch(/^FAIL\t1/);
  });

  it('an expired token is refused, and the refusal names its owner', async () => {
    const tokens = await tokensFor(mailApp, issuer, 'alice', PASSWORD, MAIL);
    expect(await curlLogin('alice', tokens.access_token)).toMatchObject({ code: 0 });
    // An hour and a minute later (access tokens live an hour).
    skew = 3660_000;
    try {
      expect(await curlLogin('alice', tokens.access_token)).toMatchObject({ code: 67 });
      expect(await xoauth2Login('alice', tokens.access_token)).toMatch(/^a1 NO/);
      const log = await core.signInLog.listSignIns(admin, { username: 'alice', limit: 5 });
      expect(log.find((e) => e.result === 'refused')).toMatchObject({
        door: 'imap',
        credential: 'oidc_token',
        reason: 'invalid_credentials',
      });
    } finally {
      skew = 0;
    }
  });

  it('a disabled person is refused with the token they had', async () => {
    await core.users.createUser(admin, { username: 'dave', password: PASSWORD });
    const tokens = await tokensFor(mailApp, issuer, 'dave', PASSWORD, MAIL);
    expect(await curlLogin('dave', tokens.access_token)).toMatchObject({ code: 0 });
    await core.users.setUserDisabled(admin, 'dave', true);
    expect(await curlLogin('dave', tokens.access_token)).toMatchObject({ code: 67 });
    expect(await xoauth2Login('dave', tokens.access_token)).toMatch(/^a1 NO/);
  });
});

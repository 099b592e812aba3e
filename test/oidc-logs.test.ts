// No secret of the OpenID Connect door reaches the log (issue 10, bad input): the server logs at
// debug level into a buffer while apps do everything right and many things wrong — client secrets in
// the body and in Basic, codes, PKCE verifiers, access and refresh tokens, a person's password — and
// none of them appears in any log line.

import { Writable } from 'node:stream';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/core/policy.js';
import {
  Browser,
  clientConfig,
  codeGrant,
  type OidcServer,
  REDIRECT,
  startCodeFlow,
  startOidcServer,
} from './helpers/oidc.js';
import { storeKinds } from './helpers/stores.js';

const [sqlite] = await storeKinds();
const system: Actor = { kind: 'system', name: 'test', ip: null };
const PASSWORD = 'correct horse battery staple';

describe('the OpenID Connect door and its log', () => {
  let s: OidcServer;
  let log = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      log += chunk.toString();
      done();
    },
  });

  beforeAll(async () => {
    s = await startOidcServer(sqlite!, { logLevel: 'debug', logStream: sink });
    await s.core.users.createUser(system, { username: 'alice', password: PASSWORD });
  });
  afterAll(async () => {
    await s.stop();
  });

  it('holds no client secret, code, verifier, token or password, whatever the apps send', async () => {
    const client = await s.core.oidcClients.addClient(system, {
      name: 'wiki',
      redirectUris: [REDIRECT],
      trusted: true,
    });
    const secrets: string[] = [client.clientSecret!, PASSWORD];
    const config = await clientConfig(s.issuer, client);
    const browser = new Browser(s.issuer);
    const flow = await startCodeFlow(config, browser, {
      scope: 'openid profile offline_access',
      prompt: 'consent',
    });
    const done = await browser.signIn(flow.first.page, 'alice', PASSWORD);
    const code = done.callback!.searchParams.get('code')!;
    secrets.push(code, flow.verifier);
    const tokens = await codeGrant(config, done.callback!, flow);
    secrets.push(tokens.access_token, tokens.refresh_token!, tokens.id_token!);
    await oidc.fetchUserInfo(config, tokens.access_token, oidc.skipSubjectCheck);
    await oidc.tokenIntrospection(config, tokens.access_token);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    secrets.push(refreshed.access_token, refreshed.refresh_token!);

    // Wrong things, each answered with an error: the code again, a wrong secret in the body, a
    // wrong password at the sign-in page, a forged bearer token, a malformed body.
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${s.issuer}/oidc/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });
    const wrongSecret = 'lkcs_this-is-not-the-secret-but-still-secret';
    secrets.push(wrongSecret);
    expect(
      (
        await post(
          `grant_type=authorization_code&code=${code}&client_id=${client.clientId}&client_secret=${wrongSecret}`,
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await post(`grant_type=refresh_token&refresh_token=${tokens.refresh_token}`, {
          authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
        })
      ).status,
    ).toBe(400);
    expect((await post('%%%not-a-form', {})).status).toBeGreaterThanOrEqual(400);
    const other = new Browser(s.issuer);
    const second = await startCodeFlow(config, other, { scope: 'openid' });
    const wrongPassword = 'Winter2026! not hers';
    secrets.push(wrongPassword);
    await other.signIn(second.first.page, 'alice', wrongPassword);
    const forged = `forged-${'z'.repeat(40)}`;
    secrets.push(forged);
    expect(
      (await fetch(`${s.issuer}/oidc/me`, { headers: { authorization: `Bearer ${forged}` } })).status,
    ).toBe(401);

    // The refusals were logged for the operator (the errors the RFCs name), and no secret with them.
    await new Promise((r) => setTimeout(r, 50));
    expect(log).toContain('"error":"invalid_client"');
    expect(log).toContain('"error":"invalid_grant"');
    expect(log).toContain('"error":"invalid_token"');
    for (const secret of secrets)
      expect(log.includes(secret), `a secret in the log: ${secret.slice(0, 8)}…`).toBe(false);
  });
});

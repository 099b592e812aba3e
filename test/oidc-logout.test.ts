// Logout through an app (issue 10): RP-initiated logout asks the person whether to sign out of
// Latchkey too; "Yes" ends the portal session (single sign-on is over), the app's tokens, and tells
// apps registered with a back-channel logout URI, with a signed logout token. A real server on
// 127.0.0.1, openid-client, and a small HTTP receiver standing in for the app's back channel.

import { createServer, type Server } from 'node:http';
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
import { type StoreKind, storeKinds } from './helpers/stores.js';

const kinds: StoreKind[] = await storeKinds();
const system: Actor = { kind: 'system', name: 'test', ip: null };
const PASSWORD = 'correct horse battery staple';

describe.each(kinds)('logout through an app on $name', (kind) => {
  let s: OidcServer;
  let receiver: Server;
  const received: string[] = [];
  let client: { clientId: string; clientSecret: string | null };
  let aliceId = '';
  const test = kind.available ? it : it.skip;

  beforeAll(async () => {
    if (!kind.available) return;
    s = await startOidcServer(kind);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        received.push(body);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as { port: number }).port;
    await s.core.users.createUser(system, { username: 'alice', password: PASSWORD });
    aliceId = (await s.core.users.getUser(system, 'alice')).id;
    client = await s.core.oidcClients.addClient(system, {
      name: 'wiki',
      redirectUris: [REDIRECT],
      postLogoutRedirectUris: [`${REDIRECT}/signed-out`],
      backchannelLogoutUri: `http://127.0.0.1:${port}/backchannel`,
      trusted: true,
    });
  });
  afterAll(async () => {
    if (!kind.available) return;
    receiver.close();
    await s.stop();
  });

  test('"Yes, sign me out" ends the portal session, the app tokens and tells the back channel', async () => {
    const config = await clientConfig(s.issuer, client);
    const browser = new Browser(s.issuer);
    const flow = await startCodeFlow(config, browser, { scope: 'openid profile' });
    const done = await browser.signIn(flow.first.page, 'alice', PASSWORD);
    const tokens = await codeGrant(config, done.callback!, flow);
    expect(await oidc.tokenIntrospection(config, tokens.access_token)).toMatchObject({ active: true });

    const end = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: `${REDIRECT}/signed-out`,
      state: 'bye',
    });
    const question = await browser.go(end.href);
    expect(question.page).toContain('Sign out of Latchkey too?');
    const form = /<form[^>]*id="op.logoutForm"[^>]*action="([^"]+)"[\s\S]*?name="xsrf" value="([^"]+)"/.exec(
      question.page,
    )!;
    const back = await browser.go(form[1]!, { xsrf: form[2]!, logout: 'yes' });
    expect(back.callback?.href).toBe(`${REDIRECT}/signed-out?state=bye`);

    // Signed out of Latchkey: the portal asks for the password again, and so does the next app.
    const account = await browser.go('/account');
    expect(account.page).toContain('name="password"');
    const again = await startCodeFlow(config, browser, { scope: 'openid' });
    expect(again.first.callback).toBeNull();
    expect(again.first.page).toContain('name="password"');

    // The app's tokens end with the session it rode on.
    expect(await oidc.tokenIntrospection(config, tokens.access_token)).toMatchObject({ active: false });

    // The back channel was told, with a logout token signed by Latchkey for alice.
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(received.length).toBe(1);
    const token = new URLSearchParams(received[0]).get('logout_token')!;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      sub: string;
      iss: string;
      events: Record<string, unknown>;
    };
    expect(claims.sub).toBe(aliceId);
    expect(claims.iss).toBe(s.issuer);
    expect(Object.keys(claims.events)).toContain('http://schemas.openid.net/event/backchannel-logout');
  });

  test('"No" signs out of the app only: the portal session stays', async () => {
    const config = await clientConfig(s.issuer, client);
    const browser = new Browser(s.issuer);
    const flow = await startCodeFlow(config, browser, { scope: 'openid' });
    const done = await browser.signIn(flow.first.page, 'alice', PASSWORD);
    const tokens = await codeGrant(config, done.callback!, flow);
    const end = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token! });
    const question = await browser.go(end.href);
    const form = /<form[^>]*id="op.logoutForm"[^>]*action="([^"]+)"[\s\S]*?name="xsrf" value="([^"]+)"/.exec(
      question.page,
    )!;
    const after = await browser.go(form[1]!, { xsrf: form[2]! });
    expect(after.page).toContain('You are signed out');
    const account = await browser.go('/account');
    expect(account.page).not.toContain('name="password"');
    expect(account.status).toBe(200);
  });
});

// Tokens from a real Latchkey for tests of relying parties and resource servers (Dovecot's passdb
// oauth2): openid-client runs the code flow with PKCE, and a small cookie-keeping fetch loop plays the
// person, posting the sign-in form as a browser would. test/oidc.test.ts has the fuller version.

import * as oidc from 'openid-client';

export const TOKEN_REDIRECT = 'http://127.0.0.1:9/callback';

/** Keeps cookies by name, follows redirects on the issuer, stops at the app's callback. */
class FormBrowser {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  private async request(url: string, form?: Record<string, string>): Promise<Response> {
    const res = await fetch(new URL(url, this.base), {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0]!;
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1).trim();
      if (value === '') this.cookies.delete(pair.slice(0, eq).trim());
      else this.cookies.set(pair.slice(0, eq).trim(), value);
    }
    return res;
  }

  /** Follows redirects until a page (its HTML) or the app's callback (its URL). */
  async go(
    url: string,
    form?: Record<string, string>,
  ): Promise<{ page: string | null; callback: URL | null }> {
    let res = await this.request(url, form);
    for (let hops = 0; hops < 20; hops++) {
      const loc = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !loc) return { page: await res.text(), callback: null };
      const next = new URL(loc, this.base);
      if (next.href.startsWith(TOKEN_REDIRECT)) return { page: null, callback: next };
      res = await this.request(next.href);
    }
    throw new Error('too many redirects');
  }
}

/** The relying party's view of the issuer, for a client registered with TOKEN_REDIRECT. */
export function clientConfig(
  issuer: string,
  client: { clientId: string; clientSecret: string | null },
): Promise<oidc.Configuration> {
  return oidc.discovery(
    new URL(issuer),
    client.clientId,
    client.clientSecret ?? undefined,
    client.clientSecret ? undefined : oidc.None(),
    { execute: [oidc.allowInsecureRequests] },
  );
}

/**
 * Signs `username` in with their password (a person without two-step verification) through the
 * client's code flow with PKCE, and returns the tokens.
 */
export async function tokensFor(
  config: oidc.Configuration,
  issuer: string,
  username: string,
  password: string,
  scope = 'openid profile email',
): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: TOKEN_REDIRECT,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  const browser = new FormBrowser(issuer);
  const first = await browser.go(url.href);
  if (!first.page) throw new Error('no sign-in page');
  const action = /<form method="post" action="([^"]*\/sign-in[^"]*)"/.exec(first.page)?.[1] ?? '/sign-in';
  const csrf = /name="_csrf" value="([^"]+)"/.exec(first.page)?.[1] ?? '';
  const done = await browser.go(action.replace(/&amp;/g, '&'), { _csrf: csrf, username, password });
  if (!done.callback) throw new Error(`the sign-in did not come back: ${done.page?.slice(0, 300)}`);
  return oidc.authorizationCodeGrant(config, done.callback, {
    pkceCodeVerifier: verifier,
    expectedState: state,
  });
}

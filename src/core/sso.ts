// Single sign-on for apps behind a reverse proxy (spec §3, "Session forward-auth"; issue 10, item 7).
//
// The portal's own cookies are host-only (`__Host-lk_*` under https), so that no sibling subdomain can
// read or plant them. Apps on other subdomains need a cookie their requests carry, so a sign-in also
// issues `lk_sso` for LATCHKEY_COOKIE_DOMAIN: a random token of its own whose keyed hash is bound to
// the portal session (store/sso.ts, a cascade on browser_sessions), so it ends when the session ends.
// Every app under that domain receives it, a compromised one too: it is accepted by the forward-auth
// check only (`identify`), never as a portal session, a CSRF anchor or by the OpenID Connect provider.
//
// After sign-in the browser goes back to where it was, but only to a host of LATCHKEY_SSO_DOMAINS (or
// Latchkey's own): `returnAddress` is the one check, made when the address arrives and again when the
// browser is sent there.

import { randomBytes } from 'node:crypto';
import { keyedHash } from '../crypto/app-passwords.js';
import type { Role } from '../store/schema.js';
import { ssoTokenLookup, upsertSsoToken } from '../store/sso.js';
import type { CoreContext } from './context.js';
import { ROLE_GROUPS } from './directory.js';
import type { SignedInUser } from './sign-in.js';

export interface SsoOptions {
  /** LATCHKEY_COOKIE_DOMAIN: the parent domain of the lk_sso cookie; null issues no such cookie. */
  cookieDomain: string | null;
  /** LATCHKEY_SSO_DOMAINS: `example.org` (that host) or `*.example.org` (any host below it). */
  domains: readonly string[];
}

/**
 * The groups an app may be restricted to, and that Remote-Groups lists: the same as the LDAP door's
 * memberOf (ROLE_GROUPS in core/directory.ts), one per role.
 */
export function groupsOf(role: Role): readonly string[] {
  return ROLE_GROUPS[role];
}

/** A group name as `?group=` may give it: the characters of a username. */
export function isGroupName(v: unknown): v is string {
  return typeof v === 'string' && /^[a-z0-9._-]{1,64}$/.test(v);
}

/** True when `host` (lowercase, as URL#hostname gives it) is one of `domains`. */
export function hostAllowed(host: string, domains: readonly string[]): boolean {
  for (const d of domains) {
    if (d.startsWith('*.')) {
      const suffix = d.slice(1);
      if (host.length > suffix.length && host.endsWith(suffix)) return true;
    } else if (host === d) return true;
  }
  return false;
}

/**
 * An absolute address the browser may be sent back to after sign-in, normalized, or null. Only http(s)
 * (https only when Latchkey itself is https: the cookie is Secure there, so a plain http app would
 * send its people round in circles), printable ASCII without backslashes or user information, and a
 * host of `domains` or Latchkey's own. Everything else (another domain, `https://good@evil`,
 * `//evil`, `javascript:`, a path) is refused: the sign-in then ends in the portal.
 */
export function checkReturnAddress(
  value: unknown,
  domains: readonly string[],
  publicUrl: string,
): string | null {
  if (typeof value !== 'string' || value.length > 2048) return null;
  // The scheme must be written out: a scheme-relative `//evil` or `/\evil` is not an absolute address,
  // and browsers read backslashes as slashes where the URL parser would not agree with us.
  if (!/^https?:\/\/[\x21-\x7e]+$/i.test(value) || value.includes('\\')) return null;
  // No user information at all, not even an empty one: `https://good@evil` reads as `good` to people.
  if (/^https?:\/\/[^/?#]*@/i.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username !== '' || url.password !== '') return null;
  const own = new URL(publicUrl);
  if (own.protocol === 'https:' && url.protocol !== 'https:') return null;
  if (url.hostname !== own.hostname && !hostAllowed(url.hostname, domains)) return null;
  return url.href;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function makeSso(ctx: CoreContext, options: SsoOptions) {
  const lookup = ssoTokenLookup(ctx.store);
  const hash = (token: string) => keyedHash(ctx.keys.hmac, `sso\0${token}`);
  const domains = [...options.domains];

  return {
    cookieDomain: options.cookieDomain,

    returnAddress(value: unknown): string | null {
      return checkReturnAddress(value, domains, ctx.publicUrl);
    },

    /** A new token for the lk_sso cookie, bound to this session (replacing one issued to it before). */
    async issue(sessionId: string): Promise<string> {
      const token = randomBytes(32).toString('base64url');
      await upsertSsoToken(ctx.store.db, { hash: hash(token), session_id: sessionId, created_at: ctx.now() });
      return token;
    },

    /**
     * Who holds this lk_sso token: one indexed query for the token, its session and its user. Null
     * when it is unknown, its session ended or expired, or the account is disabled.
     */
    async identify(token: string | null | undefined): Promise<SignedInUser | null> {
      if (typeof token !== 'string' || !TOKEN.test(token)) return null;
      const row = await lookup(hash(token));
      if (!row || row.expires_at <= ctx.now() || row.disabled_at !== null) return null;
      return {
        id: row.user_id,
        username: row.username,
        email: row.email,
        displayName: row.display_name,
        role: row.role,
      };
    },
  };
}

export type Sso = ReturnType<typeof makeSso>;

// What a relying party learns about a person (issue 10): a stable `sub` (the account's id, never the
// username), the names, the address, the groups the LDAP door shows; and how they signed in: `amr`
// (RFC 8176 values) and `acr` from the method of the portal session the sign-in rode on.

import type { Core } from '../core/index.js';

/** The portal session an app's sign-in rides on, as the provider needs it. */
export interface AmrSession {
  userId: string;
  /** The second step of this session, as recorded: totp, webauthn, recovery_code, remembered_device, password. */
  method: string | null;
  /** When the password (and second step) were last checked in this session, ms. */
  authTime: number;
}

/** RFC 8176 method references for a session's sign-in method. */
export function amrOf(method: string | null): string[] {
  switch (method) {
    case 'totp':
      return ['pwd', 'otp', 'mfa'];
    case 'webauthn':
      return ['pwd', 'hwk', 'mfa'];
    case 'recovery_code':
      return ['pwd', 'otp', 'mfa'];
    default:
      // A password alone, or a remembered device (the second step was skipped on this sign-in).
      return ['pwd'];
  }
}

export function isTwoStep(method: string | null): boolean {
  return amrOf(method).includes('mfa');
}

export async function accountClaims(
  core: Core,
  sub: string,
): Promise<{ sub: string; [claim: string]: unknown } | null> {
  const p = await core.directory.personById(sub);
  if (!p) return null;
  return {
    sub: p.id,
    preferred_username: p.username,
    name: p.displayName ?? p.username,
    ...(p.email ? { email: p.email, email_verified: true } : {}),
    groups: p.groups,
  };
}

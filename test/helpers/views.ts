// Views as the core hands them to the pages, for tests that draw pages without Fastify: one of each
// with plain defaults, and the fields a test cares about given as overrides.

import type { SignInEventView } from '../../src/core/sign-in-log.js';
import type { UserView } from '../../src/core/users.js';

/** The moment the views are drawn at. */
export const T0 = Date.parse('2026-11-01T12:00:00Z');
export const iso = (ms: number): string => new Date(ms).toISOString();

/** A person as the admin pages see them: active, two-step off, created at T0. */
export function personView(username: string, o: Partial<UserView> = {}): UserView {
  return {
    id: `id-${username}`,
    username,
    email: `${username}@example.org`,
    displayName: username.charAt(0).toUpperCase() + username.slice(1),
    role: 'user',
    status: 'active',
    twoStep: 'disabled',
    twoStepEffective: 'disabled',
    passwordSet: true,
    passwordMustChange: false,
    createdAt: iso(T0),
    updatedAt: iso(T0),
    ...o,
  };
}

/** An accepted IMAP sign-in of alice with her app password "Phone", `id` seconds before T0. */
export function signInView(id: number, o: Partial<SignInEventView> = {}): SignInEventView {
  return {
    id,
    at: iso(T0 - id * 1000),
    lastAt: iso(T0 - id * 1000),
    count: 1,
    username: 'alice',
    door: 'imap',
    ip: '192.0.2.9',
    userAgent: null,
    result: 'accepted',
    reason: null,
    credential: 'app_password',
    appPasswordId: 'ap1',
    appPasswordLabel: 'Phone',
    clientId: null,
    clientName: null,
    cursor: `c${id}`,
    ...o,
  };
}

// The administration pages' views drawn without a server: each area's handler builds a view from the
// core, and a plain function draws it (src/http/pages/admin/). These check what the drawing shows for
// a given view: links, pages, what a role is offered, states, and that names are escaped.

import { describe, expect, it } from 'vitest';
import type { AuditEventView } from '../src/core/audit.js';
import type { TokenView } from '../src/core/tokens.js';
import { auditBody } from '../src/http/pages/admin/audit.js';
import { type SignInFilters, signInsBody } from '../src/http/pages/admin/sign-ins.js';
import { tokensListBody } from '../src/http/pages/admin/tokens.js';
import { usersListBody } from '../src/http/pages/admin/users.js';
import { personView, signInView, T0 } from './helpers/views.js';

const person = personView;

function token(id: string, o: Partial<TokenView> = {}): TokenView {
  return {
    id,
    role: 'helpdesk',
    label: `Script ${id}`,
    createdBy: 'user:root',
    createdAt: new Date(T0 - 86_400_000).toISOString(),
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
    active: true,
    ...o,
  };
}

describe('the list of users', () => {
  const base = { search: '', after: '', total: 3, more: false, canCreate: true };

  it('links each user to their page, with their role, two-step state and status in words', () => {
    const out = usersListBody({
      ...base,
      users: [
        person('alice', { role: 'admin', twoStep: 'enforced', twoStepEffective: 'enforced' }),
        person('bob', { status: 'disabled', twoStepEffective: 'enforced' }),
      ],
    }).toString();
    expect(out).toContain('3 accounts in Latchkey.');
    expect(out).toContain('<a href="/admin/users/alice">alice</a>');
    expect(out).toContain('Administrator');
    // Bob's own setting is off, but the organisation requires two-step for everyone.
    expect(out.split('On <span class="muted small">(required for everyone)</span>').length).toBe(2);
    expect(out).toContain('Disabled');
    expect(out).toContain('Create user');
  });

  it('offers creating and importing only to those who may', () => {
    const out = usersListBody({ ...base, users: [person('alice')], canCreate: false }).toString();
    expect(out).not.toContain('/admin/new-user');
    expect(out).not.toContain('/admin/import');
  });

  it('pages on: a next page after the last name shown, and back to the first, keeping the search', () => {
    const users = [person('anna'), person('anton')];
    const out = usersListBody({ ...base, search: 'an', after: 'alma', more: true, users }).toString();
    expect(out).toContain('href="/admin/users?q=an&amp;after=anton"');
    expect(out).toContain('href="/admin/users?q=an"');
    const last = usersListBody({ ...base, users }).toString();
    expect(last).not.toContain('Pages of users');
  });

  it('says when a search finds nobody, and escapes what people typed and named themselves', () => {
    const none = usersListBody({ ...base, search: '<b>x', users: [] }).toString();
    expect(none).toContain('No username or email starts with “&lt;b&gt;x”.');
    const named = usersListBody({
      ...base,
      users: [person('eve', { displayName: '<img src=x onerror=alert(1)>' })],
    }).toString();
    expect(named).not.toContain('<img');
    expect(named).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('the list of API tokens', () => {
  it('shows active, expired and revoked tokens, and offers Revoke only on the active one', () => {
    const out = tokensListBody({
      now: T0,
      tokens: [
        token('aaaaaaaaaaaaaaaa'),
        token('bbbbbbbbbbbbbbbb', { expiresAt: new Date(T0 - 1000).toISOString(), active: false }),
        token('cccccccccccccccc', {
          revokedAt: new Date(T0 - 5000).toISOString(),
          active: false,
          label: null,
        }),
      ],
    }).toString();
    expect(out).toContain('Active');
    expect(out).toContain('Expired');
    expect(out).toContain('Revoked');
    expect(out).toContain('/admin/tokens/aaaaaaaaaaaaaaaa/revoke');
    expect(out).not.toContain('/admin/tokens/bbbbbbbbbbbbbbbb/revoke');
    expect(out).not.toContain('/admin/tokens/cccccccccccccccc/revoke');
    // A token without a name shows the start of its id; who created it shows without the "user:" prefix.
    expect(out).toContain('<code class="small">cccccccccccc</code>');
    expect(out).toContain('by root');
  });

  it('says when there are none', () => {
    expect(tokensListBody({ now: T0, tokens: [] }).toString()).toContain('There are no API tokens.');
  });
});

describe('the audit log', () => {
  const event = (id: number, o: Partial<AuditEventView>): AuditEventView => ({
    id,
    at: new Date(T0 - id * 1000).toISOString(),
    actor: 'user:root',
    actorIp: '192.0.2.7',
    action: 'user.updated',
    target: 'alice',
    details: null,
    ...o,
  });
  const view = (events: AuditEventView[], o: { target?: string; before?: string } = {}) =>
    auditBody({
      target: o.target ?? '',
      before: o.before ?? '',
      events,
      tokens: new Map([['tok1234567890abcdef', token('tok1234567890abcdef', { label: 'Provisioning' })]]),
      now: T0,
    }).toString();

  it('names who acted, what they did and to whom, in words, with the details as from → to', () => {
    const out = view([
      event(3, {
        action: 'settings.changed',
        target: 'lockoutThreshold',
        details: { before: 5, after: 10 },
        actor: 'token:tok1234567890abcdef',
      }),
      event(2, { action: 'user.deleted', target: 'mallory' }),
      event(1, { action: 'user.role_changed', details: { before: 'user', after: 'helpdesk' } }),
    ]);
    expect(out).toContain(
      'API token “Provisioning” changed the setting Failed attempts before a lockout <code>lockoutThreshold</code>',
    );
    expect(out).toMatch(/<del>.*5.*<\/del>.*<ins>.*10.*<\/ins>/s);
    // A deleted user has no page to link to; a living one has.
    expect(out).not.toContain('href="/admin/users/mallory"');
    expect(out).toContain('<a href="/admin/users/alice">alice</a>');
    expect(out).toContain(
      '<a href="/admin/users/root">root</a> deleted the user mallory<br><span class="muted small">from 192.0.2.7</span>',
    );
    expect(out).toContain(
      '<a href="/admin/users/root">root</a> changed the role of <a href="/admin/users/alice">alice</a>',
    );
    // Roles in words, not codes.
    expect(out).toMatch(/<del>.*User.*<\/del>.*<ins>.*Helpdesk.*<\/ins>/s);
    expect(out).not.toContain('Older changes');
  });

  it('pages to older changes after a full page, keeping the filter, and escapes the filter', () => {
    const full = Array.from({ length: 200 }, (_, i) => event(500 - i, {}));
    const out = view(full, { target: 'alice' });
    expect(out).toContain('href="/admin/audit?target=alice&amp;before=301"');
    const none = view([], { target: '"><script>' });
    expect(none).not.toContain('<script>');
    expect(none).toContain('No change to “&quot;&gt;&lt;script&gt;” is recorded.');
  });
});

describe('the sign-in log', () => {
  const none: SignInFilters = { user: '', door: '', result: '', reason: '', since: '', until: '' };
  const signIn = signInView;

  it('says who, where, with what, and why a refusal was refused, linking known users only', () => {
    const out = signInsBody({
      filters: none,
      before: '',
      error: null,
      now: T0,
      events: [
        signIn(1, {}),
        signIn(2, { username: 'nobody', result: 'refused', reason: 'unknown_user', credential: null }),
        signIn(3, { result: 'refused', reason: 'locked_out', credential: 'primary' }),
      ],
    }).toString();
    expect(out).toContain('App password “Phone”');
    expect(out).toContain('<a href="/admin/users/alice">alice</a>');
    expect(out).toContain('nobody <span class="muted small">(no such user)</span>');
    expect(out).not.toContain('href="/admin/users/nobody"');
    expect(out).toContain('Locked out');
    expect(out).toContain('href="/admin/sign-ins.csv"');
  });

  it('keeps the filters in the CSV link and the next page, and shows the core’s refusal instead of a table', () => {
    const f = { ...none, user: 'alice', result: 'refused' };
    const full = Array.from({ length: 100 }, (_, i) => signIn(i + 1, {}));
    const out = signInsBody({ filters: f, before: '', error: null, now: T0, events: full }).toString();
    expect(out).toContain('href="/admin/sign-ins.csv?user=alice&amp;result=refused"');
    expect(out).toContain('href="/admin/sign-ins?user=alice&amp;result=refused&amp;before=c100"');
    const bad = signInsBody({
      filters: f,
      before: '',
      error: 'The date is not understood.',
      now: T0,
      events: [],
    });
    expect(bad.toString()).toContain('These filters cannot be used');
    expect(bad.toString()).not.toContain('Download CSV');
  });
});

// The LDAP filters in docs/nextcloud-gitea.md, run with OpenLDAP's ldapsearch against a real Latchkey
// bound as a service account: each finds the people it should, and no one else.

import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/core/policy.js';
import type { Opened } from '../src/main.js';
import { type RunningLatchkey, startLatchkey } from './helpers/server.js';

const TOOLS = spawnSync('ldapsearch', ['-VV'], { stdio: 'ignore' }).error === undefined;
if (!TOOLS && process.env.CI === 'true') throw new Error('ldap-utils is required in CI.');
if (!TOOLS) console.warn('ldap-utils not installed: skipping the LDAP guide test.');

const admin: Actor = { kind: 'system', name: 'test', ip: null };

function filters(): string[] {
  const md = readFileSync('docs/nextcloud-gitea.md', 'utf8');
  const at = md.indexOf('checks every filter in the next block');
  const m = /```\n([\s\S]*?)```/.exec(md.slice(at));
  if (at < 0 || !m) throw new Error('docs/nextcloud-gitea.md lost its filter block');
  return m[1]!.split('\n').filter(Boolean);
}

describe.skipIf(!TOOLS)('LDAP filters of the Nextcloud/Gitea guide', () => {
  let dir: string;
  let server: RunningLatchkey['server'];
  let operator: Opened;
  let latchkey: RunningLatchkey;

  beforeAll(async () => {
    latchkey = await startLatchkey('latchkey-guides-');
    ({ dir, server, operator } = latchkey);
    const core = operator.core;
    await core.users.createUser(admin, {
      username: 'alice',
      email: 'alice@example.org',
      displayName: 'Alice Smith',
    });
    await core.users.createUser(admin, { username: 'boss', email: 'boss@example.org', role: 'admin' });
    await core.users.createUser(admin, { username: 'gone', email: 'gone@example.org' });
    await core.users.setUserDisabled(admin, 'gone', true);
    const secret = (await core.services.addService(admin, 'gitea')).secret;
    // ldapsearch -y reads the password from a file, as an operator would keep it.
    writeFileSync(join(dir, 'secret'), secret, { mode: 0o600 });
  });
  afterAll(async () => {
    await latchkey?.stop();
  });

  const search = (filter: string) =>
    new Promise<string[]>((resolve, reject) => {
      execFile(
        'ldapsearch',
        [
          '-x',
          '-LLL',
          '-H',
          `ldap://127.0.0.1:${server.ldapPort}`,
          '-D',
          'cn=gitea,ou=services,dc=example,dc=org',
          '-y',
          join(dir, 'secret'),
          '-b',
          'ou=people,dc=example,dc=org',
          filter,
          'uid',
        ],
        { timeout: 10_000, env: { ...process.env, LDAPCONF: '/dev/null' } },
        (err, stdout, stderr) => {
          if (err) return reject(new Error(`${filter}: ${stderr}`));
          resolve([...stdout.matchAll(/^uid: (.+)$/gm)].map((m) => m[1]!).sort());
        },
      );
    });

  it('finds everyone active, by name or address, and the administrators', async () => {
    const [all, login, admins] = filters();
    expect(await search(all!)).toEqual(['alice', 'boss']);
    expect(await search(login!.replaceAll('%s', 'alice'))).toEqual(['alice']);
    expect(await search(login!.replaceAll('%s', 'alice@example.org'))).toEqual(['alice']);
    expect(await search(login!.replaceAll('%s', 'gone'))).toEqual([]);
    expect(await search(admins!)).toEqual(['boss']);
  });
});

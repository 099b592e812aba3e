// CSV import of users: all or nothing, errors reported by line, idempotent, on both stores; and the
// CLI around it.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/index.js';
import type { Actor } from '../src/core/policy.js';
import { runCli } from './helpers/cli.js';
import { type StoreKind, storeKinds, type TestStore, tempDir } from './helpers/stores.js';

const kinds: StoreKind[] = await storeKinds();
const system: Actor = { kind: 'system', name: 'test', ip: null };

const GOOD = `username,email,display_name,role,two_step
alice,alice@example.org,Alice Smith,user,enabled
bob,bob@example.org,"Bob ""The Builder"" Jones",helpdesk,
carol,,Carol,admin,disabled
`;

describe.each(kinds)('user import on $name', (kind) => {
  let t: TestStore;
  let core: Core;
  const test = kind.available ? it : it.skip;
  beforeAll(async () => {
    if (!kind.available) return;
    t = await kind.open();
    core = await createCore({ store: t.store, keys: t.keys, flushIntervalMs: 0 });
  });
  afterAll(async () => {
    if (!kind.available) return;
    await core.close();
    await t.cleanup();
  });

  test('creates, then finds nothing to change on a second run', async () => {
    expect(await core.users.importUsers(system, GOOD)).toEqual({
      created: 3,
      updated: 0,
      unchanged: 0,
      errors: [],
    });
    expect(await core.users.getUser(system, 'bob')).toMatchObject({
      displayName: 'Bob "The Builder" Jones',
      role: 'helpdesk',
    });
    expect(await core.users.importUsers(system, GOOD)).toEqual({
      created: 0,
      updated: 0,
      unchanged: 3,
      errors: [],
    });
    const changed = GOOD.replace('Alice Smith,user,enabled', 'Alice Jones,user,enforced');
    expect(await core.users.importUsers(system, changed)).toEqual({
      created: 0,
      updated: 1,
      unchanged: 2,
      errors: [],
    });
    expect(await core.users.getUser(system, 'alice')).toMatchObject({
      displayName: 'Alice Jones',
      twoStep: 'enforced',
    });
  });

  test('reports every bad line and imports nothing', async () => {
    const before = (await core.users.listUsers(system)).length;
    const bad = `username,email,role
dave,dave@example.org,user
Bad Name,x@example.org,user
erin,not-an-email,user
frank,frank@example.org,root
dave,dave2@example.org,user
`;
    const r = await core.users.importUsers(system, bad);
    expect(r.errors.map((e) => [e.line, e.code])).toEqual([
      [3, 'USERNAME_INVALID'],
      [4, 'EMAIL_INVALID'],
      [5, 'ROLE_INVALID'],
      [6, 'USER_EXISTS'],
    ]);
    expect(r.created).toBe(0);
    expect((await core.users.listUsers(system)).length).toBe(before);
  });

  test('a conflict found while applying rolls the whole file back', async () => {
    const before = (await core.users.listUsers(system)).length;
    const r = await core.users.importUsers(
      system,
      'username,email\ngrace,grace@example.org\nheidi,alice@example.org\n',
    );
    expect(r.errors).toEqual([expect.objectContaining({ line: 3, code: 'EMAIL_TAKEN' })]);
    expect((await core.users.listUsers(system)).length).toBe(before);
    await expect(core.users.getUser(system, 'grace')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
  });

  test.each([
    ['broken quoting', 'username,email\nivan,"ivan@example.org\n'],
    ['a wrong header', 'user,mail\nivan,ivan@example.org\n'],
    ['an unknown column', 'username,password\nivan,secret\n'],
    ['a short row', 'username,email\nivan\n'],
    ['an empty file', ''],
  ])('refuses %s with CSV_INVALID', async (_name, text) => {
    await expect(core.users.importUsers(system, text)).rejects.toMatchObject({ code: 'CSV_INVALID' });
  });
});

describe('latchkey user import', () => {
  it('prints a summary, or the errors by line with exit 1', async () => {
    const dir = tempDir('latchkey-import-');
    const cli = async (args: string[]) => {
      const r = await runCli(args, { LATCHKEY_DATA_DIR: join(dir, 'data') });
      return { code: r.code, out: r.stdout, err: r.stderr };
    };
    writeFileSync(join(dir, 'good.csv'), GOOD);
    writeFileSync(join(dir, 'bad.csv'), 'username\nok1\nNot OK\n');
    expect(await cli(['user', 'import', join(dir, 'good.csv')])).toMatchObject({
      code: 0,
      out: 'Imported: 3 created, 0 updated, 0 unchanged.\n',
    });
    const bad = await cli(['user', 'import', join(dir, 'bad.csv')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(
      /^line 3: USERNAME_INVALID: .+\nlatchkey: CSV_INVALID: 1 line\(s\) with errors; nothing was imported\.\n$/,
    );
    const missing = await cli(['user', 'import', join(dir, 'nope.csv')]);
    expect(missing).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^latchkey: CSV_INVALID: Cannot read .*ENOENT\.\n$/),
    });
  });
});

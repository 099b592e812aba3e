#!/usr/bin/env node

// The `latchkey` command (spec §7). Each subcommand parses its arguments, calls one core function and
// prints the answer. Exit 0 on success, 1 on a refusal or a user error (one line on stderr), 2 on misuse.

import { readFileSync, realpathSync } from 'node:fs';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { serveAll } from '../cluster.js';
import { CONFIG_FIELDS, type ConfigKey, describeConfig, loadConfig } from '../config.js';
import { isLatchkeyError, LatchkeyError } from '../core/errors.js';
import type { Actor } from '../core/policy.js';
import { SETTINGS } from '../core/settings.js';
import { signInsCsv } from '../core/sign-in-log.js';
import { checkDoor, DOORS } from '../core/validate.js';
import { type Opened, openCore, stopOnSignal } from '../main.js';
import { backup, pgDumpProcedure, pgRestoreProcedure, restore, SECRETS_WARNING } from '../ops/backup.js';
import { doctor, formatChecks } from '../ops/doctor.js';
import { OpsError } from '../ops/errors.js';
import { type CliIO, printFields, printJson, printTable, readSecret } from './io.js';

class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function settingsHelp(): string {
  return Object.entries(SETTINGS)
    .map(([k, d]) => `  ${k.padEnd(36)} ${String(d.default).padEnd(6)} ${d.doc}`)
    .join('\n');
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const actor: Actor = { kind: 'system', name: safeUserName(), ip: null };
  let opened: Opened | null = null;
  const open = async () => {
    opened ??= await openCore(loadConfig({}, io.env), { flushIntervalMs: 0 });
    return opened.core;
  };
  const out = (s: string) => io.stdout.write(`${s}\n`);

  const program = new Command('latchkey')
    .description(
      'Latchkey: sign-in with two-step verification for browsers, app passwords for everything else.',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `\nServer settings (environment variables, also flags of "latchkey serve"):\n${describeConfig()}\n\n` +
        `Organization settings ("latchkey settings set KEY VALUE"):\n${settingsHelp()}\n`,
    );

  // serve: every process setting is also a flag here.
  const serveCmd = program.command('serve').description('run the server (HTTP; LDAP arrives with the doors)');
  for (const f of Object.values(CONFIG_FIELDS)) {
    if (f.flag) serveCmd.option(`${f.flag} <value>`, `${f.doc} (${f.env})`);
  }
  serveCmd.action(async (opts: Record<string, string>) => {
    const overrides: Partial<Record<ConfigKey, string>> = {};
    for (const [key, f] of Object.entries(CONFIG_FIELDS)) {
      if (!f.flag) continue;
      const attr = f.flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      if (opts[attr] !== undefined) overrides[key as ConfigKey] = opts[attr];
    }
    const config = loadConfig(overrides, io.env);
    // The worker processes of LATCHKEY_WORKERS stop with their primary; it alone says so.
    const worker = io.env.LATCHKEY_WORKER_INDEX !== undefined;
    const started = serveAll(config, out);
    // Listening for the signal from the start: a SIGTERM while the doors open (or the workers start)
    // waits for them, then stops them gracefully, instead of killing the process half-started.
    const stopped = stopOnSignal(
      async () => {
        const server = await started.catch(() => null);
        await server?.stop();
      },
      config,
      worker ? () => {} : out,
    );
    await started;
    await stopped;
    if (!worker) out('Stopped.');
  });

  program
    .command('init')
    .description('create the first administrator; prints a one-time password')
    .requiredOption('--admin <name>', 'username of the administrator')
    .option('--email <email>', 'email address')
    .option('--json', 'print JSON')
    .action(async (o: { admin: string; email?: string; json?: boolean }) => {
      const core = await open();
      const { user, password } = await core.users.initFirstAdmin(actor, {
        username: o.admin,
        email: o.email ?? null,
      });
      if (o.json) return printJson(io, { user, password });
      out(
        `Created administrator ${user.username}. One-time password (shown once; change it at first sign-in):`,
      );
      out(password);
    });

  const user = program
    .command('user')
    .description('people: add, list, show, disable, enable, delete, passwords, roles');
  user
    .command('add <name>')
    .description('create a user')
    .option('--email <email>', 'email address')
    .option('--display-name <name>', 'display name')
    .addOption(new Option('--role <role>', 'role').choices(['user', 'helpdesk', 'admin']).default('user'))
    .option('--password-stdin', 'read the primary password from standard input')
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        o: { email?: string; displayName?: string; role: string; passwordStdin?: boolean; json?: boolean },
      ) => {
        const password = o.passwordStdin ? await readSecret(io, 'Password: ') : null;
        const core = await open();
        const u = await core.users.createUser(actor, {
          username: name,
          email: o.email ?? null,
          displayName: o.displayName ?? null,
          role: o.role,
          password,
        });
        if (o.json) return printJson(io, u);
        out(
          `Created user ${u.username}${u.passwordSet ? '' : ' (no password yet: set one with "latchkey user passwd")'}.`,
        );
      },
    );
  user
    .command('list')
    .description('list users')
    .option('--search <text>', 'username or email prefix')
    .option('--after <name>', 'start after this username (paging)')
    .option('--limit <n>', 'at most this many (default 100)')
    .option('--json', 'print JSON')
    .action(async (o: { search?: string; after?: string; limit?: string; json?: boolean }) => {
      const core = await open();
      const users = await core.users.listUsers(actor, {
        search: o.search ?? null,
        after: o.after ?? null,
        limit: o.limit,
      });
      if (o.json) return printJson(io, users);
      printTable(io, users as unknown as Record<string, unknown>[], [
        ['username', 'USER'],
        ['email', 'EMAIL'],
        ['role', 'ROLE'],
        ['status', 'STATUS'],
        ['twoStepEffective', 'TWO-STEP'],
      ]);
    });
  user
    .command('show <name>')
    .description('show one user')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const core = await open();
      const u = await core.users.getUser(actor, name);
      const aps = await core.appPasswords.listAppPasswords(actor, name);
      const locks = await core.lockout.lockoutStatus(actor, name);
      if (o.json) return printJson(io, { ...u, appPasswords: aps.length, lockout: locks });
      const locked = locks.filter((l) => l.lockedUntil !== null);
      printFields(io, {
        username: u.username,
        email: u.email,
        'display name': u.displayName,
        role: u.role,
        status: u.status,
        'two-step':
          u.twoStep === u.twoStepEffective ? u.twoStep : `${u.twoStep} (effective: ${u.twoStepEffective})`,
        password: u.passwordSet ? (u.passwordMustChange ? 'set (must change)' : 'set') : 'not set',
        'app passwords': aps.length,
        lockout: locked.length ? locked.map((l) => `${l.counter} until ${l.lockedUntil}`).join('; ') : 'none',
        created: u.createdAt,
      });
    });
  for (const [cmd, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    user
      .command(`${cmd} <name>`)
      .description(`${cmd} a user`)
      .option('--json', 'print JSON')
      .action(async (name: string, o: { json?: boolean }) => {
        const core = await open();
        const u = await core.users.setUserDisabled(actor, name, disabled);
        if (o.json) return printJson(io, u);
        out(`User ${u.username} is ${u.status}.`);
      });
  }
  user
    .command('delete <name>')
    .description('delete a user and their app passwords')
    .action(async (name: string) => {
      const core = await open();
      await core.users.deleteUser(actor, name);
      out(`Deleted user ${name.toLowerCase()}.`);
    });
  user
    .command('passwd <name>')
    .description('set the primary password (from stdin), or generate a one-time one')
    .option('--password-stdin', 'read the new password from standard input')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { passwordStdin?: boolean; json?: boolean }) => {
      const password = o.passwordStdin ? await readSecret(io, 'New password: ') : null;
      const core = await open();
      const r = await core.users.setPassword(actor, name, password);
      if (o.json) return printJson(io, r);
      if (r.generated) {
        out('One-time password (shown once; it must be changed at the next browser sign-in):');
        out(r.generated);
      } else out('Password changed.');
      if (r.appPasswordsDeleted)
        out(`Deleted ${r.appPasswordsDeleted} app password(s) (revokeAppPasswordsOnPasswordChange).`);
    });
  user
    .command('role <name> <role>')
    .description('set the role: user, helpdesk or admin')
    .option('--json', 'print JSON')
    .action(async (name: string, role: string, o: { json?: boolean }) => {
      const core = await open();
      const u = await core.users.setUserRole(actor, name, role);
      if (o.json) return printJson(io, u);
      out(`User ${u.username} is now ${u.role}.`);
    });

  user
    .command('import <file>')
    .description(
      'create or update users from CSV (username,email,display_name,role,two_step); all or nothing',
    )
    .option('--json', 'print JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new LatchkeyError(
          'CSV_INVALID',
          `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}.`,
        );
      }
      const core = await open();
      const r = await core.users.importUsers(actor, text);
      if (o.json) printJson(io, r);
      else if (r.errors.length === 0)
        out(`Imported: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged.`);
      else {
        for (const e of r.errors) io.stderr.write(`line ${e.line}: ${e.code}: ${e.message}\n`);
        io.stderr.write(
          `latchkey: CSV_INVALID: ${r.errors.length} line(s) with errors; nothing was imported.\n`,
        );
      }
      if (r.errors.length > 0) throw new ExitCode(1);
    });

  user
    .command('unlock <name>')
    .description("clear the account's failure counters and lockouts")
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const core = await open();
      const n = await core.lockout.unlockUser(actor, name);
      if (o.json) return printJson(io, { countersCleared: n });
      out(
        n
          ? `Unlocked ${name.toLowerCase()} (${n} counter(s) cleared).`
          : `${name.toLowerCase()} was not locked.`,
      );
    });

  const service = program.command('service').description('service accounts for Dovecot, nginx and apps');
  service
    .command('add <name>')
    .description('create a service account; prints its secret once')
    .option('--json', 'print JSON (including the secret)')
    .action(async (name: string, o: { json?: boolean }) => {
      const core = await open();
      const s = await core.services.addService(actor, name);
      if (o.json) return printJson(io, s);
      out(s.secret);
    });
  service
    .command('list')
    .description('list service accounts')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const core = await open();
      const list = await core.services.listServices(actor);
      if (o.json) return printJson(io, list);
      printTable(io, list as unknown as Record<string, unknown>[], [
        ['name', 'NAME'],
        ['createdAt', 'CREATED'],
        ['lastUsedAt', 'LAST USED'],
      ]);
    });
  service
    .command('delete <name>')
    .description('delete a service account; its secret stops working at once')
    .action(async (name: string) => {
      const core = await open();
      await core.services.deleteService(actor, name);
      out(`Deleted service account ${name.toLowerCase()}.`);
    });

  const radiusClient = program
    .command('radius-client')
    .description('RADIUS clients (NAS): VPN concentrators and Wi-Fi controllers; see docs/radius.md');
  radiusClient
    .command('add <name>')
    .description('register a NAS by the address its packets come from; prints its shared secret once')
    .requiredOption('--address <cidr>', 'the NAS address or range: 192.0.2.7, 10.0.0.0/24, 2001:db8::/64')
    .option(
      '--no-message-authenticator',
      'accept requests without Message-Authenticator (old equipment only: open to BlastRADIUS)',
    )
    .option('--json', 'print JSON {name, secret}')
    .action(async (name: string, o: { address: string; messageAuthenticator: boolean; json?: boolean }) => {
      const core = await open();
      const c = await core.radiusClients.addRadiusClient(actor, {
        name,
        address: o.address,
        requireMessageAuthenticator: o.messageAuthenticator,
      });
      if (o.json) return printJson(io, { name: c.name, secret: c.secret });
      out(c.secret);
      if (!c.requireMessageAuthenticator) {
        io.stderr.write(
          'Warning: requests from this client are accepted without Message-Authenticator (BlastRADIUS, CVE-2024-3596).\n',
        );
      }
    });
  radiusClient
    .command('list')
    .description('list RADIUS clients (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const core = await open();
      const list = await core.radiusClients.listRadiusClients(actor);
      if (o.json) return printJson(io, list);
      printTable(
        io,
        list.map((c) => ({
          ...c,
          messageAuthenticator: c.requireMessageAuthenticator ? 'required' : 'NOT required',
        })),
        [
          ['name', 'NAME'],
          ['address', 'ADDRESS'],
          ['messageAuthenticator', 'MESSAGE-AUTHENTICATOR'],
          ['createdAt', 'CREATED'],
        ],
      );
    });
  radiusClient
    .command('delete <name>')
    .description('delete a RADIUS client; its packets are dropped within a second')
    .action(async (name: string) => {
      const core = await open();
      await core.radiusClients.deleteRadiusClient(actor, name);
      out(`Deleted RADIUS client ${name.toLowerCase()}.`);
    });

  const radiusReply = program
    .command('radius-reply')
    .description('RADIUS reply rules: attributes an Access-Accept carries by group (Filter-Id, VLAN…)');
  radiusReply
    .command('add')
    .description('members of GROUP get ATTRIBUTE = VALUE in their Access-Accept')
    .requiredOption('--group <group>', 'users, helpdesk or admins')
    .requiredOption(
      '--attribute <name>',
      'Filter-Id, Reply-Message, Session-Timeout, Idle-Timeout, Framed-IP-Netmask, Framed-MTU, Framed-Pool, Acct-Interim-Interval, Tunnel-Type, Tunnel-Medium-Type, Tunnel-Private-Group-Id',
    )
    .requiredOption(
      '--value <value>',
      'checked by the attribute type (a VLAN id, a number of seconds, a name…)',
    )
    .option('--client <name>', 'only for this RADIUS client (default: every client)')
    .option('--json', 'print JSON')
    .action(
      async (o: { group: string; attribute: string; value: string; client?: string; json?: boolean }) => {
        const core = await open();
        const r = await core.radiusClients.addReplyRule(actor, {
          group: o.group,
          attribute: o.attribute,
          value: o.value,
          client: o.client ?? null,
        });
        if (o.json) return printJson(io, r);
        out(r.id);
      },
    );
  radiusReply
    .command('list')
    .description('list RADIUS reply rules')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const core = await open();
      const list = await core.radiusClients.listReplyRules(actor);
      if (o.json) return printJson(io, list);
      printTable(
        io,
        list.map((r) => ({ ...r, client: r.client ?? '(every client)' })),
        [
          ['id', 'ID'],
          ['client', 'CLIENT'],
          ['group', 'GROUP'],
          ['attribute', 'ATTRIBUTE'],
          ['value', 'VALUE'],
        ],
      );
    });
  radiusReply
    .command('delete <id>')
    .description('delete a RADIUS reply rule; the next Access-Accept is without it')
    .action(async (id: string) => {
      const core = await open();
      await core.radiusClients.deleteReplyRule(actor, id);
      out(`Deleted RADIUS reply rule ${id.toLowerCase()}.`);
    });

  // Repeatable options: --redirect-uri A --redirect-uri B.
  const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
  const client = program
    .command('client')
    .description('OpenID Connect clients: the apps people sign in to through Latchkey');
  client
    .command('add <name>')
    .description('register an app; prints its client id, its secret (once) and the issuer')
    .requiredOption('--redirect-uri <uri>', 'where the app receives the sign-in (repeat for more)', collect)
    .option('--public', 'no secret: a single-page, native or command-line app (PKCE only)')
    .option('--trusted', "the organization's own app: people are not asked to consent")
    .option(
      '--scope <scope>',
      'what the app may ask for (repeat, or comma-separated): openid, profile, email, groups, offline_access (default: all)',
      collect,
    )
    .option(
      '--post-logout-uri <uri>',
      'where the app may send people after signing out (repeat for more)',
      collect,
    )
    .option('--backchannel-logout-uri <uri>', 'where Latchkey tells the app that a session ended')
    .option('--json', 'print JSON {clientId, clientSecret, issuer}')
    .action(
      async (
        name: string,
        o: {
          redirectUri: string[];
          public?: boolean;
          trusted?: boolean;
          scope?: string[];
          postLogoutUri?: string[];
          backchannelLogoutUri?: string;
          json?: boolean;
        },
      ) => {
        const core = await open();
        const r = await core.oidcClients.addClient(actor, {
          name,
          redirectUris: o.redirectUri,
          postLogoutRedirectUris: o.postLogoutUri ?? [],
          public: o.public === true,
          trusted: o.trusted === true,
          scopes: o.scope?.flatMap((s) => s.split(/[\s,]+/).filter(Boolean)),
          backchannelLogoutUri: o.backchannelLogoutUri ?? null,
        });
        if (o.json) return printJson(io, r);
        printFields(io, {
          'client id': r.clientId,
          'client secret': r.clientSecret ?? 'none (public client: PKCE)',
          issuer: r.issuer,
        });
        if (r.clientSecret) out("The secret is shown only now: put it in the app's settings.");
      },
    );
  client
    .command('list')
    .description('list clients (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const core = await open();
      const list = await core.oidcClients.listClients(actor);
      if (o.json) return printJson(io, list);
      printTable(
        io,
        list.map((c) => ({ ...c, type: c.public ? 'public' : 'confidential' })),
        [
          ['name', 'NAME'],
          ['clientId', 'CLIENT ID'],
          ['type', 'TYPE'],
          ['trusted', 'TRUSTED'],
          ['redirectUris', 'REDIRECT URIS'],
          ['lastUsedAt', 'LAST USED'],
        ],
      );
    });
  client
    .command('show <name>')
    .description('show one client, by name or client id')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const core = await open();
      const c = await core.oidcClients.getClient(actor, name);
      if (o.json) return printJson(io, c);
      printFields(io, {
        name: c.name,
        'client id': c.clientId,
        type: c.public ? 'public (no secret, PKCE)' : 'confidential (client secret)',
        trusted: c.trusted ? 'yes (no consent asked)' : 'no',
        'redirect uris': c.redirectUris.join(' '),
        'post-logout uris': c.postLogoutRedirectUris.join(' '),
        'back-channel logout': c.backchannelLogoutUri,
        scopes: c.scopes.join(' '),
        created: c.createdAt,
        'secret rotated': c.secretRotatedAt,
        'last used': c.lastUsedAt,
      });
    });
  client
    .command('delete <name>')
    .description('delete a client; its codes, tokens and grants stop working at once')
    .action(async (name: string) => {
      const core = await open();
      await core.oidcClients.deleteClient(actor, name);
      out(`Deleted client ${name}.`);
    });
  client
    .command('rotate-secret <name>')
    .description('give a confidential client a new secret; prints it alone on stdout, once')
    .option('--json', 'print JSON {clientId, clientSecret}')
    .action(async (name: string, o: { json?: boolean }) => {
      const core = await open();
      const r = await core.oidcClients.rotateClientSecret(actor, name);
      if (o.json) return printJson(io, r);
      out(r.clientSecret);
    });

  const keys = program.command('keys').description("the OpenID Connect provider's signing keys");
  keys
    .command('rotate')
    .description('add a signing key: published now, signing in an hour; the old one verifies a day longer')
    .option('--json', 'print JSON {kid, signsFrom}')
    .action(async (o: { json?: boolean }) => {
      const core = await open();
      const r = await core.oidcKeys.rotateKeys(actor);
      if (o.json) return printJson(io, r);
      out(`New signing key ${r.kid}: published now, signs from ${r.signsFrom}.`);
    });

  const token = program.command('token').description('admin API tokens');
  token
    .command('create')
    .description('create an API token; prints it alone on stdout, once')
    .addOption(
      new Option('--role <role>', 'what the token may do')
        .choices(['admin', 'helpdesk'])
        .makeOptionMandatory(),
    )
    .option('--expires <when>', 'expiry: 90d, 12w, 24h or YYYY-MM-DD')
    .option('--label <label>', 'what it is for')
    .option('--json', 'print JSON (including the token)')
    .action(async (o: { role: string; expires?: string; label?: string; json?: boolean }) => {
      const core = await open();
      const t = await core.tokens.createToken(actor, {
        role: o.role,
        expires: o.expires ?? null,
        label: o.label ?? null,
      });
      if (o.json) return printJson(io, t);
      out(t.token);
    });
  token
    .command('list')
    .description('list API tokens (never the tokens themselves)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const core = await open();
      const list = await core.tokens.listTokens(actor);
      if (o.json) return printJson(io, list);
      printTable(io, list as unknown as Record<string, unknown>[], [
        ['id', 'ID'],
        ['role', 'ROLE'],
        ['label', 'LABEL'],
        ['createdAt', 'CREATED'],
        ['expiresAt', 'EXPIRES'],
        ['lastUsedAt', 'LAST USED'],
        ['active', 'ACTIVE'],
      ]);
    });
  token
    .command('revoke <id>')
    .description('revoke an API token; it stops working at once')
    .action(async (id: string) => {
      const core = await open();
      await core.tokens.revokeToken(actor, id);
      out(`Revoked API token ${id}.`);
    });

  const twoStep = program
    .command('two-step')
    .description('two-step verification of a user: state, methods, re-registration, remembered devices');
  twoStep
    .command('set <name> <state>')
    .description('set to disabled, enabled or enforced (disabled deletes the app passwords)')
    .option('--json', 'print JSON')
    .action(async (name: string, state: string, o: { json?: boolean }) => {
      const core = await open();
      const r = await core.twoStep.setTwoStepState(actor, name, state);
      if (o.json) return printJson(io, r);
      out(`Two-step verification for ${r.user.username} is ${r.user.twoStep}.`);
      if (r.appPasswordsDeleted) out(`Deleted ${r.appPasswordsDeleted} app password(s).`);
    });
  twoStep
    .command('methods <name>')
    .description("list a user's two-step methods (names and dates only)")
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const core = await open();
      const m = await core.methods.listMethods(actor, name);
      if (o.json) return printJson(io, m);
      if (m.methods.length === 0) out('No two-step methods.');
      for (const x of m.methods) {
        out(
          `${x.id}  ${x.kind.padEnd(8)}  ${x.name}${x.isDefault ? ' (default)' : ''}  added ${new Date(x.createdAt).toISOString()}  last used ${x.lastUsedAt === null ? 'never' : new Date(x.lastUsedAt).toISOString()}`,
        );
      }
      out(
        `Recovery codes left: ${m.recoveryCodes.unused} of ${m.recoveryCodes.total}. Remembered devices: ${m.rememberedDevices.length}.`,
      );
    });
  twoStep
    .command('reregister <name>')
    .description('require the user to register two-step methods again at the next sign-in (R10)')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const core = await open();
      const r = await core.methods.requireReregistration(actor, name);
      if (o.json) return printJson(io, r);
      out(
        `${name.toLowerCase()} registers two-step methods again at the next sign-in (${r.methodsRemoved} removed).`,
      );
    });
  twoStep
    .command('forget-devices <name>')
    .description("revoke the user's remembered devices: they ask for the second step again (R10)")
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const core = await open();
      const r = await core.methods.revokeRememberedDevices(actor, name);
      if (o.json) return printJson(io, r);
      out(`Revoked ${r.devicesRevoked} remembered device(s) of ${name.toLowerCase()}.`);
    });

  const ap = program.command('app-password').description('app passwords of a user');
  ap.command('create <name>')
    .description('create an app password; prints it alone on stdout, once')
    .requiredOption('--label <label>', 'the device it is for ("Laptop", "Phone")')
    .option('--expires <when>', 'expiry: 90d, 12w, 24h or YYYY-MM-DD')
    .option('--scope <doors>', `only these doors, comma-separated (${DOORS.join(',')})`)
    .option('--json', 'print JSON (including the password)')
    .action(async (name: string, o: { label: string; expires?: string; scope?: string; json?: boolean }) => {
      const core = await open();
      const created = await core.appPasswords.createAppPassword(actor, name, {
        label: o.label,
        expires: o.expires ?? null,
        scopes: o.scope ?? null,
      });
      if (o.json) return printJson(io, created);
      out(created.password);
    });
  ap.command('list <name>')
    .description('list app passwords (names and dates; the passwords themselves are never shown again)')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const core = await open();
      const list = await core.appPasswords.listAppPasswords(actor, name);
      if (o.json) return printJson(io, list);
      printTable(io, list as unknown as Record<string, unknown>[], [
        ['id', 'ID'],
        ['label', 'NAME'],
        ['createdAt', 'CREATED'],
        ['lastUsedAt', 'LAST USED'],
        ['lastUsedDoor', 'DOOR'],
        ['lastUsedIp', 'FROM'],
        ['expiresAt', 'EXPIRES'],
        ['scopes', 'SCOPE'],
      ]);
    });
  ap.command('delete <name> <id>')
    .description('delete one app password; it stops working at once')
    .action(async (name: string, id: string) => {
      const core = await open();
      await core.appPasswords.deleteAppPassword(actor, name, id);
      out(`Deleted app password ${id}.`);
    });
  ap.command('delete-all <name>')
    .description("delete all of a user's app passwords")
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const core = await open();
      const n = await core.appPasswords.deleteAllAppPasswords(actor, name);
      if (o.json) return printJson(io, { deleted: n });
      out(`Deleted ${n} app password(s).`);
    });

  const settings = program.command('settings').description('organization settings');
  settings
    .command('get [key]')
    .description('show all settings, or one')
    .option('--json', 'print JSON')
    .action(async (key: string | undefined, o: { json?: boolean }) => {
      if (key !== undefined && !Object.hasOwn(SETTINGS, key)) {
        throw new LatchkeyError(
          'SETTING_UNKNOWN',
          `Unknown setting "${key.slice(0, 64)}". Known: ${Object.keys(SETTINGS).join(', ')}.`,
        );
      }
      const core = await open();
      const s = (await core.settings.getSettings(actor)) as unknown as Record<string, unknown>;
      if (key !== undefined) {
        if (o.json) return printJson(io, { [key]: s[key] });
        out(String(s[key]));
        return;
      }
      if (o.json) return printJson(io, s);
      printFields(io, s);
    });
  settings
    .command('set <key> <value>')
    .description('change a setting')
    .option('--json', 'print JSON')
    .action(async (key: string, value: string, o: { json?: boolean }) => {
      const core = await open();
      const s = (await core.settings.updateSettings(actor, { [key]: value })) as unknown as Record<
        string,
        unknown
      >;
      if (o.json) return printJson(io, { [key]: s[key] });
      out(`${key} = ${String(s[key])}`);
    });

  program
    .command('verify <name>')
    .description('check a secret (from stdin) as a non-browser door would: exit 0 accepted, 1 refused')
    .addOption(new Option('--door <door>', 'the door to check for').choices([...DOORS]).makeOptionMandatory())
    .option('--ip <address>', 'client address to record')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { door: string; ip?: string; json?: boolean }) => {
      const door = checkDoor(o.door);
      const secret = await readSecret(io, 'Secret: ');
      const core = await open();
      const r = await core.signIn({
        username: name,
        secret,
        door,
        ip: o.ip ?? null,
        userAgent: 'latchkey-cli',
      });
      if (o.json) printJson(io, r);
      else if (r.ok) {
        out(
          `accepted: ${r.user.username} with ${r.credential.kind === 'primary' ? 'the primary password' : `app password "${r.credential.label}" (${r.credential.id})`}`,
        );
      } else out(r.reason);
      if (!r.ok) throw new ExitCode(1);
    });

  program
    .command('sign-ins')
    .description('the sign-in log, newest first')
    .option('--user <name>', 'only this user (or attempted name)')
    .option('--door <door>', 'only this door')
    .option('--result <result>', 'accepted or refused')
    .option('--reason <reason>', 'only this reason, e.g. app_password_required')
    .option('--since <time>', 'from this date or time (ISO 8601)')
    .option('--until <time>', 'before this date or time (ISO 8601)')
    .option('--limit <n>', 'at most this many (default 50)')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      const core = await open();
      const s = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : null);
      const events = await core.signInLog.listSignIns(actor, {
        username: s('user'),
        door: s('door'),
        result: s('result'),
        reason: s('reason'),
        since: s('since'),
        until: s('until'),
        limit: s('limit') ?? undefined,
      });
      if (o.csv) return void io.stdout.write(signInsCsv(events));
      if (o.json) return printJson(io, events);
      printTable(io, events as unknown as Record<string, unknown>[], [
        ['lastAt', 'TIME'],
        ['username', 'USER'],
        ['door', 'DOOR'],
        ['ip', 'FROM'],
        ['result', 'RESULT'],
        ['reason', 'REASON'],
        ['credential', 'CREDENTIAL'],
        ['appPasswordLabel', 'APP PASSWORD'],
        ['clientName', 'APP (OIDC)'],
        ['count', 'COUNT'],
      ]);
    });

  program
    .command('audit')
    .description('the audit log, newest first')
    .option('--limit <n>', 'at most this many (default 50)')
    .option('--json', 'print JSON')
    .action(async (o: { limit?: string; json?: boolean }) => {
      const core = await open();
      const events = await core.audit.listAudit(actor, { limit: o.limit });
      if (o.json) return printJson(io, events);
      printTable(
        io,
        events.map((e) => ({ ...e, details: e.details ? JSON.stringify(e.details) : null })),
        [
          ['at', 'TIME'],
          ['actor', 'ACTOR'],
          ['action', 'ACTION'],
          ['target', 'TARGET'],
          ['details', 'DETAILS'],
        ],
      );
    });

  // Operations: backup, restore, doctor (issue 12). They read the same settings as `serve`.
  program
    .command('backup <dir>')
    .description(
      'copy the database (SQLite: online, while the server serves) and the two server keys into a new directory DIR',
    )
    .option('--json', 'print JSON')
    .action(async (dir: string, o: { json?: boolean }) => {
      const config = loadConfig({}, io.env);
      const { manifest } = await backup(config, dir);
      io.stderr.write(`${SECRETS_WARNING}\n`);
      if (manifest.keysFromEnvironment.length > 0)
        io.stderr.write(
          `Warning: ${manifest.keysFromEnvironment.join(' and ')} come from the environment, not files: they are not in this backup. Keep them with it.\n`,
        );
      const procedure = manifest.store === 'postgres' ? pgDumpProcedure(dir) : null;
      if (o.json) return printJson(io, { dir, ...manifest, procedure });
      const what = [
        manifest.database ? `the SQLite database (migration ${manifest.migration ?? 'none'})` : null,
        manifest.keys.length > 0 ? manifest.keys.join(' and ') : null,
      ].filter(Boolean);
      out(`Backed up ${what.length > 0 ? what.join(' and ') : 'nothing but the description'} to ${dir}.`);
      if (procedure) out(procedure);
    });

  program
    .command('restore <dir>')
    .description(
      'put a backup made by "latchkey backup" back into the data directory (stop the server first)',
    )
    .option('--force', 'replace a database or keys already there (they are renamed to *.before-restore-TIME)')
    .option('--json', 'print JSON')
    .action(async (dir: string, o: { force?: boolean; json?: boolean }) => {
      const config = loadConfig({}, io.env);
      const r = await restore(config, dir, { force: o.force === true });
      const procedure = r.store === 'postgres' ? pgRestoreProcedure(dir) : null;
      if (o.json) return printJson(io, { ...r, procedure });
      for (const f of r.setAside) out(`Set aside: ${f}`);
      out(`Restored ${r.restored.join(', ')} into ${r.dataDir}.`);
      if (procedure) out(procedure);
      else out('Start the server: it opens the restored database with the restored keys.');
    });

  program
    .command('doctor')
    .description(
      'check the keys against the store, the store version, TLS files, ports, the public URL and the clock; exit 1 if anything fails',
    )
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const checks = await doctor({ env: io.env });
      const failed = checks.some((c) => c.status === 'fail');
      if (o.json) printJson(io, { ok: !failed, checks });
      else out(formatChecks(checks));
      if (failed) throw new ExitCode(1);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof ExitCode) return e.code;
    if (e instanceof CommanderError) {
      // --help and --version end here with code 0; anything else is misuse.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (isLatchkeyError(e) || e instanceof OpsError) {
      io.stderr.write(`latchkey: ${e.code}: ${e.message}\n`);
      return 1;
    }
    io.stderr.write(`latchkey: INTERNAL: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await (opened as Opened | null)?.close();
  }
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

function isMain(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  run(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}

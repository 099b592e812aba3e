// A real Dovecot (IMAP) for tests: find the binaries, read configuration blocks from docs/dovecot.md,
// run Dovecot in the foreground from a generated dovecot.conf in a test directory, wait for its IMAP
// greeting, stop it; and the clients' side of a login (IMAP LOGIN, AUTHENTICATE XOAUTH2, or any one
// exchange on a line protocol such as Dovecot's auth socket). 127.0.0.1 only.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { blockAfter, freePort, readIfThere, stopProcess } from './nginx.js';

export const run = promisify(execFile);
export const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => existsSync(p)) ?? null;
export const DOVEADM = ['/usr/bin/doveadm', '/usr/local/bin/doveadm'].find((p) => existsSync(p)) ?? null;

/** The fenced block after `marker` in docs/dovecot.md. */
export function docBlock(marker: string): string {
  return blockAfter('docs/dovecot.md', marker);
}

/** Who the mail processes run as, and where the people's homes are. */
export interface MailHome {
  root: boolean;
  mailUser: string;
  mail: string;
}

/**
 * Dovecot drops privileges: as root, mail runs as the dovecot user; otherwise as ourselves. The homes
 * are below `dir`, in vmail/.
 */
export async function mailHome(dir: string): Promise<MailHome> {
  const root = process.getuid?.() === 0;
  const mailUser = root ? 'dovecot' : userInfo().username;
  const mail = join(dir, 'vmail');
  mkdirSync(mail, { recursive: true });
  // Mail processes run as the mail user and must reach their home below the test directory.
  chmodSync(dir, 0o755);
  if (root) {
    const { stdout } = await run('id', ['-u', 'dovecot']);
    const { stdout: gid } = await run('id', ['-g', 'dovecot']);
    chownSync(mail, Number(stdout.trim()), Number(gid.trim()));
  }
  return { root, mailUser, mail };
}

export interface RunningDovecot {
  imapPort: number;
  /** The dovecot.conf it runs from (for doveadm -c). */
  conf: string;
  /** The path of the auth-client socket (the one Postfix talks to). */
  authClient: string;
  log(): string;
  stop(): Promise<void>;
}

/**
 * Writes `dir`/dovecot.conf (IMAP on a free port of 127.0.0.1, state and log in `dir`, then `config`:
 * the auth blocks), starts Dovecot from it and resolves once it greets on IMAP.
 */
export async function startDovecot(
  dir: string,
  home: MailHome,
  o: { instance: string; authMechanisms: string; config: string[] },
): Promise<RunningDovecot> {
  const imapPort = await freePort();
  const conf = join(dir, 'dovecot.conf');
  const { root, mailUser } = home;
  writeFileSync(
    conf,
    [
      `base_dir = ${join(dir, 'run')}`,
      `state_dir = ${join(dir, 'state')}`,
      `log_path = ${join(dir, 'dovecot.log')}`,
      `instance_name = ${o.instance}-${process.pid}`,
      'protocols = imap',
      'listen = 127.0.0.1',
      // The test talks plain IMAP on loopback; production runs IMAP over TLS.
      'ssl = no',
      'disable_plaintext_auth = no',
      `auth_mechanisms = ${o.authMechanisms}`,
      // Production keeps Dovecot's delay after a failed login; the test has many on purpose.
      'auth_failure_delay = 0',
      root ? 'default_internal_user = dovecot' : `default_internal_user = ${mailUser}`,
      root ? 'default_login_user = dovenull' : `default_login_user = ${mailUser}`,
      'first_valid_uid = 1',
      'mail_location = maildir:~/Maildir',
      `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${imapPort}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
      ...o.config,
      '',
    ].join('\n'),
  );
  const log = () => readIfThere(join(dir, 'dovecot.log'), '(no log)');
  const child: ChildProcess = spawn(DOVECOT!, ['-F', '-c', conf], { stdio: 'ignore' });
  const stop = () => stopProcess(child, 'SIGTERM');
  // Wait for the IMAP greeting.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(imapPort, '127.0.0.1');
      s.once('data', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`dovecot did not start: ${log()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { imapPort, conf, authClient: join(dir, 'run', 'auth-client'), log, stop };
}

let client = 1;
/**
 * A loopback address of its own for the next login: Dovecot slows every failure after the first from
 * one address by seconds (its auth penalty), which is right in production and slow in a test.
 */
export function nextClientAddress(): string {
  client += 1;
  return `127.0.0.${client}`;
}

/**
 * One exchange on a line protocol: once `ready` is in what the server sent, sends `request`; answers
 * one challenge (`challenge`) with `answer`; resolves with the first match of `result`, then sends
 * `bye` and closes. `hello` is sent as soon as the connection stands.
 */
export function converse(
  socket: Socket,
  o: {
    hello?: string;
    ready: RegExp;
    request: string;
    challenge: RegExp;
    answer: string;
    result: RegExp;
    bye?: string;
    timeout: string;
  },
): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let sent = false;
    let answered = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${o.timeout}; got: ${buffer}`));
    }, 10_000);
    if (o.hello !== undefined) {
      const hello = o.hello;
      socket.on('connect', () => socket.write(hello));
    }
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      if (!sent && o.ready.test(buffer)) {
        sent = true;
        socket.write(o.request);
      }
      if (sent && !answered && o.challenge.test(buffer)) {
        answered = true;
        socket.write(o.answer);
      }
      const m = o.result.exec(buffer);
      if (m) {
        clearTimeout(timer);
        if (o.bye === undefined) socket.end();
        else socket.end(o.bye);
        resolve(m[0]);
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** One IMAP conversation from an address of its own: greeting, `a1 <command>`, LOGOUT. The tagged answer. */
function imap(port: number, command: string): Promise<string> {
  const socket = connect({ port, host: '127.0.0.1', localAddress: nextClientAddress() });
  return converse(socket, {
    ready: /\* OK/,
    request: `a1 ${command}\r\n`,
    // A refusal of a SASL login comes as a challenge with the error first (RFC 7628): answer it empty.
    challenge: /^\+ /m,
    answer: '\r\n',
    result: /^a1 (OK|NO|BAD)[^\r\n]*/m,
    bye: 'a2 LOGOUT\r\n',
    timeout: 'IMAP timeout',
  });
}

/** IMAP LOGIN with a password; the tagged answer. */
export function imapLogin(port: number, user: string, password: string): Promise<string> {
  const quote = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  return imap(port, `LOGIN ${quote(user)} ${quote(password)}`);
}

/** IMAP AUTHENTICATE XOAUTH2 with an access token (the initial response, SASL-IR); the tagged answer. */
export function imapXoauth2(port: number, user: string, token: string): Promise<string> {
  const ir = Buffer.from(`user=${user}\x01auth=Bearer ${token}\x01\x01`).toString('base64');
  return imap(port, `AUTHENTICATE XOAUTH2 ${ir}`);
}

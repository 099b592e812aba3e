// The RADIUS door (RFC 2865 authentication, UDP): PAP Access-Requests from registered NAS go to the one
// decision (core.signIn, door `radius`) and come back as Access-Accept or Access-Reject. The reason of
// a refusal goes to the sign-in log, never on the wire.
//
// What is dropped without an answer (as RFC 2865 and 3579 say, and as FreeRADIUS does): anything that
// is not a well-formed Access-Request, packets from addresses no client is registered for, and requests
// whose Message-Authenticator is missing (unless the client opted out) or wrong. A NAS retransmits; a
// stranger learns nothing.
//
// Bounds: at most `maxInFlight` requests are being decided at once (more are dropped: the NAS resends);
// answers are remembered for `duplicateWindowMs` so that a retransmission (same source address and
// port, identifier and Request Authenticator) gets the same answer without a second check, in a cache
// of at most `maxRemembered` entries.

import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { BlockList, isIP } from 'node:net';
import type { Core } from '../core/index.js';
import type { RadiusClientEntry } from '../core/radius-clients.js';
import { normalizeIp } from '../core/validate.js';
import {
  ACCESS_ACCEPT,
  ACCESS_REJECT,
  ACCESS_REQUEST,
  ATTR,
  attribute,
  count,
  decryptUserPassword,
  encodeResponse,
  hasMsChap,
  MAX_PACKET,
  messageAuthenticatorValid,
  type Packet,
  parsePacket,
} from './packet.js';

export interface RadiusServerOptions {
  core: Core;
  log: (obj: Record<string, unknown>, msg: string) => void;
  maxInFlight?: number;
  duplicateWindowMs?: number;
  maxRemembered?: number;
  /** How often the registered clients are re-read from the store (a deletion holds within this). */
  clientsRefreshMs?: number;
}

/**
 * Why a datagram got no answer: not RADIUS (or too long), another code than Access-Request, from an
 * address no client is registered for, a wrong Message-Authenticator (usually a wrong shared secret),
 * none where one is required (BlastRADIUS), too many requests in flight, the store failing, or the
 * server stopping.
 */
export const DROP_REASONS = [
  'malformed',
  'not_access_request',
  'unknown_client',
  'bad_authenticator',
  'no_message_authenticator',
  'overload',
  'error',
  'closing',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** The reason in the sign-in log of a method that cannot be checked against stored keyed hashes. */
export const METHOD_UNSUPPORTED = 'method_unsupported';

interface Remembered {
  at: number;
  /** Null while the request is being decided: a retransmission meanwhile is dropped. */
  response: Buffer | null;
}

interface Matcher {
  match(ip: string): RadiusClientEntry | null;
}

function buildMatcher(clients: RadiusClientEntry[]): Matcher {
  // The most specific range wins when ranges overlap.
  const ranges = clients
    .map((c) => {
      const [addr, bits] = c.address.split('/') as [string, string];
      const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
      const list = new BlockList();
      list.addSubnet(addr, Number(bits), type);
      return { c, list, type, bits: Number(bits) } as const;
    })
    .sort((a, b) => b.bits - a.bits);
  return {
    match(ip) {
      const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
      for (const r of ranges) {
        if (r.type !== type) continue;
        try {
          if (r.list.check(ip, type)) return r.c;
        } catch {
          return null;
        }
      }
      return null;
    },
  };
}

export function createRadiusServer(opts: RadiusServerOptions) {
  const { core } = opts;
  const maxInFlight = opts.maxInFlight ?? 256;
  const window = opts.duplicateWindowMs ?? 5000;
  const maxRemembered = opts.maxRemembered ?? 10_000;
  const refreshMs = opts.clientsRefreshMs ?? 1000;
  const now = core.ctx.now;

  let socket: Socket | null = null;
  let closing = false;
  let inFlight = 0;
  let idle: (() => void) | null = null;
  const remembered = new Map<string, Remembered>();
  const stats = {
    received: 0,
    dropped: 0,
    answered: 0,
    duplicates: 0,
    /** Drops by reason, for /metrics (ops/metrics.ts). */
    drops: Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>,
  };

  // Registered clients, re-read at most once a `refreshMs`.
  let matcher: Matcher = buildMatcher([]);
  let readAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<void> | null = null;
  const fresh = (): Promise<void> | null => {
    if (now() - readAt < refreshMs) return null;
    reading ??= core.radiusClients
      .forDoor()
      .then((clients) => {
        matcher = buildMatcher(clients);
        readAt = now();
      })
      .finally(() => {
        reading = null;
      });
    return reading;
  };

  // One log line per kind and source per minute: a flood must not become a flood of lines.
  const warned = new Map<string, number>();
  const warn = (key: string, obj: Record<string, unknown>, msg: string) => {
    const t = now();
    if ((warned.get(key) ?? Number.NEGATIVE_INFINITY) > t - 60_000) return;
    if (warned.size >= 1000) warned.clear();
    warned.set(key, t);
    opts.log(obj, msg);
  };

  const drop = (reason: DropReason) => {
    stats.dropped++;
    stats.drops[reason]++;
  };

  function remember(key: string, entry: Remembered) {
    remembered.set(key, entry);
    if (remembered.size <= maxRemembered) return;
    // Oldest first (insertion order): drop a tenth at once, not one per packet.
    let n = Math.ceil(maxRemembered / 10);
    for (const k of remembered.keys()) {
      if (n-- <= 0) break;
      remembered.delete(k);
    }
  }

  // Datagrams handed to the socket and not yet sent: closing the socket sooner would lose them.
  let sending = 0;
  function send(buf: Buffer, rinfo: RemoteInfo) {
    if (!socket) return;
    sending++;
    socket.send(buf, rinfo.port, rinfo.address, () => {
      sending--;
      settle();
    });
    stats.answered++;
  }

  /** Tells a waiting close() that nothing is being decided or sent any more. */
  function settle() {
    if (inFlight === 0 && sending === 0 && idle) idle();
  }

  async function onMessage(msg: Buffer, rinfo: RemoteInfo) {
    stats.received++;
    if (closing) return drop('closing');
    const p = parsePacket(msg);
    if (!p) return drop('malformed');
    if (p.code !== ACCESS_REQUEST) return drop('not_access_request');
    const ip = normalizeIp(rinfo.address);
    if (!ip) return drop('malformed');
    const pending = fresh();
    if (pending) await pending;
    const client = matcher.match(ip);
    if (!client) {
      warn(
        `unknown:${ip}`,
        { source: ip },
        'radius: packet from an address no RADIUS client is registered for; dropped',
      );
      return drop('unknown_client');
    }
    const key = `${ip}|${rinfo.port}|${p.identifier}|${p.authenticator.toString('hex')}`;
    const seen = remembered.get(key);
    if (seen && seen.at > now() - window) {
      stats.duplicates++;
      if (seen.response) send(seen.response, rinfo);
      return;
    }
    if (inFlight >= maxInFlight) {
      warn('busy', { inFlight }, 'radius: too many requests in flight; dropping (the NAS will resend)');
      return drop('overload');
    }
    if (attribute(p, ATTR.MESSAGE_AUTHENTICATOR)) {
      if (!messageAuthenticatorValid(p, client.secret)) {
        warn(
          `badma:${client.id}`,
          { client: client.name, source: ip },
          'radius: wrong Message-Authenticator (wrong shared secret?); dropped',
        );
        return drop('bad_authenticator');
      }
    } else if (client.requireMessageAuthenticator) {
      warn(
        `noma:${client.id}`,
        { client: client.name, source: ip },
        'radius: request without Message-Authenticator; dropped (BlastRADIUS). Configure the NAS to send it, or register it with --no-message-authenticator',
      );
      return drop('no_message_authenticator');
    } else {
      warn(
        `optout:${client.id}`,
        { client: client.name, source: ip },
        'radius: accepting a request without Message-Authenticator from a client that opted out: vulnerable to BlastRADIUS (CVE-2024-3596)',
      );
    }
    const entry: Remembered = { at: now(), response: null };
    remember(key, entry);
    inFlight++;
    let response: Buffer | null = null;
    try {
      response = await decide(p, client, ip);
    } catch (err) {
      // The store failed: no answer (the NAS resends, or fails over to another server).
      remembered.delete(key);
      warn('failed', { err }, 'radius: the decision failed; request dropped');
      drop('error');
    }
    inFlight--;
    if (response) {
      entry.response = response;
      send(response, rinfo);
    }
    settle();
  }

  async function decide(p: Packet, client: RadiusClientEntry, ip: string): Promise<Buffer> {
    const reject = () => encodeResponse(ACCESS_REJECT, p, client.secret, []);
    const nameAttr = attribute(p, ATTR.USER_NAME);
    const username = nameAttr && count(p, ATTR.USER_NAME) === 1 ? nameAttr.value.toString('utf8') : '';
    // The sign-in log's "user agent" column says which NAS asked and, when it says so, for which
    // device: the Calling-Station-Id (a MAC address on Wi-Fi, the client's address on a VPN) and the
    // Framed-IP-Address. Recorded, not trusted: they are whatever the NAS was told. Lockout counts on
    // the NAS's address, as a relay (radius-clients.ts), and per account.
    const parts = [`RADIUS client ${client.name}`];
    const nasId = attribute(p, ATTR.NAS_IDENTIFIER);
    if (nasId) parts.push(`NAS-Identifier ${printable(nasId.value)}`);
    const calling = attribute(p, ATTR.CALLING_STATION_ID);
    if (calling) parts.push(`Calling-Station-Id ${printable(calling.value)}`);
    const framed = attribute(p, ATTR.FRAMED_IP_ADDRESS);
    if (framed && framed.value.length === 4) parts.push(`Framed-IP-Address ${[...framed.value].join('.')}`);
    const password = attribute(p, ATTR.USER_PASSWORD);
    const method = attribute(p, ATTR.CHAP_PASSWORD)
      ? 'CHAP'
      : attribute(p, ATTR.EAP_MESSAGE)
        ? 'EAP'
        : hasMsChap(p)
          ? 'MS-CHAP'
          : password
            ? null
            : 'no password';
    core.radiusClients.noteNas(ip);
    if (method !== null || count(p, ATTR.USER_PASSWORD) !== 1) {
      // CHAP, MS-CHAP and EAP methods prove knowledge of the password with a challenge; checking them
      // needs the password itself, and Latchkey keeps only keyed hashes.
      parts.push(`method ${method ?? 'several User-Password'}`);
      await core.radiusClients.recordRefusal({
        username: username || '(none)',
        ip,
        userAgent: parts.join('; ').slice(0, 512),
        reason: METHOD_UNSUPPORTED,
      });
      return reject();
    }
    const secret = decryptUserPassword(password!.value, client.secret, p.authenticator);
    const r = await core.signIn({
      username,
      // A malformed User-Password is a wrong password: the decision refuses and logs it.
      secret: secret ? secret.toString('utf8') : '',
      door: 'radius',
      ip,
      userAgent: parts.join('; ').slice(0, 512),
    });
    if (!r.ok) return reject();
    // Class (RFC 2865 §5.25): the NAS echoes it in its accounting; it names the account and credential.
    const cls = `latchkey:${r.user.username}:${r.credential.kind === 'app_password' ? `app-password:${r.credential.id}` : 'primary'}`;
    // The operator's reply rules for the person's groups (core/radius-replies.ts), read now: a change
    // holds on the next request.
    const replies = await core.radiusClients.replyAttributes(client.id, r.user.role);
    return encodeResponse(ACCESS_ACCEPT, p, client.secret, [
      ...replies,
      { type: ATTR.CLASS, value: Buffer.from(cls, 'utf8').subarray(0, 253) },
    ]);
  }

  return {
    stats,
    /** Binds the UDP port; resolves with the port bound (0 picks one). */
    listen(port: number, host: string): Promise<number> {
      const s = createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4' });
      socket = s;
      s.on('message', (msg, rinfo) => {
        if (msg.length > MAX_PACKET) return drop('malformed');
        onMessage(msg, rinfo).catch((err) => {
          warn('failed', { err }, 'radius: request dropped');
          drop('error');
        });
      });
      return new Promise((resolve, reject) => {
        s.once('error', reject);
        s.bind(port, host, () => {
          s.off('error', reject);
          s.on('error', (err) => opts.log({ err }, 'radius: socket error'));
          resolve(s.address().port);
        });
      });
    },
    /**
     * Stops taking requests at once, answers those being decided (for at most `timeoutMs`), then
     * closes the socket.
     */
    async close(timeoutMs = 10_000): Promise<void> {
      closing = true;
      if (inFlight > 0 || sending > 0) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, timeoutMs);
          idle = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
      const s = socket;
      socket = null;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
      remembered.clear();
    },
    /** Answers remembered for retransmissions (for tests of the bound). */
    remembered: () => remembered.size,
    inFlight: () => inFlight,
  };
}

export type RadiusServer = ReturnType<typeof createRadiusServer>;

/** A NAS-supplied string for the log: printable ASCII only, bounded. */
function printable(value: Buffer): string {
  return value
    .toString('latin1')
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 64);
}

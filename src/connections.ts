// What the network doors (HTTP, LDAP) share to keep one client from holding every connection: a count of
// open connections per source with a cap, and warnings about refusals written once a minute per source,
// not once per connection (a refused flood must not become a flood of log lines).
//
// Sources are counted as the lockout counts them (core/validate.ts): one spelling per address, IPv6 per
// /64, since one host usually holds a whole /64. Caps are per door and per process.

import { BlockList, type Server, type Socket } from 'node:net';
import { normalizeIp, sourceKey } from './core/validate.js';

export type WarnLog = (obj: object, msg: string) => void;

/** The default caps, shared by both doors (src/config.ts documents them). */
export const DEFAULT_MAX_CONNECTIONS = 4096;
export const DEFAULT_MAX_CONNECTIONS_PER_SOURCE = 256;

/**
 * Connections the kernel may hold waiting to be accepted (the kernel caps it at net.core.somaxconn,
 * 4096 on Linux ≥ 5.4). With Node's default, 511, a burst such as a flood being refused overflows the
 * queue and the kernel drops everyone's new connections, which retry only after a second.
 */
export const LISTEN_BACKLOG = 4096;

const WARN_INTERVAL_MS = 60_000;
/** Sources remembered for warnings; beyond this the oldest are forgotten (an attacker may own many). */
const WARN_MEMORY = 10_000;

/** At most one line per key per minute; the line says how many refusals it stands for. */
export class ThrottledWarning {
  private readonly seen = new Map<string, { at: number; refused: number }>();

  constructor(
    private readonly log: WarnLog,
    private readonly intervalMs = WARN_INTERVAL_MS,
  ) {}

  warn(key: string, obj: object, msg: string): void {
    const now = Date.now();
    const entry = this.seen.get(key);
    if (entry && now - entry.at < this.intervalMs) {
      entry.refused++;
      return;
    }
    const refused = (entry?.refused ?? 0) + 1;
    this.seen.delete(key);
    if (this.seen.size >= WARN_MEMORY) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(key, { at: now, refused: 0 });
    this.log({ ...obj, refused }, msg);
  }
}

/** Matches addresses against a list of addresses and CIDRs (LATCHKEY_TRUSTED_PROXIES, already checked). */
export function addressMatcher(list: readonly string[]): (ip: string) => boolean {
  if (list.length === 0) return () => false;
  const blocks = new BlockList();
  for (const entry of list) {
    const [addr, bits] = entry.split('/');
    const normal = normalizeIp(addr);
    if (normal === null) continue;
    const type = normal.includes(':') ? 'ipv6' : 'ipv4';
    if (bits === undefined) blocks.addAddress(normal, type);
    else blocks.addSubnet(normal, Number(bits), type);
  }
  return (ip) => {
    const normal = normalizeIp(ip);
    return normal !== null && blocks.check(normal, normal.includes(':') ? 'ipv6' : 'ipv4');
  };
}

export interface SourceCapOptions {
  /** Connections one source may hold open; 0 = no cap. */
  perSource: number;
  /** Sources never capped: trusted proxies and relays, through which everyone's traffic arrives. */
  exempt: (ip: string) => boolean;
  /** "http" or "ldap": names the door in warnings. */
  door: string;
  warnings: ThrottledWarning;
}

/** Counts open connections per source; a connection over its source's cap is refused at once. */
export class SourceCap {
  private readonly open = new Map<string, number>();

  constructor(private readonly opts: SourceCapOptions) {}

  /**
   * Counts a new connection against its source until it closes. False when the source already holds its
   * share: the caller closes the connection, which is then not counted.
   */
  admit(socket: Socket): boolean {
    if (this.opts.perSource <= 0) return true;
    const ip = normalizeIp(socket.remoteAddress);
    if (ip === null || this.opts.exempt(ip)) return true;
    const key = sourceKey(ip);
    const held = this.open.get(key) ?? 0;
    if (held >= this.opts.perSource) {
      this.opts.warnings.warn(
        `source:${key}`,
        { source: key, cap: this.opts.perSource },
        `${this.opts.door}: connections refused: this source holds its share of connections`,
      );
      return false;
    }
    this.open.set(key, held + 1);
    socket.once('close', () => {
      const left = (this.open.get(key) ?? 1) - 1;
      if (left <= 0) this.open.delete(key);
      else this.open.set(key, left);
    });
    return true;
  }

  /** Open connections counted for an address's source (for tests and metrics). */
  held(ip: string): number {
    const normal = normalizeIp(ip);
    return normal === null ? 0 : (this.open.get(sourceKey(normal)) ?? 0);
  }
}

/**
 * The global cap: net.Server closes connections beyond maxConnections itself before any JavaScript runs
 * for them; this says so in the log, once a minute.
 */
export function capConnections(server: Server, max: number, door: string, warnings: ThrottledWarning): void {
  server.maxConnections = max;
  server.on('drop', () =>
    warnings.warn(
      'global',
      { cap: max },
      `${door}: connections refused: the listener holds its maximum number of connections`,
    ),
  );
}

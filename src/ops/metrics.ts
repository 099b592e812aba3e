// Prometheus metrics of a node (issue 12, item 2): what the check path decided and how long it took,
// lockouts, the write-behind, open connections, store errors, and the process.
//
// The check path is measured in plain numbers, not through prom-client's per-call API: a labelled
// child's inc() and observe() hash their labels and allocate on every call (about 0.5 µs together, a
// twentieth of a check answered from memory). Here a door's tally is found once per call in a Map,
// a refusal's reason in a second one, and the rest is arithmetic on numbers and a Float64Array.
// prom-client reads the tallies when /metrics is scraped, and renders the text format.
//
// Nothing here is ever given a secret; labels are the door, the result and the reason only.

import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  type LabelValues,
  type MetricObjectWithValues,
  type MetricValueWithName,
  Registry,
} from 'prom-client';

/**
 * Upper bounds (seconds) of the check-latency histogram: from a check answered from memory (tens of
 * microseconds) through a first sight read from the store (about a millisecond) to argon2id, queued
 * behind others in the hashing lanes (tens to hundreds of milliseconds).
 */
export const CHECK_BUCKETS = [
  0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
] as const;

/** What the doors of one kind decided, counted by the check path. */
class DoorTally {
  accepted = 0;
  /** Refusals by reason. */
  readonly refused = new Map<string, { n: number }>();
  /** Attempts refused because the account or source was locked (`locked_out`). */
  lockouts = 0;
  /** Checks that ended in an exception (an outage of the store, or a bug) instead of a decision. */
  errors = 0;
  /** Observations per bucket, not cumulative; the last one is above every bound (+Inf). */
  readonly buckets = new Float64Array(CHECK_BUCKETS.length + 1);
  sum = 0;
  count = 0;

  observe(seconds: number): void {
    let i = 0;
    while (i < CHECK_BUCKETS.length && seconds > CHECK_BUCKETS[i]!) i++;
    this.buckets[i]! += 1;
    this.sum += seconds;
    this.count += 1;
  }
}

/** The write-behind of accepted checks (core/usage.ts), as far as its public surface shows it. */
export interface WriteBehind {
  readonly pending: number;
  readonly dropped: number;
  flush(everything?: boolean): Promise<void>;
}

export type StoreErrorKind = 'check' | 'write_behind' | 'request';

/** What the RADIUS door counts (radius/server.ts `stats`), read when /metrics is scraped. */
export interface RadiusStats {
  readonly received: number;
  readonly duplicates: number;
  readonly drops: Readonly<Record<string, number>>;
}

export interface MetricsOptions {
  /** Node's default process metrics (CPU, memory, event loop lag, GC): on for a serving node. */
  process?: boolean;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly doors = new Map<string, DoorTally>();
  private readonly storeErrorCounts = new Map<StoreErrorKind, number>();
  private readonly connectionSources: { door: string; count: () => Promise<number> }[] = [];
  private writeBehind: WriteBehind | null = null;
  private readonly radius: RadiusStats[] = [];
  private readonly flushSeconds: Histogram;

  constructor(opts: MetricsOptions = {}) {
    const registers = [this.registry];
    const doors = this.doors;
    new Counter({
      name: 'latchkey_sign_ins_total',
      help: 'Sign-in decisions of this node by door, result (accepted, refused) and reason of a refusal; the browser door counts its password step.',
      labelNames: ['door', 'result', 'reason'] as const,
      registers,
      collect() {
        this.reset();
        for (const [door, t] of doors) {
          this.inc({ door, result: 'accepted', reason: '' }, t.accepted);
          for (const [reason, c] of t.refused) this.inc({ door, result: 'refused', reason }, c.n);
        }
      },
    });
    new Counter({
      name: 'latchkey_lockouts_total',
      help: 'Attempts refused because their account or source was locked out (each lock shows as the attempts it turned away).',
      labelNames: ['door'] as const,
      registers,
      collect() {
        this.reset();
        for (const [door, t] of doors) this.inc({ door }, t.lockouts);
      },
    });
    this.registry.registerMetric(
      new TallyHistogram(
        'latchkey_check_duration_seconds',
        'Time from a sign-in attempt reaching the decision to its answer, by door.',
        doors,
      ),
    );
    const storeErrors = this.storeErrorCounts;
    new Counter({
      name: 'latchkey_store_errors_total',
      help: 'Failures of the store (or bugs) seen by: a check that threw instead of deciding, a write-behind flush, an HTTP request answered 500.',
      labelNames: ['operation'] as const,
      registers,
      collect() {
        this.reset();
        for (const kind of ['check', 'write_behind', 'request'] as const)
          this.inc({ operation: kind }, storeErrors.get(kind) ?? 0);
      },
    });
    const self = this;
    new Gauge({
      name: 'latchkey_write_behind_pending',
      help: 'Rows of the write-behind not yet in the store: sign-in aggregates, last uses, familiar sources.',
      registers,
      collect() {
        this.set(self.writeBehind?.pending ?? 0);
      },
    });
    new Counter({
      name: 'latchkey_write_behind_dropped_total',
      help: 'Accepted checks whose aggregate was dropped because too many rows were pending (an outage of the store).',
      registers,
      collect() {
        this.reset();
        this.inc(self.writeBehind?.dropped ?? 0);
      },
    });
    this.flushSeconds = new Histogram({
      name: 'latchkey_write_behind_flush_duration_seconds',
      help: 'Time a write-behind flush took (once a second when there is something to write), failed ones included.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const sources = this.connectionSources;
    new Gauge({
      name: 'latchkey_open_connections',
      help: 'Connections open on this node, by door (http; ldap counts plain LDAP and LDAPS).',
      labelNames: ['door'] as const,
      registers,
      async collect() {
        this.reset();
        const totals = new Map<string, number>();
        for (const s of sources) totals.set(s.door, (totals.get(s.door) ?? 0) + (await s.count()));
        for (const [door, n] of totals) this.set({ door }, n);
      },
    });
    const radius = this.radius;
    new Counter({
      name: 'latchkey_radius_dropped_total',
      help: 'RADIUS datagrams this node dropped without an answer, by reason: malformed, not_access_request, unknown_client, bad_authenticator (usually a wrong shared secret), no_message_authenticator (BlastRADIUS), overload, error, closing.',
      labelNames: ['reason'] as const,
      registers,
      collect() {
        this.reset();
        if (radius.length === 0) return;
        const totals = new Map<string, number>();
        for (const r of radius)
          for (const [reason, n] of Object.entries(r.drops))
            totals.set(reason, (totals.get(reason) ?? 0) + n);
        for (const [reason, n] of totals) this.inc({ reason }, n);
      },
    });
    new Counter({
      name: 'latchkey_radius_duplicates_total',
      help: 'RADIUS retransmissions answered from memory (the answer already given), without a second check.',
      registers,
      collect() {
        this.reset();
        this.inc(radius.reduce((n, r) => n + r.duplicates, 0));
      },
    });
    new Counter({
      name: 'latchkey_radius_received_total',
      help: 'RADIUS datagrams this node received, answered or not.',
      registers,
      collect() {
        this.reset();
        this.inc(radius.reduce((n, r) => n + r.received, 0));
      },
    });
    if (opts.process) collectDefaultMetrics({ register: this.registry });
  }

  private tally(door: string): DoorTally {
    let t = this.doors.get(door);
    if (t === undefined) {
      t = new DoorTally();
      this.doors.set(door, t);
    }
    return t;
  }

  /** One decision of the check path. `reason` is null for an accepted attempt. */
  decided(door: string, ok: boolean, reason: string | null, seconds: number): void {
    const t = this.doors.get(door) ?? this.tally(door);
    t.observe(seconds);
    if (ok) {
      t.accepted += 1;
      return;
    }
    const r = reason ?? 'unknown';
    const cell = t.refused.get(r);
    if (cell !== undefined) cell.n += 1;
    else t.refused.set(r, { n: 1 });
    if (r === 'locked_out') t.lockouts += 1;
  }

  /** A check that threw (the store failed) instead of deciding. */
  checkFailed(door: string, seconds: number): void {
    const t = this.doors.get(door) ?? this.tally(door);
    t.observe(seconds);
    t.errors += 1;
    this.storeError('check');
  }

  storeError(kind: StoreErrorKind): void {
    this.storeErrorCounts.set(kind, (this.storeErrorCounts.get(kind) ?? 0) + 1);
  }

  /** Connections open on a door, asked when /metrics is scraped (several sources of one door add up). */
  countConnections(door: string, count: () => Promise<number>): void {
    this.connectionSources.push({ door, count });
  }

  /** Follows a RADIUS door's counters (read at scrape time). */
  watchRadius(stats: RadiusStats): void {
    this.radius.push(stats);
  }

  /**
   * Follows the write-behind: its pending rows and drops at scrape time, and the time of each flush.
   * usage.ts keeps its timer's flushes to itself, so the recorder's own `flush` is wrapped (on this
   * instance only): its timer calls `this.flush`, which then reaches the wrapper.
   */
  watchWriteBehind(usage: WriteBehind): void {
    this.writeBehind = usage;
    const flush = usage.flush.bind(usage);
    const histogram = this.flushSeconds;
    const target = usage as { flush: WriteBehind['flush'] };
    target.flush = (everything?: boolean) => {
      // An empty flush writes nothing: it is not a flush worth timing.
      if (usage.pending === 0) return flush(everything);
      const started = performance.now();
      return flush(everything).then(
        () => histogram.observe((performance.now() - started) / 1000),
        (err: unknown) => {
          histogram.observe((performance.now() - started) / 1000);
          this.storeError('write_behind');
          throw err;
        },
      );
    };
  }

  /** The text format, for a scrape. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/**
 * A histogram whose observations are counted by the check path itself (DoorTally) and read here when
 * scraped, in the shape prom-client's own histograms give the registry.
 */
class TallyHistogram extends Histogram<'door'> {
  constructor(
    private readonly metricName: string,
    private readonly metricHelp: string,
    private readonly tallies: Map<string, DoorTally>,
  ) {
    super({
      name: metricName,
      help: metricHelp,
      labelNames: ['door'],
      buckets: [...CHECK_BUCKETS],
      registers: [],
    });
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<'door'>>> {
    const values: MetricValueWithName<'door'>[] = [];
    const name = this.metricName;
    const bucket = `${name}_bucket`;
    for (const [door, t] of this.tallies) {
      let cumulative = 0;
      CHECK_BUCKETS.forEach((le, i) => {
        cumulative += t.buckets[i]!;
        values.push({ metricName: bucket, labels: { le, door } as LabelValues<'door'>, value: cumulative });
      });
      values.push({
        metricName: bucket,
        labels: { le: '+Inf', door } as LabelValues<'door'>,
        value: t.count,
      });
      values.push({ metricName: `${name}_sum`, labels: { door }, value: t.sum });
      values.push({ metricName: `${name}_count`, labels: { door }, value: t.count });
    }
    // The shape prom-client's histograms return; its typings say `type` is an enum, the code a string.
    return {
      name,
      help: this.metricHelp,
      type: 'histogram',
      values,
      aggregator: 'sum',
    } as unknown as MetricObjectWithValues<MetricValueWithName<'door'>>;
  }

  /** The registry prefers this one when a metric has it (prom-client's own histograms do). */
  getForPromString() {
    return this.get();
  }
}

/** Equal, in a time that does not depend on where the two differ (hashes first: lengths may differ). */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token of `Authorization: Bearer …`, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const m = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  return m ? m[1]! : null;
}

export interface MetricsListener {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * LATCHKEY_METRICS_ADDRESS: /metrics alone on a listener of its own (an address the scraper reaches
 * and the public does not), with the token too when one is set. Everything else there is 404.
 */
export async function listenForMetrics(
  metrics: Metrics,
  address: { host: string; port: number },
  token: string | null,
): Promise<MetricsListener> {
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    if (token !== null) {
      const given = bearerToken(req.headers.authorization);
      if (given === null || !tokenMatches(given, token)) {
        res
          .writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' })
          .end('Unauthorized\n');
        return;
      }
    }
    metrics.render().then(
      (text) => {
        res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      () => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Internal error\n');
      },
    );
  });
  // A scraper keeps its connection; a stopping node must not wait for it.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address.host, port: address.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

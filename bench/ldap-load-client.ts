// The LDAP bind load client, one process of it (started by bench/ldap-load.ts, driven over IPC).
//
// Each connection keeps exactly one simple bind outstanding (closed loop, as a mail server's auth
// connection pool does): it sends the next pre-encoded BindRequest as soon as the answer to the previous
// one has arrived. Requests are encoded before the run starts, so the loop only writes buffers and reads
// three small integers out of each answer. A bind counts as a success only if the answer is a
// BindResponse to that very message with resultCode 0 (success); anything else is an error, counted by
// resultCode, never retried.

import { connect, type Socket } from 'node:net';
import {
  type ClientReport,
  type FromClient,
  HIST_BUCKETS,
  HIST_STEP_US,
  type ToClient,
} from './ldap-load.js';
import { BIND_RESPONSE_TAG, encodeSimpleBind, messageLength, readResponse } from './ldap-wire.js';

const send = (m: FromClient) => process.send?.(m);

let requests: Buffer[] = [];
/** 'idle' until go; binds are only started while 'run'. */
let phase: 'idle' | 'run' | 'stopped' = 'idle';
let measuring = false;
let ok = 0;
let errors = 0;
let closed = 0;
const codes = new Map<number, number>();
const histogram = new Uint32Array(HIST_BUCKETS + 1);
let windowStart = 0;
let cpuStart: NodeJS.CpuUsage = { user: 0, system: 0 };

class Connection {
  private pending: Buffer | null = null;
  private expectedId = 0;
  private sentAt = 0;
  private outstanding = false;

  constructor(
    readonly socket: Socket,
    private next: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      if (phase !== 'stopped') closed++;
      if (this.outstanding && measuring && phase !== 'stopped') errors++;
      this.outstanding = false;
    });
  }

  /** Sends the next bind, if the run is on and the previous one has been answered. */
  fire(): void {
    if (phase !== 'run' || this.outstanding || this.socket.destroyed) return;
    const i = this.next;
    this.next = i + 1 === requests.length ? 0 : i + 1;
    // Request i was encoded with messageID i + 1.
    this.expectedId = i + 1;
    this.outstanding = true;
    this.sentAt = performance.now();
    this.socket.write(requests[i]!);
  }

  private onData(chunk: Buffer): void {
    let buf = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const n = messageLength(buf);
      if (n === 0) break;
      this.onMessage(buf.subarray(0, n));
      buf = buf.subarray(n);
    }
    this.pending = buf.length > 0 ? buf : null;
  }

  private onMessage(msg: Buffer): void {
    const r = readResponse(msg);
    const isAnswer = r.op === BIND_RESPONSE_TAG && r.messageId === this.expectedId && this.outstanding;
    if (measuring) {
      if (isAnswer && r.resultCode === 0) {
        ok++;
        const us = (performance.now() - this.sentAt) * 1000;
        histogram[Math.min(HIST_BUCKETS, Math.floor(us / HIST_STEP_US))]!++;
      } else {
        errors++;
        // A response that is not the answer (e.g. a Notice of Disconnection) is recorded as code -1
        // when it carries resultCode 0, so it cannot pass for a success.
        const code = isAnswer || r.resultCode !== 0 ? r.resultCode : -1;
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    }
    if (isAnswer) {
      this.outstanding = false;
      this.fire();
    }
  }
}

const connections: Connection[] = [];

function open(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

async function init(m: Extract<ToClient, { type: 'init' }>): Promise<void> {
  requests = m.requests.map((r, i) => encodeSimpleBind(i + 1, r.dn, r.password));
  // Connections start at different places in the list, so that no two send the same user at once.
  const stride = Math.max(1, Math.floor(requests.length / Math.max(1, m.connections)));
  for (let c = 0; c < m.connections; c++) {
    const socket = await open(m.host, m.port);
    connections.push(new Connection(socket, (m.offset + c * stride) % requests.length));
  }
}

function report(): ClientReport {
  const seconds = (performance.now() - windowStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const sparse: Array<[number, number]> = [];
  histogram.forEach((n, bucket) => {
    if (n > 0) sparse.push([bucket, n]);
  });
  return {
    type: 'result',
    ok,
    errors,
    codes: Object.fromEntries([...codes].map(([k, v]) => [String(k), v])),
    closed,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    histogram: sparse,
  };
}

process.on('message', (m: ToClient) => {
  switch (m.type) {
    case 'init':
      init(m).then(
        () => send({ type: 'ready' }),
        (e: unknown) => send({ type: 'failed', message: e instanceof Error ? e.message : String(e) }),
      );
      return;
    case 'go':
      phase = 'run';
      for (const c of connections) c.fire();
      return;
    case 'measure':
      ok = 0;
      errors = 0;
      closed = 0;
      codes.clear();
      histogram.fill(0);
      windowStart = performance.now();
      cpuStart = process.cpuUsage();
      measuring = true;
      return;
    case 'stop': {
      const r = report();
      measuring = false;
      phase = 'stopped';
      send(r);
      for (const c of connections) c.socket.destroy();
      return;
    }
  }
});

// The parent going away (or disconnecting after the report) ends this process.
process.on('disconnect', () => {
  for (const c of connections) c.socket.destroy();
  process.exit(0);
});

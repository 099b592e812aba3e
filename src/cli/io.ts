// Input and output of the `latchkey` command: secrets from standard input (never from arguments),
// tables for people, JSON for scripts.

import type { Readable, Writable } from 'node:stream';
import { LatchkeyError } from '../core/errors.js';
import { MAX_SECRET_BYTES } from '../core/validate.js';

export interface CliIO {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

/**
 * Reads one secret from standard input: everything up to end of input, without the final line break.
 * Stops reading past the size limit so that a flood cannot fill memory.
 */
export async function readSecret(io: CliIO, prompt: string): Promise<string> {
  if (io.stdin.isTTY) return readHidden(io, prompt);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_SECRET_BYTES + 2) throw new LatchkeyError('SECRET_TOO_LONG');
    chunks.push(buf);
    // At a terminal, one line is the answer.
    if (io.stdin.isTTY && buf.includes(10)) break;
  }
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (Buffer.byteLength(text, 'utf8') > MAX_SECRET_BYTES) throw new LatchkeyError('SECRET_TOO_LONG');
  if (text.includes('\n')) {
    throw new LatchkeyError('SECRET_INVALID', 'Standard input must hold one secret on one line.');
  }
  return text;
}

export function printJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain table: a header and left-aligned columns, "-" for none. */
export function printTable(
  io: CliIO,
  rows: Record<string, unknown>[],
  columns: [key: string, title: string][],
): void {
  if (rows.length === 0) {
    io.stdout.write('(none)\n');
    return;
  }
  const cell = (v: unknown) =>
    v === null || v === undefined || v === '' ? '-' : Array.isArray(v) ? v.join(',') : String(v);
  const widths = columns.map(([k, t]) => Math.max(t.length, ...rows.map((r) => cell(r[k]).length)));
  const line = (vals: string[]) =>
    `${vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()}\n`;
  io.stdout.write(line(columns.map(([, t]) => t)));
  for (const r of rows) io.stdout.write(line(columns.map(([k]) => cell(r[k]))));
}

export function printFields(io: CliIO, obj: Record<string, unknown>): void {
  const keys = Object.keys(obj);
  const w = Math.max(...keys.map((k) => k.length));
  for (const k of keys) {
    const v = obj[k];
    io.stdout.write(
      `${`${k}:`.padEnd(w + 1)} ${v === null || v === undefined ? '-' : Array.isArray(v) ? v.join(',') : String(v)}\n`,
    );
  }
}

/** At a terminal: one line, without echo, so that the secret stays off the screen and its scrollback. */
function readHidden(io: CliIO, prompt: string): Promise<string> {
  const stdin = io.stdin as NodeJS.ReadStream;
  io.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (err: Error | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      io.stderr.write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003') return done(new LatchkeyError('SECRET_INVALID', 'Interrupted.'));
        if (ch === '\u007f' || ch === '\b') text = [...text].slice(0, -1).join('');
        else text += ch;
        if (Buffer.byteLength(text, 'utf8') > MAX_SECRET_BYTES)
          return done(new LatchkeyError('SECRET_TOO_LONG'));
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

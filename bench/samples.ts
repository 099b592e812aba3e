// The credentials a bench loop presents and the state it starts from, shared by every section and
// by the benches that load another tree's dist/ (heap.ts): nothing here loads src/ beyond the app
// password's format.

import { closeSync, openSync, readSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { formatAppPassword } from '../src/crypto/app-passwords.js';
import type { DataSet } from './dataset.js';

/** One credential as a mail client would present it. */
export interface Sample {
  username: string;
  /** As the person pasted it from the portal: four-letter groups separated by spaces. */
  secret: string;
  letters: string;
  ip: string;
}

/**
 * Random (user, slot) pairs spread over the whole data set, so that lookups land all over the hash
 * index as real traffic does, each from the device that holds that app password. Prepared before
 * timing: the loops only index an array.
 */
export function pickSamples(ds: DataSet, count: number): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < count; i++) {
    const user = Math.floor(Math.random() * ds.users);
    const slot = Math.floor(Math.random() * ds.perUser);
    const letters = ds.appPassword(user, slot);
    out.push({
      username: ds.username(user),
      secret: formatAppPassword(letters),
      letters,
      ip: ds.deviceIp(user, slot),
    });
  }
  return out;
}

/**
 * Accepted checks leave per-minute sign-in aggregates behind; clearing them keeps a cached data set the
 * same from run to run. Last-used fields and familiar sources only move forward in time (every device
 * is familiar from the start), and neither changes what a check costs.
 */
export function resetSignInLog(ds: DataSet): void {
  const db = new SQLite(ds.dbFile);
  try {
    db.exec('delete from sign_in_events');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/**
 * Reads the database file once, right before its loops, so that every loop finds it in the OS page
 * cache: otherwise whichever loop runs first pays for the disk, and the comparison says nothing. (Some
 * VMs give idle page cache back to the host within a minute, so an earlier warm-up would not last.)
 */
export function warmFileCache(ds: DataSet): void {
  const fd = openSync(ds.dbFile, 'r');
  try {
    const buf = Buffer.allocUnsafe(16 << 20);
    while (readSync(fd, buf, 0, buf.length, null) > 0) {}
  } finally {
    closeSync(fd);
  }
}

/** What a sample check needs of the core (whichever build it comes from). */
interface Checker {
  signIn(a: {
    username: string;
    secret: string;
    door: 'imap';
    ip: string;
    userAgent: string;
  }): Promise<{ ok: boolean; user?: { username: string } }>;
}

/** The i-th check of a loop: sample i (round the list) through the IMAP door, right only for its owner. */
export function sampleCheck(core: Checker, samples: readonly Sample[]): (i: number) => Promise<boolean> {
  return async (i) => {
    const s = samples[i % samples.length]!;
    const r = await core.signIn({
      username: s.username,
      secret: s.secret,
      door: 'imap',
      ip: s.ip,
      userAgent: 'bench-mail-client/1.0',
    });
    return r.ok && r.user?.username === s.username;
  };
}

// Opens the store: a SQLite file in the data dir by default, PostgreSQL when DATABASE_URL is set.
// Kysely is the adapter between the two; this file only chooses the dialect, tunes the connection and
// applies the numbered migrations.

import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type Driver,
  Kysely,
  type KyselyPlugin,
  type Migration,
  type MigrationProvider,
  Migrator,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PostgresDialect,
  type QueryResult,
  type RootOperationNode,
  SqliteDialect,
  type Transaction,
  type UnknownRow,
} from 'kysely';
import pg from 'pg';
import { type Checkpointer, SETTLE_EVERY_TRANSACTIONS, startCheckpointer } from './checkpointer.js';
import { up001 } from './migrations/001-initial.js';
import { up002 } from './migrations/002-doors.js';
import { up003 } from './migrations/003-api-tokens.js';
import { up004 } from './migrations/004-browser.js';
import { up005 } from './migrations/005-user-search.js';
import { up006 } from './migrations/006-service-sources.js';
import { up007 } from './migrations/007-oidc.js';
import { up008 } from './migrations/008-sso.js';
import { up009 } from './migrations/009-check-changes.js';
import { up010 } from './migrations/010-overview.js';
import { up011 } from './migrations/011-sign-in-hours.js';
import { up012 } from './migrations/012-radius-clients.js';
import { up013 } from './migrations/013-device-logins.js';
import { up014 } from './migrations/014-radius-replies.js';
import { up015 } from './migrations/015-user-language.js';
import { up016 } from './migrations/016-device-login-sources.js';
import type { DB } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/**
 * Rows per statement in write-behind batches: each statement runs synchronously on SQLite, so its
 * length is how long every door may wait behind it (the p99 of /auth/basic).
 */
export const WRITE_BATCH = 50;

/**
 * Lets waiting I/O run between the statements of a long batch: on SQLite every statement completes
 * synchronously, so without this a big write-behind flush would hold every door for its whole length.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
export type Executor = Kysely<DB> | Transaction<DB>;

export interface Store {
  readonly dialect: Dialect;
  readonly db: Kysely<DB>;
  /** Where the data lives, for the operator (the SQLite path, or the PostgreSQL URL without its password). */
  readonly location: string;
  transaction<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T>;
  /**
   * Runs a query compiled once, with new parameters: the hot paths (app-password checks) skip
   * Kysely's per-call query building, and on SQLite reuse a prepared statement.
   */
  runCompiled<R>(compiled: CompiledQuery<R>, parameters: readonly unknown[]): Promise<R[]>;
  /**
   * Compiles `query` once. It was built with `sentinels` in place of its inputs; the returned function
   * runs it with `values` in their place (each sentinel may occur several times).
   */
  prepare<R>(
    query: { compile(): CompiledQuery<R> },
    sentinels: readonly unknown[],
  ): (values: readonly unknown[]) => Promise<R[]>;
  close(): Promise<void>;
  /**
   * How many writes this process has finished (statements that are not SELECTs, and commits): the
   * check path's memory reads the change feed again whenever this moved (core/check-cache.ts).
   */
  writes(): number;
  /** SQLite only: the read connection's data version, which moves when any connection commits. */
  readonly dataVersion: (() => number) | null;
  /**
   * SQLite only (null on PostgreSQL): runs one prepared statement for each row, `perTransaction` rows
   * to a transaction, letting the event loop run between transactions. Each transaction is a few
   * milliseconds of synchronous work at most: the write-behind's way to stay out of every door's way.
   */
  readonly runBatch:
    | (<T>(
        sql: string,
        items: readonly T[],
        toRow: (item: T) => unknown[],
        perTransaction?: number,
      ) => Promise<void>)
    | null;
  /** PostgreSQL only: where to LISTEN for other nodes' changes. */
  readonly databaseUrl: string | null;
}

/** Counts finished writes (see Store.writes). */
class WriteCounter implements KyselyPlugin {
  count = 0;
  private readonly pending = new WeakSet<object>();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (args.node.kind !== 'SelectQueryNode') this.pending.add(args.queryId);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.pending.has(args.queryId)) this.count++;
    return args.result;
  }
}

function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '001-initial': { up: up001(dialect) },
    '002-doors': { up: up002(dialect) },
    '003-api-tokens': { up: up003(dialect) },
    '004-browser': { up: up004(dialect) },
    '005-user-search': { up: up005(dialect) },
    '006-service-sources': { up: up006(dialect) },
    '007-oidc': { up: up007(dialect) },
    '008-sso': { up: up008(dialect) },
    '009-check-changes': { up: up009(dialect) },
    '010-overview': { up: up010(dialect) },
    '011-sign-in-hours': { up: up011(dialect) },
    '012-radius-clients': { up: up012(dialect) },
    '013-device-logins': { up: up013(dialect) },
    '014-radius-replies': { up: up014(dialect) },
    '015-user-language': { up: up015(dialect) },
    '016-device-login-sources': { up: up016(dialect) },
  };
}

class Provider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations() {
    return migrations(this.dialect);
  }
}

export async function migrate(db: Kysely<DB>, dialect: Dialect): Promise<void> {
  const migrator = new Migrator({ db, provider: new Provider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(
      `Migration ${failed?.migrationName ?? ''} failed: ${(error as Error)?.message ?? 'unknown error'}`,
    );
  }
}

/** better-sqlite3 compiles a statement on every prepare(); keeping them turns a hot query into a bind and a step. */
function withStatementCache(db: SQLite.Database, max = 500): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = (source: string) => {
    let stmt = cache.get(source);
    if (stmt) {
      // Refresh recency: Map keeps insertion order, so the first key is the least recently used.
      cache.delete(source);
    } else {
      stmt = db.prepare(source);
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
    }
    cache.set(source, stmt);
    return stmt;
  };
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'prepare') return prepare;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * SQLite's plain BEGIN starts as a reader; a transaction that reads and then writes while another
 * process writes fails with SQLITE_BUSY without waiting. Our transactions all write, so they take the
 * write lock up front (BEGIN IMMEDIATE), and busy_timeout makes other processes queue instead of fail.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

export interface OpenOptions {
  dataDir: string;
  databaseUrl: string | null;
  /** PostgreSQL pool size per process. */
  poolSize?: number;
  /**
   * SQLite: copy the write-ahead log into the database on a thread of its own instead of inside a
   * commit on the event loop (store/checkpointer.ts). For the long-lived server, not for a CLI command.
   */
  checkpointThread?: boolean;
}

export async function openStore(opts: OpenOptions): Promise<Store> {
  let store: Store;
  if (opts.databaseUrl) {
    // bigint (int8) columns hold millisecond times and counters: read them as numbers, not strings.
    const types = {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === 20
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    };
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, types });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    // A connection lost while checked out (between two statements of a transaction) emits 'error' on
    // the client, where the pool listens only while it is idle: without a listener of our own that
    // error ends the process. The statement in flight fails on its own, and the pool drops the client.
    pool.on('connect', (client) => {
      client.on('error', () => {});
    });
    const counter = new WriteCounter();
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [counter] });
    // Printed at start: user, host, port and database only (a password may hide in the query too).
    const url = new URL(opts.databaseUrl);
    const where = `postgres://${url.username ? `${url.username}@` : ''}${url.host}${url.pathname}`;
    store = makeStore('postgres', db, where, counter, null, opts.databaseUrl);
  } else {
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    const file = join(opts.dataDir, 'latchkey.db');
    const raw = new SQLite(file);
    // Password hashes and the logs are nobody else's business.
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      try {
        chmodSync(f, 0o600);
      } catch {
        // -wal and -shm appear later; SQLite gives them the main file's mode.
      }
    }
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    // Other processes (a CLI next to the server) wait for the write lock instead of failing.
    raw.pragma('busy_timeout = 10000');
    const counter = new WriteCounter();
    const db = new Kysely<DB>({
      dialect: new ImmediateSqliteDialect({ database: withStatementCache(raw) }),
      plugins: [counter],
    });
    try {
      await migrate(db, 'sqlite');
    } catch (e) {
      await db.destroy();
      throw e;
    }
    // The check queries read through a second, read-only connection: in WAL mode it sees every
    // committed change at once and is never inside another caller's open transaction, and a
    // synchronous step on it skips the write connection's queue.
    const reader = new SQLite(file, { readonly: true, fileMustExist: true });
    reader.pragma('busy_timeout = 10000');
    const checkpointer = opts.checkpointThread ? startCheckpointer(file, raw) : null;
    return makeStore('sqlite', db, file, counter, reader, null, raw, checkpointer);
  }
  try {
    await migrate(store.db, store.dialect);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}

function makeStore(
  dialect: Dialect,
  db: Kysely<DB>,
  location: string,
  counter: WriteCounter,
  reader: SQLite.Database | null,
  databaseUrl: string | null,
  writer: SQLite.Database | null = null,
  checkpointer: Checkpointer | null = null,
): Store {
  const version = reader?.prepare('pragma data_version').pluck() ?? null;
  const runBatch =
    writer === null
      ? null
      : async <T>(
          source: string,
          items: readonly T[],
          toRow: (item: T) => unknown[],
          perTransaction = 50,
        ) => {
          const stmt = writer.prepare(source);
          const write = writer.transaction((from: number, to: number) => {
            for (let k = from; k < to; k++) stmt.run(toRow(items[k]!));
          });
          let commits = 0;
          for (let i = 0; i < items.length; i += perTransaction) {
            // Every so many commits the batch waits for the checkpoint thread, so that the log starts
            // over instead of growing for as long as the batch lasts (store/checkpointer.ts).
            if (checkpointer && commits >= SETTLE_EVERY_TRANSACTIONS) {
              commits = 0;
              await checkpointer.settle();
            } else if (i > 0) await yieldToEventLoop();
            commits++;
            // Kysely's hold on the one write connection: no transaction of its own is open meanwhile.
            await db.connection().execute(async () => {
              write.immediate(i, Math.min(i + perTransaction, items.length));
            });
            counter.count++;
          }
        };
  return {
    dialect,
    db,
    location,
    databaseUrl,
    writes: () => counter.count,
    runBatch,
    dataVersion: version ? () => version.get() as number : null,
    // A commit is a write too: the statements inside counted before anyone else could see them.
    transaction: (fn) =>
      db
        .transaction()
        .execute(fn)
        .finally(() => {
          counter.count++;
        }),
    async runCompiled<R>(compiled: CompiledQuery<R>, parameters: readonly unknown[]) {
      const result = await db.executeQuery<R>(
        CompiledQuery.raw(compiled.sql, [...parameters]) as CompiledQuery<R>,
      );
      return result.rows;
    },
    prepare<R>(query: { compile(): CompiledQuery<R> }, sentinels: readonly unknown[]) {
      const compiled = query.compile();
      const slots = compiled.parameters.map((p) => sentinels.indexOf(p));
      const bind = (values: readonly unknown[]) =>
        compiled.parameters.map((p, i) => (slots[i]! >= 0 ? values[slots[i]!] : p));
      if (reader) {
        let stmt: SQLite.Statement | null = null;
        return async (values: readonly unknown[]) => {
          stmt ??= reader.prepare(compiled.sql);
          return stmt.all(bind(values)) as R[];
        };
      }
      return (values: readonly unknown[]) => this.runCompiled(compiled, bind(values));
    },
    async close() {
      await checkpointer?.close();
      reader?.close();
      await db.destroy();
    },
  };
}

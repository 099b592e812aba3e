// Frozen: never edit a migration after it has landed; add the next number instead.
// The language a person chose for the pages (issue 14): a catalogue's code such as "en" or "nl", or
// NULL for "not chosen" (then this browser's choice, Accept-Language or the organisation's default
// decide). A code no catalogue has any more reads as NULL (src/http/i18n).

import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';

export function up015(_dialect: Dialect) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema.alterTable('users').addColumn('language', 'text').execute();
  };
}

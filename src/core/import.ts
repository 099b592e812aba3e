// CSV import of users (`latchkey user import FILE.csv`, and the admin page later). The file is read
// whole and every row checked before anything is written; then all rows are applied in one
// transaction, so a file is imported completely or not at all, and importing it again changes nothing.

import { parse } from 'csv-parse/sync';
import { newId } from '../crypto/ids.js';
import { deleteUserFlows } from '../store/flows.js';
import type { Role, TwoStepState, UserRow } from '../store/schema.js';
import { countAdmins, findUserByEmail, findUserByName, insertUser, updateUser } from '../store/users.js';
import { recordAudit } from './audit.js';
import type { CoreContext } from './context.js';
import { type Detail, detailMessage, ERRORS, isLatchkeyError, LatchkeyError } from './errors.js';
import { type Actor, authorize } from './policy.js';
import type { Settings } from './settings.js';
import { dropAppPasswordsIfTwoStepOff, settingsForTwoStepChange } from './two-step.js';
import { checkDisplayName, checkEmail, checkRole, checkTwoStepState, normalizeUsername } from './validate.js';

export const IMPORT_COLUMNS = ['username', 'email', 'display_name', 'role', 'two_step'] as const;
const MAX_ROWS = 100_000;

export interface ImportRowError {
  line: number;
  code: string;
  message: string;
  /** The refusal as data, when it is a particular one (the pages word it in the person's language). */
  detail?: Detail;
}

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  /** Non-empty: nothing was written. */
  errors: ImportRowError[];
}

interface Row {
  line: number;
  username: string;
  email?: string | null;
  displayName?: string | null;
  role?: Role;
  twoStep?: TwoStepState;
}

/** Parses and checks a CSV text; throws CSV_INVALID for a file that is not CSV or has a wrong header. */
export function parseImport(text: string): { rows: Row[]; errors: ImportRowError[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      info: true,
      relax_column_count: false,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    const reason = (e as { code?: string }).code ?? 'parse error';
    throw new LatchkeyError(
      'CSV_INVALID',
      line
        ? { detail: 'csvNotCsvAt', params: { line, reason } }
        : { detail: 'csvNotCsv', params: { reason } },
    );
  }
  if (records.length === 0) throw new LatchkeyError('CSV_INVALID', { detail: 'csvEmpty' });
  const header = records[0]!.record.map((h) => h.toLowerCase());
  const unknown = header.filter((h) => !(IMPORT_COLUMNS as readonly string[]).includes(h));
  if (!header.includes('username') || unknown.length > 0 || new Set(header).size !== header.length) {
    const columns = IMPORT_COLUMNS.join(',');
    throw new LatchkeyError(
      'CSV_INVALID',
      unknown.length
        ? {
            detail: 'csvHeaderUnknown',
            params: { columns, unknown: unknown.slice(0, 3).join(', ').slice(0, 80) },
          }
        : { detail: 'csvHeader', params: { columns } },
    );
  }
  if (records.length - 1 > MAX_ROWS)
    throw new LatchkeyError('CSV_INVALID', { detail: 'csvTooManyRows', params: { max: MAX_ROWS } });

  const rows: Row[] = [];
  const errors: ImportRowError[] = [];
  const seenNames = new Map<string, number>();
  const seenEmails = new Map<string, number>();
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    const cell = (name: (typeof IMPORT_COLUMNS)[number]) => {
      const i = header.indexOf(name);
      return i < 0 ? undefined : record[i];
    };
    try {
      const username = normalizeUsername(cell('username') ?? '');
      const row: Row = { line, username };
      if (cell('email') !== undefined) row.email = checkEmail(cell('email'));
      if (cell('display_name') !== undefined) row.displayName = checkDisplayName(cell('display_name'));
      if (cell('role') !== undefined && cell('role') !== '') row.role = checkRole(cell('role'));
      if (cell('two_step') !== undefined && cell('two_step') !== '')
        row.twoStep = checkTwoStepState(cell('two_step'));
      if (seenNames.has(username))
        throw new LatchkeyError('USER_EXISTS', {
          detail: 'importAlsoOnLine',
          params: { line: seenNames.get(username)! },
        });
      seenNames.set(username, line);
      if (row.email) {
        if (seenEmails.has(row.email))
          throw new LatchkeyError('EMAIL_TAKEN', {
            detail: 'importAlsoOnLine',
            params: { line: seenEmails.get(row.email)! },
          });
        seenEmails.set(row.email, line);
      }
      rows.push(row);
    } catch (e) {
      if (!isLatchkeyError(e)) throw e;
      errors.push({ line, code: e.code, message: e.message, ...(e.detail ? { detail: e.detail } : {}) });
    }
  }
  return { rows, errors };
}

class RowFailed extends Error {
  constructor(readonly failure: ImportRowError) {
    super(failure.message);
  }
}

export async function importUsers(ctx: CoreContext, actor: Actor, text: string): Promise<ImportReport> {
  authorize(actor, 'user.create');
  const { rows, errors } = parseImport(text);
  if (errors.length > 0) return { created: 0, updated: 0, unchanged: 0, errors };
  try {
    return await ctx.store.transaction(async (trx) => {
      const report: ImportReport = { created: 0, updated: 0, unchanged: 0, errors: [] };
      let settings: Settings | undefined;
      for (const r of rows) {
        const now = ctx.now();
        const existing = await findUserByName(trx, r.username);
        if (r.email) {
          const owner = await findUserByEmail(trx, r.email);
          if (owner && owner.username !== r.username) {
            const detail: Detail = { detail: 'importEmailOwner', params: { username: owner.username } };
            throw new RowFailed({
              line: r.line,
              code: 'EMAIL_TAKEN',
              message: detailMessage(detail),
              detail,
            });
          }
        }
        if (!existing) {
          const row: UserRow = {
            id: newId(),
            username: r.username,
            email: r.email ?? null,
            display_name: r.displayName ?? null,
            role: r.role ?? 'user',
            disabled_at: null,
            password_hash: null,
            password_changed_at: null,
            password_must_change: 0,
            two_step_state: r.twoStep ?? 'disabled',
            two_step_changed_at: null,
            created_at: now,
            updated_at: now,
            language: null,
          };
          await insertUser(trx, row);
          await recordAudit(ctx, trx, actor, 'user.created', r.username, {
            source: 'import',
            line: r.line,
            after: {
              email: row.email,
              displayName: row.display_name,
              role: row.role,
              twoStep: row.two_step_state,
            },
          });
          report.created += 1;
          continue;
        }
        const changes: Partial<UserRow> = {};
        if (r.email !== undefined && r.email !== existing.email) changes.email = r.email;
        if (r.displayName !== undefined && r.displayName !== existing.display_name)
          changes.display_name = r.displayName;
        if (r.role !== undefined && r.role !== existing.role) changes.role = r.role;
        if (r.twoStep !== undefined && r.twoStep !== existing.two_step_state) {
          changes.two_step_state = r.twoStep;
          changes.two_step_changed_at = now;
        }
        if (Object.keys(changes).length === 0) {
          report.unchanged += 1;
          continue;
        }
        await updateUser(trx, existing.id, { ...changes, updated_at: now });
        // The rules of the one-user functions hold here too: an import never leaves Latchkey without
        // an active administrator, and a two-step change ends sign-ins under way.
        if (changes.role !== undefined && existing.role === 'admin' && (await countAdmins(trx)) < 1) {
          throw new RowFailed({ line: r.line, code: 'LAST_ADMIN', message: ERRORS.LAST_ADMIN.message });
        }
        if (changes.two_step_state !== undefined) await deleteUserFlows(trx, existing.id);
        // Turning two-step off deletes app passwords here by the same rule as everywhere (B3).
        let deleted = 0;
        if (changes.two_step_state === 'disabled') {
          settings ??= await settingsForTwoStepChange(ctx, trx);
          const after = { ...existing, ...changes };
          deleted = await dropAppPasswordsIfTwoStepOff(ctx, trx, actor, after, settings, 'two_step_disabled');
        }
        const before = Object.fromEntries(Object.keys(changes).map((k) => [k, existing[k as keyof UserRow]]));
        await recordAudit(ctx, trx, actor, 'user.updated', r.username, {
          source: 'import',
          line: r.line,
          before,
          after: changes,
          appPasswordsDeleted: deleted,
        });
        report.updated += 1;
      }
      return report;
    });
  } catch (e) {
    if (e instanceof RowFailed) return { created: 0, updated: 0, unchanged: 0, errors: [e.failure] };
    throw e;
  }
}

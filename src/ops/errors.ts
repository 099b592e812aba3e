// Errors of the operator's commands (backup, restore, doctor). They stay out of the core's registry
// (core/errors.ts), which holds what the doors may answer; these reach only a shell. The CLI prints
// them like the core's: `latchkey: CODE: message`, exit 1.

export type OpsErrorCode =
  | 'BACKUP_DIR_NOT_EMPTY'
  | 'BACKUP_SOURCE_MISSING'
  | 'BACKUP_INVALID'
  | 'RESTORE_WOULD_OVERWRITE';

export class OpsError extends Error {
  constructor(
    readonly code: OpsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OpsError';
  }
}

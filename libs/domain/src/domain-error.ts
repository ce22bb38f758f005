/** Stable codes for every way a command can be refused. The HTTP edge maps each kind to a status. */
export type DomainErrorCode =
  | 'BRIEFING_NOT_FOUND'
  | 'BRIEFING_EXISTS'
  | 'BRIEFING_CLOSED'
  | 'QUESTION_NOT_FOUND'
  | 'REMARK_NOT_FOUND'
  | 'REMARK_RETRACTED'
  | 'NOTHING_TO_CORRECT'
  | 'ID_CONFLICT'
  | 'INVALID_INPUT';

const notFound: ReadonlySet<DomainErrorCode> = new Set([
  'BRIEFING_NOT_FOUND',
  'QUESTION_NOT_FOUND',
  'REMARK_NOT_FOUND',
]);

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** For INVALID_INPUT: which field was wrong. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get isNotFound(): boolean {
    return notFound.has(this.code);
  }
}

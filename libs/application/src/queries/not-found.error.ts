/** A query named something the archive does not hold: a briefing, topic, speaker or remark. */
export class NotFoundError extends Error {
  constructor(
    readonly what: string,
    readonly id: string,
  ) {
    super(`${what} ${id} was not found`);
    this.name = 'NotFoundError';
  }
}

/** The read store cannot be reached or dropped the connection; the caller may try again later. */
export class ReadStoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReadStoreUnavailableError';
  }

  /** Network, timeout and server-shutdown failures become this error; anything else (bad SQL) is returned as it is. */
  static wrap(error: unknown): unknown {
    const e = error as { code?: unknown; message?: unknown };
    const code = typeof e.code === 'string' ? e.code : '';
    const message = typeof e.message === 'string' ? e.message : String(error);
    const unavailable =
      // 57014: a statement cancelled, here by the statement timeout; 57P0x: the server shutting down.
      ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', '57014', '57P01', '57P02', '57P03'].includes(code) ||
      code.startsWith('08') ||
      /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|not queryable/i.test(message);
    return unavailable ? new ReadStoreUnavailableError(`read store unavailable: ${message}`, { cause: error }) : error;
  }
}

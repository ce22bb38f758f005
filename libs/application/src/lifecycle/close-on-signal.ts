export interface CloseOnSignalOptions {
  /** Past this, a shutdown that has not finished is given up: the process says so and exits 1. */
  readonly timeoutMs?: number;
  /** Where the give-up message goes (default: stderr). */
  readonly log?: (message: string) => void;
}

/** SIGTERM or SIGINT: close in order, then exit 0; a second signal, or a close that outlasts `timeoutMs`, exits 1 at once. */
export function closeOnSignal(close: () => Promise<void>, options: CloseOnSignalOptions = {}): void {
  const log = options.log ?? ((message: string) => console.error(message));
  const onSignal = () => {
    process.once('SIGTERM', () => process.exit(1));
    process.once('SIGINT', () => process.exit(1));
    if (options.timeoutMs !== undefined) {
      const timeoutMs = options.timeoutMs;
      // unref: a shutdown that finishes in time exits by itself, without waiting for this timer.
      setTimeout(() => {
        log(`shutdown did not finish within ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS); exiting without waiting any longer`);
        process.exit(1);
      }, timeoutMs).unref();
    }
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

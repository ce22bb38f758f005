import { ConfigError } from '../config/archive.config.js';
import { StoreUnreachableError } from '../projections/projections.service.js';

/** Exit codes a process of the archive ends with when it cannot start. */
export const EXIT = { failure: 1, badConfiguration: 2, storeUnreachable: 3 } as const;

/**
 * Runs a process's `main` and turns a failure to start into a message and an exit code that
 * say what went wrong: a bad setting (2), a store that does not answer (3), anything else (1).
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(EXIT.badConfiguration);
    }
    if (error instanceof StoreUnreachableError) {
      console.error(error.message);
      process.exit(EXIT.storeUnreachable);
    }
    console.error(error);
    process.exit(EXIT.failure);
  });
}

import { ConfigError, loadConfig, type ArchiveConfig } from '@archive/application';
import { CliError, EXIT_USAGE } from './cli-error.js';

/** The configured stores (EVENT_STORE, ARCHIVE_DATA_DIR, ...), read as the API and projector read them. */
export function cliConfig(): ArchiveConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, EXIT_USAGE);
    throw error;
  }
}

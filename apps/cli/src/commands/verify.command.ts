import { AuditService, NotFoundError, type ArchiveConfig } from '@archive/application';
import type { ChainVerification } from '@archive/event-store';
import { isUUID } from 'class-validator';
import { requireExistingLog, withArchive } from '../archive-context.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE } from '../cli-error.js';
import { createProgress } from '../progress.js';

export interface VerifyCommandOptions {
  /** Only this briefing's stream. */
  readonly briefing?: string;
  /** Print the result as JSON (the shape of GET /api/audit/verify). */
  readonly json?: boolean;
}

/**
 * `verify [--briefing <id>]`: recomputes the hash chains of the log as stored, with a progress
 * bar over the log's positions. Prints the result; exits 1 when an event breaks its chain.
 */
export async function verifyLog(config: ArchiveConfig, options: VerifyCommandOptions): Promise<void> {
  if (options.briefing !== undefined && !isUUID(options.briefing)) {
    throw new CliError(`--briefing must be a briefing id (a UUID), got ${options.briefing}`, EXIT_USAGE);
  }
  const briefingId = options.briefing?.toLowerCase();
  requireExistingLog(config);
  const result = await withArchive(config, async (app) => {
    const progress = createProgress({ label: 'verify', total: 0, unit: 'positions' });
    try {
      const verified = await app.get(AuditService).verify({
        briefingId,
        onProgress: ({ position, head }) => progress.update(position, head),
      });
      progress.stop(`${verified.events} events in ${verified.streams} streams`);
      return verified;
    } catch (error) {
      progress.stop();
      if (error instanceof NotFoundError) throw new CliError(error.message);
      throw error;
    }
  });
  process.stdout.write(`${options.json ? JSON.stringify(result, null, 2) : report(result, config)}\n`);
  if (!result.ok) throw new CliError('the log does not verify: an event was changed, removed or reordered', EXIT_FAILURE);
}

function report(result: ChainVerification, config: ArchiveConfig): string {
  const checked = `${result.events} events in ${result.streams} streams of the ${config.eventStore} event store`;
  const bad = result.firstMismatch;
  if (!bad) return `ok: ${checked}; every hash chain holds`;
  return [
    `MISMATCH after checking ${checked}`,
    `first bad event: ${bad.streamId} revision ${bad.revision}, event ${bad.eventId} at position ${bad.position}`,
    `reason: ${bad.reason}`,
  ].join('\n');
}

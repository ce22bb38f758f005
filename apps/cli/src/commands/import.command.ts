import { EVENT_STORE, ExecuteBriefingCommand, type ArchiveConfig } from '@archive/application';
import { DomainError } from '@archive/domain';
import type { EventStore } from '@archive/event-store';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { importCommand } from '../../../api/src/briefings/briefing.commands.js';
import { ImportBriefingDto } from '../../../api/src/briefings/briefing.dto.js';
import { validationPipe, ValidationFailedException } from '../../../api/src/http/validation.js';
import { withArchive } from '../archive-context.js';
import { CliError } from '../cli-error.js';
import { createProgress } from '../progress.js';

/** The JSON files to import: the file itself, or a directory's `*.json` files in name order. */
async function filesOf(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new CliError(`${path}: no such file or directory`);
  }
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((name) => name.endsWith('.json')).sort();
  if (names.length === 0) throw new CliError(`${path}: no .json files to import`);
  return names.map((name) => join(path, name));
}

/** Parses and validates one file exactly as `POST /api/briefings/import` validates its body. */
async function readBriefing(file: string): Promise<ImportBriefingDto> {
  let body: unknown;
  try {
    body = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CliError(`${file}: not a JSON document: ${(error as Error).message}`);
  }
  try {
    return (await validationPipe().transform(body, { type: 'body', metatype: ImportBriefingDto, data: '' })) as ImportBriefingDto;
  } catch (error) {
    if (error instanceof ValidationFailedException) {
      const lines = error.errors.map(({ field, message }) => `  ${field || '(body)'}: ${message}`);
      throw new CliError(`${file}: invalid briefing:\n${lines.join('\n')}`);
    }
    throw error;
  }
}

/**
 * `import <file|dir>`: each file is one briefing in the `POST /api/briefings/import` shape,
 * recorded through the same command handler in one atomic append. A briefing already imported
 * (same ids) appends nothing. A bad file is reported and skipped; any failure exits 1.
 */
export async function importBriefings(config: ArchiveConfig, path: string): Promise<void> {
  const files = await filesOf(path);
  const failures: string[] = [];
  await withArchive(config, async (app) => {
    const commands = app.get(CommandBus);
    const store = app.get<EventStore>(EVENT_STORE);
    const progress = createProgress({ label: 'import', total: files.length, unit: 'files' });
    let appended = 0;
    let unchanged = 0;
    for (const [index, file] of files.entries()) {
      try {
        const dto = await readBriefing(file);
        const head = await store.headPosition();
        const result = await commands.execute(
          new ExecuteBriefingCommand(importCommand(dto), { actor: 'cli', correlationId: randomUUID(), now: new Date().toISOString() }),
        );
        // A new append always lands after the head read before it; a re-send answers with stored positions.
        if (result.position > head) appended += result.events.length;
        else unchanged += 1;
      } catch (error) {
        failures.push(describe(file, error));
      }
      progress.update(index + 1);
    }
    progress.stop(`${files.length - failures.length} of ${files.length} files, ${appended} events appended, ${unchanged} already imported`);
  });
  if (failures.length > 0) throw new CliError(failures.join('\n'));
}

function describe(file: string, error: unknown): string {
  if (error instanceof CliError) return error.message;
  if (error instanceof DomainError) return `${file}: refused (${error.code}): ${error.message}`;
  return `${file}: ${error instanceof Error ? error.message : String(error)}`;
}

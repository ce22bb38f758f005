import 'reflect-metadata';
import type { ArchiveConfig } from '@archive/application';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './cli-error.js';

/*
 * Each command's module is loaded when it runs: `rebuild` talks HTTP only and needs none of the
 * store libraries, and the others start faster without the rest.
 */

/** The configuration, loaded with the store libraries (a relative import: the build rewrites no alias in `import()`). */
async function config(): Promise<ArchiveConfig> {
  return (await import('./config.js')).cliConfig();
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1) throw new InvalidArgumentError('must be a positive whole number');
  return number;
}

function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('must be a URL such as http://localhost:3000');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('must be an http:// or https:// URL');
  return value;
}

function program(): Command {
  const cli = new Command('archive')
    .description('Briefing Archive admin jobs over the configured stores (EVENT_STORE, READ_STORE, ARCHIVE_DATA_DIR, ...)')
    .exitOverride()
    .showHelpAfterError();

  cli
    .command('import')
    .description('import briefings (POST /api/briefings/import JSON, one per file) from a file or a directory of .json files')
    .argument('<path>', 'a JSON file or a directory')
    .action(async (path: string) => (await import('./commands/import.command.js')).importBriefings(await config(), path));

  cli
    .command('status')
    .description("the log's head and each projection's position, lag and status")
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { archiveStatus, formatStatus } = await import('./commands/status.command.js');
      const status = await archiveStatus(await config());
      process.stdout.write(`${options.json ? JSON.stringify(status, null, 2) : formatStatus(status)}\n`);
    });

  cli
    .command('export')
    .description('write the whole log as NDJSON, one envelope per line in position order')
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .action(async (options: { out?: string }) => (await import('./commands/export.command.js')).exportLog(await config(), options.out));

  cli
    .command('restore')
    .description('write an export back into an EMPTY event store (refused otherwise)')
    .argument('<file>', 'an NDJSON export')
    .option('--unverified', "restore even if the export's hash chains do not hold (an edited or damaged export), saying where")
    .action(async (file: string, options: { unverified?: boolean }) =>
      (await import('./commands/restore.command.js')).restoreLog(await config(), file, { unverified: options.unverified === true }),
    );

  cli
    .command('verify')
    .description("recompute every stream's hash chain (or one briefing's) and name the first event that breaks one; exit 1 if any does")
    .option('--briefing <id>', "verify only this briefing's stream")
    .option('--json', 'print JSON')
    .action(async (options: { briefing?: string; json?: boolean }) =>
      (await import('./commands/verify.command.js')).verifyLog(await config(), options),
    );

  cli
    .command('rebuild')
    .description('ask a running service to rebuild a projection (or all) and follow its progress')
    .argument('[name]', 'the projection to rebuild')
    .option('--all', 'rebuild every projection, one after the other')
    .addOption(new Option('--url <url>', 'the running service').env('ARCHIVE_URL').argParser(httpUrl).default('http://localhost:3000'))
    .addOption(new Option('--api-key <key>', 'an admin API key, where the service requires keys').env('ARCHIVE_API_KEY'))
    .addOption(new Option('--interval <ms>', 'how often to ask for progress').argParser(positiveInteger).default(500))
    .action(async (name: string | undefined, options: { all?: boolean; url: string; apiKey?: string; interval: number }) => {
      if (Boolean(name) === Boolean(options.all)) throw new CliError('rebuild takes a projection name or --all (one of them)', EXIT_USAGE);
      const { rebuildProjections } = await import('./commands/rebuild.command.js');
      await rebuildProjections(options.all ? 'all' : [name!], { url: options.url, apiKey: options.apiKey, intervalMs: options.interval });
    });

  return cli;
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end the program through here too, with code 0; commander printed the message.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof CliError) {
      process.stderr.write(`error: ${error.message}\n`);
      return error.exitCode;
    }
    // By name: the store libraries are loaded only by the commands that use them.
    if (error instanceof Error && error.name === 'ConfigError') {
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof Error && (error.name === 'StoreUnreachableError' || error.name === 'StoreUnavailableError')) {
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_FAILURE;
  }
}

const code = await main(process.argv);
// Exit once the output is flushed, even if a store client left a handle open.
process.stdout.write('', () => process.exit(code));

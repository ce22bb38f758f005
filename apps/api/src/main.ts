import { closeOnSignal, ConfigError, loadConfig, runMain } from '@archive/application';
import type { Server } from 'node:http';
import { createApp } from './app.factory.js';
import { createLogger } from './logging/logger.js';

runMain(async () => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = await createApp(config, logger);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    throw listenProblem(error, config.host, config.port);
  }
  logger.info({ port: config.port, dataDir: config.dataDir }, `Briefing Archive listening on http://localhost:${config.port}`);
  closeOnSignal(
    async () => {
      // No new connection from here on (and idle kept-alive ones are closed); the requests already
      // received are answered, while the live feed's streams are ended with a retry hint.
      (app.getHttpServer() as Server).close(() => undefined);
      logger.info('shutting down: no new requests, those in flight finish, feed clients are told to retry, projections reach the log head, stores close');
      await app.close();
      logger.info('shut down');
    },
    { timeoutMs: config.shutdownTimeoutMs, log: (message) => logger.error(message) },
  );
});

/** A HOST or PORT the service cannot listen on is a bad setting (exit 2), named as such. */
function listenProblem(error: unknown, host: string, port: number): unknown {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EADDRNOTAVAIL') return new ConfigError([`HOST ${host} cannot be listened on: ${message}`]);
  if (code === 'EADDRINUSE') return new ConfigError([`PORT ${port} is already in use on ${host}`]);
  if (code === 'EACCES') return new ConfigError([`PORT ${port} needs privileges this process does not have`]);
  return error;
}

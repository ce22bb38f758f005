import { closeOnSignal, loadConfig, runMain } from '@archive/application';
import type { Server } from 'node:http';
import { createApp } from './app.factory.js';
import { createLogger } from './logging/logger.js';

runMain(async () => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = await createApp(config, logger);
  await app.listen({ port: config.port, host: config.host });
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

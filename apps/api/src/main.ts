import { closeOnSignal, loadConfig, runMain } from '@archive/application';
import { createApp } from './app.factory.js';
import { createLogger } from './logging/logger.js';

runMain(async () => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = await createApp(config, logger);
  await app.listen({ port: config.port, host: config.host });
  logger.info({ port: config.port, dataDir: config.dataDir }, `Briefing Archive listening on http://localhost:${config.port}`);
  closeOnSignal(async () => {
    logger.info('shutting down: no new requests, projections finish their batch, stores close');
    await app.close();
  });
});

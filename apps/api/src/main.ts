import { closeOnSignal, ConfigError, loadConfig, StoreUnreachableError } from '@archive/application';
import { createApp } from './app.factory.js';
import { createLogger } from './logging/logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const app = await createApp(config, logger);
  await app.listen({ port: config.port, host: config.host });
  logger.info({ port: config.port, dataDir: config.dataDir }, `Briefing Archive listening on http://localhost:${config.port}`);
  closeOnSignal(async () => {
    logger.info('shutting down: no new requests, projections finish their batch, stores close');
    await app.close();
  });
}

main().catch((error: unknown) => {
  if (error instanceof StoreUnreachableError) {
    console.error(error.message);
    process.exit(3);
  }
  console.error(error);
  process.exit(1);
});

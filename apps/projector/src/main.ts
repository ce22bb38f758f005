import 'reflect-metadata';
import { ArchiveModule, closeOnSignal, loadConfig, ProjectionsService, runMain } from '@archive/application';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { pino } from 'pino';

/**
 * The projection runner as its own process: it follows the event store and keeps the read
 * models of a shared read store up to date for API replicas started with `PROJECTIONS=off`.
 */
runMain(async () => {
  const config = { ...loadConfig(), projections: 'on' as const };
  const logger = pino({ level: config.logLevel, base: { service: 'briefing-archive-projector' } });

  @Module({ imports: [ArchiveModule.forRoot(config)] })
  class ProjectorModule {}

  const app = await NestFactory.createApplicationContext(ProjectorModule, { logger: ['error', 'warn'] });
  await app.init();
  const projections = app.get(ProjectionsService);
  logger.info({ eventStore: config.eventStore, readStore: config.readStore }, 'projector running');
  // The subscription's timers do not hold the process open; this one does, until SIGTERM.
  const report = setInterval(() => {
    void projections.status().then((states) => logger.debug({ projections: states }, 'projection status'));
  }, 10_000);
  closeOnSignal(
    async () => {
      clearInterval(report);
      logger.info('projector shutting down: the projections reach the log head, the stores close');
      await app.close();
    },
    { timeoutMs: config.shutdownTimeoutMs, log: (message) => logger.error(message) },
  );
});

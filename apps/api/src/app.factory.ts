import 'reflect-metadata';
import type { ArchiveConfig } from '@archive/application';
import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import { clientErrorProblem } from './http/client-errors.js';
import { frameworkErrorProblem } from './http/framework-errors.js';
import { registerJsonParser } from './http/json-body.parser.js';
import { EveryFieldErrorInterceptor } from './http/every-field-error.interceptor.js';
import { validationPipe } from './http/validation.js';
import { createLogger, PinoNestLogger } from './logging/logger.js';
import { serveWebPage } from './web/web-page.js';

/** Commands carry one briefing's worth of change; only an import carries a whole briefing. */
export const COMMAND_BODY_LIMIT = 1024 * 1024;
export const IMPORT_BODY_LIMIT = 10 * 1024 * 1024;

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Builds the HTTP app, ready to `listen` (or to be driven in-process by tests). */
export async function createApp(config: ArchiveConfig, logger: Logger = createLogger(config.logLevel)): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: IMPORT_BODY_LIMIT,
    frameworkErrors: frameworkErrorProblem,
    clientErrorHandler: clientErrorProblem,
    requestIdHeader: false,
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onRoute', (route) => {
    if (!route.url.endsWith('/import')) route.bodyLimit = COMMAND_BODY_LIMIT;
  });
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('X-Request-Id', request.id);
  });
  registerJsonParser(fastify);

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    // Nest would register its own JSON and form parsers at init, replacing registerJsonParser's.
    bodyParser: false,
  });
  app.useGlobalPipes(validationPipe());
  app.useGlobalInterceptors(new EveryFieldErrorInterceptor());
  await app.register(helmet, {
    // The OpenAPI UI styles itself inline; nothing else the service serves needs more than 'self'.
    // No upgrade-insecure-requests: the service speaks plain HTTP unless a proxy adds TLS, and the
    // web page's own scripts would otherwise be asked for over https and never load.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  await serveWebPage(app);
  if (config.corsOrigins === '*' || config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins === '*' ? '*' : [...config.corsOrigins],
      allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'X-Min-Position', 'X-Request-Id', 'Last-Event-ID'],
      exposedHeaders: ['Location', 'Retry-After', 'X-Request-Id'],
      maxAge: 600,
    });
  }
  if (config.apiKeys.length === 0) {
    logger.warn(
      'NO API KEYS ARE SET: anyone who can reach this service can write to the archive and run its admin routes. ' +
        'Set ARCHIVE_API_KEYS (name:role:secret, ...) before exposing it; with NODE_ENV=production the service refuses to start without keys.',
    );
  }

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Briefing Archive')
      .setDescription('An event-sourced archive of official press briefings: commands, queries, the log and its audit.')
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The archive's web page: plain HTML, CSS and ES modules, no build step of their own. They live
 * in `apps/api/web`; `nest build` copies them to `dist/apps/api/web` (nest-cli.json assets), so
 * the same relative path finds them from the sources (tests) and from the build (`npm start`).
 */
export const WEB_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../web');

/**
 * The page's own URLs. Each answers index.html and the script renders the view, so a link to a
 * view can be shared and reloaded. Listed one by one rather than caught with a wildcard: `/api/*`,
 * `/health`, `/metrics` and unknown paths keep their own answers (problem+json 404s included).
 */
export const PAGE_ROUTES = [
  '/briefings/:briefingId',
  '/topics',
  '/topics/:slug',
  '/spokespersons',
  '/spokespersons/:id',
  '/spokespersons/:id/topics/:slug',
  '/remarks/:remarkId',
  '/search',
] as const;

/**
 * Serves the page at `/` and its views' URLs. Call after helmet is registered, so its headers
 * (the CSP above all: scripts from 'self' only) cover these routes too.
 */
export async function serveWebPage(app: NestFastifyApplication, root: string = WEB_ROOT): Promise<void> {
  // wildcard: false registers one route per file found now, instead of a catch-all under `/`.
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: 'index.html' });
  const fastify = app.getHttpAdapter().getInstance();
  for (const url of PAGE_ROUTES) {
    fastify.get(url, (_request, reply) => reply.header('Cache-Control', 'no-cache').sendFile('index.html'));
  }
}

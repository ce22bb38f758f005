import { jest } from '@jest/globals';

/*
 * Jest's module loader (on Node < 24.9) cannot `require()` an ES module, which plain Node 20.19+
 * can. Some CommonJS packages the service uses require ESM-only ones: @fastify/static requires
 * content-disposition, @nestjs/throttler requires @nestjs/common and @nestjs/core. Hand them the
 * modules loaded through `import` instead. Test-only: the service itself loads them natively.
 */
const bridged = {
  'content-disposition': await import('content-disposition'),
  '@nestjs/common': await import('@nestjs/common'),
  '@nestjs/core': await import('@nestjs/core'),
};
for (const [name, module] of Object.entries(bridged)) jest.mock(name, () => module);

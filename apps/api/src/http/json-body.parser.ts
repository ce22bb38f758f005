import type { FastifyInstance } from 'fastify';

/** Deeper JSON is refused before parsing: validators walk it recursively and would overflow. */
export const MAX_JSON_DEPTH = 32;

export class JsonTooDeepError extends Error {
  readonly statusCode = 400;
  readonly code = 'JSON_TOO_DEEP';
  constructor() {
    super(`JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

export class MalformedJsonError extends Error {
  readonly statusCode = 400;
  readonly code = 'MALFORMED_JSON';
}

/** Depth of the deepest array or object in a JSON text, counting only brackets outside strings. */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** Bytes that are not UTF-8 are refused, not read as U+FFFD: the archive keeps what was said, exactly. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Makes JSON the only body the service takes (anything else is 415), parsed by a parser that
 * refuses bytes that are not UTF-8 and deep nesting, and treats an empty body as `{}`.
 */
export function registerJsonParser(fastify: FastifyInstance): void {
  // Fastify's own parsers include text/plain, which would hand a string to the validators.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(/^application\/([\w.+-]+\+)?json(\s*;.*)?$/i, { parseAs: 'buffer' }, (_request, body, done) => {
    let text: string;
    try {
      text = UTF8.decode(body as Buffer);
    } catch {
      return done(new MalformedJsonError('the body is not valid UTF-8'), undefined);
    }
    if (text.trim() === '') return done(null, {});
    if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return done(new JsonTooDeepError(), undefined);
    try {
      // A prototype key in a body is never legitimate here, and dangerous further in, however it
      // is written (`"\u005f_proto__"` too): the parser sees every key as it decodes it.
      let forbidden = false;
      const value: unknown = JSON.parse(text, (key, member: unknown) => {
        if (key === '__proto__' || key === 'constructor') forbidden = true;
        return member;
      });
      if (forbidden) return done(new MalformedJsonError('JSON body holds a forbidden key'), undefined);
      done(null, value);
    } catch (error) {
      done(new MalformedJsonError(`malformed JSON: ${(error as Error).message}`), undefined);
    }
  });
}

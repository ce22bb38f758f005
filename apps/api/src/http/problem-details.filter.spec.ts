import 'reflect-metadata';
import { StoreUnavailableError, UnreadableEventError } from '@archive/event-store';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Logger, type ArgumentsHost } from '@nestjs/common';
import { ReadModelsBehindError } from './min-position.interceptor.js';
import { ProblemDetailsFilter } from './problem-details.filter.js';

/** A host whose reply records the status it was sent. */
function host(): { host: ArgumentsHost; sent: { status?: number; code?: string; detail?: string } } {
  const sent: { status?: number; code?: string; detail?: string } = {};
  const reply = {
    header: () => reply,
    status: (status: number) => {
      sent.status = status;
      return reply;
    },
    send: (body: { code: string; detail: string }) => {
      sent.code = body.code;
      sent.detail = body.detail;
      return reply;
    },
  };
  const http = { getResponse: () => reply, getRequest: () => ({ id: 'req-1', url: '/api/topics' }) };
  return { host: { switchToHttp: () => http } as unknown as ArgumentsHost, sent };
}

describe('ProblemDetailsFilter logging', () => {
  const levels = (['log', 'warn', 'error'] as const).map((level) => [level, jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined)] as const);
  const logged = () => Object.fromEntries(levels.map(([level, spy]) => [level, spy.mock.calls.length]));
  afterEach(() => levels.forEach(([, spy]) => spy.mockClear()));

  it('logs read models behind as information, without a stack', () => {
    const { host: h, sent } = host();
    new ProblemDetailsFilter().catch(new ReadModelsBehindError(42), h);
    expect(sent.status).toBe(503);
    expect(logged()).toEqual({ log: 1, warn: 0, error: 0 });
    expect(JSON.stringify(levels[0][1].mock.calls[0])).not.toContain('stack');
  });

  it('logs an unreachable store as a warning', () => {
    const { host: h, sent } = host();
    new ProblemDetailsFilter().catch(new StoreUnavailableError('event store unavailable'), h);
    expect(sent.status).toBe(503);
    expect(logged()).toEqual({ log: 0, warn: 1, error: 0 });
  });

  it('answers an event the store cannot read as 500 UNREADABLE_EVENT naming it, logged as an error', () => {
    const { host: h, sent } = host();
    new ProblemDetailsFilter().catch(new UnreadableEventError('briefing-b', 2, 'e-1', 8, 'its data is not JSON'), h);
    expect(sent).toEqual({ status: 500, code: 'UNREADABLE_EVENT', detail: expect.stringContaining('the event at position 8 (briefing-b revision 2) cannot be read') });
    expect(logged()).toEqual({ log: 0, warn: 0, error: 1 });
  });

  it('logs a failure of the code as an error, with its stack', () => {
    const { host: h, sent } = host();
    new ProblemDetailsFilter().catch(new TypeError('boom'), h);
    expect(sent.status).toBe(500);
    expect(logged()).toEqual({ log: 0, warn: 0, error: 1 });
    expect(JSON.stringify(levels[2][1].mock.calls[0])).toContain('stack');
  });
});

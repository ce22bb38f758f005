import type { Socket } from 'node:net';
import { toProblem } from './problem-details.filter.js';

/** What Node's HTTP parser refused, as the problem a client sees. */
function refusal(code: string | undefined): { statusCode: number; code: string; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { statusCode: 431, code: 'HEADERS_TOO_LARGE', message: 'the request line and headers are larger than 16 KiB; send long input in a body' };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { statusCode: 408, code: 'REQUEST_TIMEOUT', message: 'the request did not arrive in time' };
  return { statusCode: 400, code: 'BAD_REQUEST', message: 'the request is not valid HTTP/1.1' };
}

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (headers or a URL past 16 KiB,
 * bytes that are not HTTP, a request that never finishes): they are answered as problems too,
 * written straight to the socket, which is then closed.
 */
export function clientErrorProblem(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // As Node's own handler: nothing is written into an answer already under way on the connection.
  const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (!socket.writable || answering) {
    socket.destroy();
    return;
  }
  const problem = toProblem(refusal(error.code));
  const body = JSON.stringify(problem);
  // Closed once written, whether or not the client closes its side: a client that never does
  // would otherwise hold the connection open.
  socket.end(
    `HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

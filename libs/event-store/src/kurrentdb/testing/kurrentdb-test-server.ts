import { randomUUID } from 'node:crypto';
import type { Server as NetServer, Socket } from 'node:net';
import grpc from '@grpc/grpc-js';
import featuresGrpc from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_grpc_pb.js';
import featuresPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_pb.js';
import sharedPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb.js';
import streamsGrpc from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb.js';
import streamsPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb.js';
import { type ExpectedState, type LoggedEvent, type ProposedEvent, TestLog, type WriteOutcome } from './kurrentdb-test-log.js';
import {
  formatUuid,
  parseExpected,
  parseFilter,
  parseUuid,
  proposedEvent,
  statusError,
  streamIdentifier,
  streamName,
  toBytes,
  toNumber,
  wrongExpectedVersionStatus,
} from './kurrentdb-test-protocol.js';

const { ReadReq, ReadResp, AppendResp, BatchAppendResp } = streamsPb;
type ReadReqMessage = InstanceType<typeof ReadReq>;
type ReadRespMessage = InstanceType<typeof ReadResp>;
type AppendReqMessage = InstanceType<typeof streamsPb.AppendReq>;
type BatchAppendReqMessage = InstanceType<typeof streamsPb.BatchAppendReq>;
type BatchAppendRespMessage = InstanceType<typeof BatchAppendResp>;

export interface KurrentDbTestServerOptions {
  /** Listen on this port; an ephemeral one by default. */
  readonly port?: number;
  /**
   * List BatchAppend among the supported methods (default true, as a real server does): the
   * client then appends through it instead of Append.
   */
  readonly batchAppend?: boolean;
  /**
   * Write a `$statsCollected` system event this often, as a real node writes its stats
   * (default 100 ms; 0 turns it off). System events are also written at start.
   */
  readonly statsIntervalMs?: number;
  /** Reported by the server features call. */
  readonly serverVersion?: string;
}

/** A system event a test wants in `$all`. */
export interface SystemEventOptions {
  /** Default `$stats-127.0.0.1:2113`. */
  readonly streamId?: string;
  /** Default `$statsCollected`. */
  readonly type?: string;
}

export interface KurrentDbTestServer {
  /** A connection string for the official client: `kurrentdb://127.0.0.1:<port>?tls=false`. */
  readonly url: string;
  readonly port: number;
  /** How many calls each gRPC method has served, keyed `Service/Method`, e.g. `Streams/BatchAppend`. */
  readonly calls: ReadonlyMap<string, number>;
  /** Shuts the server down and keeps its log; `start()` listens again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Aborts every open streaming call (subscriptions, reads, batch appends) with UNAVAILABLE; the connections stay. */
  dropCalls(): void;
  /** How many subscriptions are currently open. */
  readonly openSubscriptions: number;
  /** Appends a system event to the log, as the server itself does; returns its position. */
  writeSystemEvent(options?: SystemEventOptions): number;
  /**
   * Rewrites the stored data (or metadata) of one event behind the writers' back, as an attacker
   * with disk access could; for tests of tamper evidence. Returns false when there is no such event.
   */
  tamper(streamId: string, revision: number, value: unknown, part?: 'data' | 'metadata'): boolean;
  /** Removes one event from the log behind the writers' back; false when there is no such event. */
  delete(streamId: string, revision: number): boolean;
  /** Swaps two events' revisions in their stream, each keeping its log position; false when either is missing. */
  swap(streamId: string, revisionA: number, revisionB: number): boolean;
  /** The end of the log: the position the next record will take. */
  readonly endPosition: number;
}

/**
 * A KurrentDB node for tests, speaking the real gRPC protocol from the service definitions the
 * official client ships, so the client (its grpc-js channel and its native bridge alike) runs
 * unmodified against it. One node, no auth, no persistence, no links, no deletes (but for tamper tests).
 */
class TestServer implements KurrentDbTestServer {
  readonly log = new TestLog();
  readonly calls = new Map<string, number>();
  private server: grpc.Server | undefined;
  private readonly streamingCalls = new Set<grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>>();
  private subscriptions = 0;
  private statsTimer: NodeJS.Timeout | undefined;
  private boundPort: number;

  constructor(private readonly options: KurrentDbTestServerOptions) {
    this.boundPort = options.port ?? 0;
    // A fresh node's log starts with records of its own, so user events never sit at position 0.
    this.writeSystemEvent({ streamId: '$settings', type: '$settings' });
    this.writeSystemEvent();
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `kurrentdb://127.0.0.1:${this.boundPort}?tls=false`;
  }

  get openSubscriptions(): number {
    return this.subscriptions;
  }

  get endPosition(): number {
    return this.log.endPosition;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = new grpc.Server();
    server.addService(featuresGrpc.ServerFeaturesService, {
      getSupportedMethods: (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) =>
        this.count('ServerFeatures/GetSupportedMethods', () => callback(null, this.supportedMethods())),
    });
    server.addService(streamsGrpc.StreamsService, {
      read: (call: grpc.ServerWritableStream<ReadReqMessage, ReadRespMessage>) =>
        this.count('Streams/Read', () => this.read(call)),
      append: (
        call: grpc.ServerReadableStream<AppendReqMessage, unknown>,
        callback: grpc.sendUnaryData<InstanceType<typeof AppendResp>>,
      ) => this.count('Streams/Append', () => this.append(call, callback)),
      batchAppend: (call: grpc.ServerDuplexStream<BatchAppendReqMessage, BatchAppendRespMessage>) =>
        this.count('Streams/BatchAppend', () => this.batchAppend(call)),
    });
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${this.boundPort}`, grpc.ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    this.server = server;
    // Without TCP_NODELAY, Nagle's algorithm holds each response's trailers until the client's
    // delayed ACK (~40 ms per call); KurrentDB's own server sets it. grpc-js offers no option, so
    // its listening servers are reached directly.
    const listeners = (server as unknown as { http2Servers?: Map<NetServer, unknown> }).http2Servers;
    for (const listener of listeners?.keys() ?? []) {
      listener.on('connection', (socket: Socket) => socket.setNoDelay(true));
    }
    const interval = this.options.statsIntervalMs ?? 100;
    if (interval > 0) this.statsTimer = setInterval(() => this.writeSystemEvent(), interval).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.statsTimer);
    this.statsTimer = undefined;
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    this.dropCalls();
    server.forceShutdown();
  }

  dropCalls(): void {
    for (const call of [...this.streamingCalls]) {
      call.emit('error', statusError(grpc.status.UNAVAILABLE, 'the test server dropped the call'));
    }
    this.streamingCalls.clear();
  }

  writeSystemEvent(options: SystemEventOptions = {}): number {
    const stats = { 'es-time': new Date().toISOString(), 'proc-id': process.pid };
    const outcome = this.log.append(options.streamId ?? '$stats-127.0.0.1:2113', [
      {
        eventId: randomUUID(),
        type: options.type ?? '$statsCollected',
        contentType: 'application/json',
        data: toBytes(JSON.stringify(stats)),
        metadata: new Uint8Array(),
      },
    ]);
    return (outcome.kind === 'written' && outcome.last?.position) || 0;
  }

  tamper(streamId: string, revision: number, value: unknown, part: 'data' | 'metadata' = 'data'): boolean {
    const event = this.log.stream(streamId)?.[revision];
    if (!event) return false;
    event[part] = toBytes(JSON.stringify(value));
    return true;
  }

  delete(streamId: string, revision: number): boolean {
    return this.log.delete(streamId, revision);
  }

  swap(streamId: string, revisionA: number, revisionB: number): boolean {
    return this.log.swap(streamId, revisionA, revisionB);
  }

  private count(method: string, handle: () => void): void {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    handle();
  }

  private supportedMethods(): InstanceType<typeof featuresPb.SupportedMethods> {
    const method = (service: string, name: string, features: string[] = []) => {
      const supported = new featuresPb.SupportedMethod();
      supported.setServiceName(service);
      supported.setMethodName(name);
      supported.setFeaturesList(features);
      return supported;
    };
    const streams = 'event_store.client.streams.streams';
    const methods = [
      method(streams, 'read', ['position', 'events']),
      method(streams, 'append'),
      method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
    ];
    if (this.options.batchAppend ?? true) methods.push(method(streams, 'batchappend'));
    const supported = new featuresPb.SupportedMethods();
    supported.setEventStoreServerVersion(this.options.serverVersion ?? '25.0.0');
    supported.setMethodsList(methods);
    return supported;
  }

  // --- Append ------------------------------------------------------------------------------

  private append(
    call: grpc.ServerReadableStream<AppendReqMessage, unknown>,
    callback: grpc.sendUnaryData<InstanceType<typeof AppendResp>>,
  ): void {
    let target: { streamId: string; expected: ExpectedState } | undefined;
    const events: ProposedEvent[] = [];
    let failed = false;
    const fail = (error: grpc.ServiceError): void => {
      if (failed) return;
      failed = true;
      callback(error);
    };
    call.on('data', (request: AppendReqMessage) => {
      try {
        const options = request.getOptions();
        if (request.hasOptions() && options) {
          const cases = streamsPb.AppendReq.Options.ExpectedStreamRevisionCase;
          target = {
            streamId: streamName(options.getStreamIdentifier()),
            expected: parseExpected(options.getExpectedStreamRevisionCase(), cases, () => options.getRevision()),
          };
        } else {
          const message = request.getProposedMessage();
          if (!target || !message) throw statusError(grpc.status.INVALID_ARGUMENT, 'options must come first');
          events.push(proposedEvent(message));
        }
      } catch (error) {
        fail(error as grpc.ServiceError);
      }
    });
    call.on('error', () => undefined);
    call.on('end', () => {
      if (failed) return;
      if (!target) return fail(statusError(grpc.status.INVALID_ARGUMENT, 'no append options'));
      const outcome = this.log.write(target.streamId, target.expected, events);
      callback(null, this.appendResponse(target.expected, outcome));
    });
  }

  private appendResponse(expected: ExpectedState, outcome: WriteOutcome): InstanceType<typeof AppendResp> {
    const response = new AppendResp();
    if (outcome.kind === 'wrong_expected_version') {
      const wrong = new AppendResp.WrongExpectedVersion();
      if (outcome.current === -1) wrong.setCurrentNoStream(new sharedPb.Empty());
      else wrong.setCurrentRevision(String(outcome.current));
      if (expected.kind === 'revision') wrong.setExpectedRevision(String(expected.revision));
      else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new sharedPb.Empty());
      else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new sharedPb.Empty());
      else wrong.setExpectedAny(new sharedPb.Empty());
      response.setWrongExpectedVersion(wrong);
      return response;
    }
    const success = new AppendResp.Success();
    if (outcome.revision === -1) success.setNoStream(new sharedPb.Empty());
    else success.setCurrentRevision(String(outcome.revision));
    // An idempotent write and an empty one write nothing, and say so with "no position".
    const last = outcome.kind === 'written' ? outcome.last : undefined;
    if (last) {
      const position = new AppendResp.Position();
      position.setCommitPosition(String(last.position));
      position.setPreparePosition(String(last.position));
      success.setPosition(position);
    } else {
      success.setNoPosition(new sharedPb.Empty());
    }
    response.setSuccess(success);
    return response;
  }

  // --- BatchAppend -------------------------------------------------------------------------

  /**
   * One long-lived call carries many appends, each under its correlation id, possibly in several
   * chunks of which the first holds the options and the last says `is_final`.
   */
  private batchAppend(call: grpc.ServerDuplexStream<BatchAppendReqMessage, BatchAppendRespMessage>): void {
    this.streamingCalls.add(call);
    const pending = new Map<string, { options: InstanceType<typeof streamsPb.BatchAppendReq.Options>; events: ProposedEvent[] }>();
    const forget = (): void => {
      this.streamingCalls.delete(call);
    };
    call.on('cancelled', forget);
    call.on('error', forget);
    call.on('end', () => {
      forget();
      call.end();
    });
    call.on('data', (request: BatchAppendReqMessage) => {
      const correlation = request.getCorrelationId();
      const correlationId = parseUuid(correlation);
      const requestOptions = request.getOptions();
      let entry = pending.get(correlationId);
      if (!entry) {
        if (!requestOptions) {
          call.emit('error', statusError(grpc.status.INVALID_ARGUMENT, 'the first chunk of a batch needs options'));
          return;
        }
        entry = { options: requestOptions, events: [] };
        pending.set(correlationId, entry);
      }
      try {
        entry.events.push(...request.getProposedMessagesList().map(proposedEvent));
      } catch (error) {
        call.emit('error', error);
        return;
      }
      if (!request.getIsFinal()) return;
      pending.delete(correlationId);

      const { options, events } = entry;
      const cases = streamsPb.BatchAppendReq.Options.ExpectedStreamPositionCase;
      const expected = parseExpected(
        options.getExpectedStreamPositionCase(),
        { REVISION: cases.STREAM_POSITION, NO_STREAM: cases.NO_STREAM, ANY: cases.ANY, STREAM_EXISTS: cases.STREAM_EXISTS },
        () => options.getStreamPosition(),
      );
      const name = streamName(options.getStreamIdentifier());
      const outcome = this.log.write(name, expected, events);

      const response = new BatchAppendResp();
      response.setCorrelationId(correlation ?? formatUuid(correlationId, false));
      response.setStreamIdentifier(streamIdentifier(name));
      if (expected.kind === 'revision') response.setStreamPosition(String(expected.revision));
      else if (expected.kind === 'no_stream') response.setNoStream(new sharedPb.Empty());
      else if (expected.kind === 'stream_exists') response.setStreamExists(new sharedPb.Empty());
      else response.setAny(new sharedPb.Empty());
      if (outcome.kind === 'wrong_expected_version') {
        response.setError(wrongExpectedVersionStatus(expected, outcome.current));
      } else {
        const success = new BatchAppendResp.Success();
        if (outcome.revision === -1) success.setNoStream(new sharedPb.Empty());
        else success.setCurrentRevision(String(outcome.revision));
        const last = outcome.kind === 'written' ? outcome.last : undefined;
        if (last) {
          const position = new sharedPb.AllStreamPosition();
          position.setCommitPosition(String(last.position));
          position.setPreparePosition(String(last.position));
          success.setPosition(position);
        } else {
          success.setNoPosition(new sharedPb.Empty());
        }
        response.setSuccess(success);
      }
      call.write(response);
    });
  }

  // --- Read and subscribe ------------------------------------------------------------------

  private read(call: grpc.ServerWritableStream<ReadReqMessage, ReadRespMessage>): void {
    const options = call.request.getOptions();
    if (!options) {
      call.emit('error', statusError(grpc.status.INVALID_ARGUMENT, 'missing read options'));
      return;
    }
    const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
    const message = (event: LoggedEvent): ReadRespMessage => this.eventMessage(event, structuredIds);
    this.streamingCalls.add(call);
    let closed = false;
    const close = (): void => {
      closed = true;
      this.streamingCalls.delete(call);
    };
    call.on('cancelled', close);
    call.on('error', close);
    call.on('finish', close);

    try {
      if (options.hasSubscription()) {
        this.subscribe(call, options, message, () => closed);
      } else {
        this.readOnce(call, options, message);
        close();
      }
    } catch (error) {
      close();
      call.emit('error', error);
    }
  }

  /** A bounded read of a stream or of `$all`, written out at once (the log is in memory). */
  private readOnce(
    call: grpc.ServerWritableStream<ReadReqMessage, ReadRespMessage>,
    options: InstanceType<typeof ReadReq.Options>,
    message: (event: LoggedEvent) => ReadRespMessage,
  ): void {
    const count = toNumber(options.getCount() || '0');
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    const filter = parseFilter(options);
    const selected: LoggedEvent[] = [];
    const take = (event: LoggedEvent): boolean => {
      if (!filter || filter.allows(event)) selected.push(event);
      return selected.length < count;
    };

    const streamOptions = options.getStream();
    if (options.hasStream() && streamOptions) {
      const name = streamName(streamOptions.getStreamIdentifier());
      const stream = this.log.stream(name);
      if (!stream) {
        const notFound = new ReadResp.StreamNotFound();
        notFound.setStreamIdentifier(streamIdentifier(name));
        const response = new ReadResp();
        response.setStreamNotFound(notFound);
        call.write(response);
        call.end();
        return;
      }
      const cases = ReadReq.Options.StreamOptions.RevisionOptionCase;
      const kase = streamOptions.getRevisionOptionCase();
      const from =
        kase === cases.REVISION
          ? toNumber(streamOptions.getRevision())
          : kase === cases.END
            ? backwards
              ? stream.length - 1
              : stream.length
            : 0;
      if (backwards) {
        for (let revision = Math.min(from, stream.length - 1); revision >= 0 && count > 0; revision--) {
          if (!take(stream[revision])) break;
        }
      } else {
        for (let revision = from; revision < stream.length && count > 0; revision++) {
          if (!take(stream[revision])) break;
        }
      }
    } else {
      const allOptions = options.getAll();
      const cases = ReadReq.Options.AllOptions.AllOptionCase;
      const kase = allOptions?.getAllOptionCase() ?? cases.START;
      const position = allOptions?.getPosition();
      // Forwards from a position is inclusive; backwards from one returns what lies before it.
      const from =
        kase === cases.POSITION && position
          ? toNumber(position.getCommitPosition())
          : kase === cases.END
            ? this.log.endPosition
            : 0;
      if (backwards) {
        for (let index = this.log.indexAtOrAfter(from) - 1; index >= 0 && count > 0; index--) {
          if (!take(this.log.at(index))) break;
        }
      } else {
        for (let index = this.log.indexAtOrAfter(from); index < this.log.length && count > 0; index++) {
          if (!take(this.log.at(index))) break;
        }
      }
    }
    for (const event of selected) call.write(message(event));
    call.end();
  }

  /**
   * A catch-up subscription: confirmation, the stored events after the start, `caught_up`, then
   * each new event as it is written. Starting points are exclusive. With a filter, a checkpoint
   * goes out after every `checkpoint interval x search window` events considered, matching or
   * not, at the position of the last one considered.
   */
  private subscribe(
    call: grpc.ServerWritableStream<ReadReqMessage, ReadRespMessage>,
    options: InstanceType<typeof ReadReq.Options>,
    message: (event: LoggedEvent) => ReadRespMessage,
    isClosed: () => boolean,
  ): void {
    const filter = parseFilter(options);
    let next: () => LoggedEvent | undefined;

    const streamOptions = options.getStream();
    if (options.hasStream() && streamOptions) {
      const name = streamName(streamOptions.getStreamIdentifier());
      const cases = ReadReq.Options.StreamOptions.RevisionOptionCase;
      const kase = streamOptions.getRevisionOptionCase();
      let revision =
        kase === cases.REVISION
          ? toNumber(streamOptions.getRevision()) + 1
          : kase === cases.END
            ? (this.log.stream(name)?.length ?? 0)
            : 0;
      next = () => {
        const event = this.log.stream(name)?.[revision];
        if (event) revision++;
        return event;
      };
    } else {
      const allOptions = options.getAll();
      const cases = ReadReq.Options.AllOptions.AllOptionCase;
      const kase = allOptions?.getAllOptionCase() ?? cases.START;
      const position = allOptions?.getPosition();
      let index =
        kase === cases.POSITION && position
          ? this.log.indexAtOrAfter(toNumber(position.getCommitPosition()) + 1)
          : kase === cases.END
            ? this.log.length
            : 0;
      next = () => (index < this.log.length ? this.log.at(index++) : undefined);
    }

    this.subscriptions++;
    let wake: (() => void) | undefined;
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const unlisten = this.log.onAppend(() => wake?.());
    const done = (): void => {
      unlisten();
      stop();
      wake?.();
    };
    call.on('cancelled', done);
    call.on('error', done);
    call.on('finish', done);

    const confirmation = new ReadResp.SubscriptionConfirmation();
    confirmation.setSubscriptionId(randomUUID());
    const confirmed = new ReadResp();
    confirmed.setConfirmation(confirmation);
    call.write(confirmed);

    const loop = async (): Promise<void> => {
      let considered = 0;
      let caughtUp = false;
      let last: LoggedEvent | undefined;
      while (!isClosed()) {
        const event = next();
        if (!event) {
          if (!caughtUp) {
            caughtUp = true;
            const response = new ReadResp();
            response.setCaughtUp(new ReadResp.CaughtUp());
            call.write(response);
          }
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        last = event;
        const passes = !filter || filter.allows(event);
        if (passes && !call.write(message(event))) {
          // The client is behind: wait until it reads, as the server's flow control would.
          await Promise.race([new Promise((resolve) => call.once('drain', resolve)), stopped]);
        }
        if (filter && ++considered % filter.checkpointEvery === 0) {
          const checkpoint = new ReadResp.Checkpoint();
          checkpoint.setCommitPosition(String(last.position));
          checkpoint.setPreparePosition(String(last.position));
          const response = new ReadResp();
          response.setCheckpoint(checkpoint);
          call.write(response);
        }
      }
    };
    loop()
      .catch((error: unknown) => call.emit('error', error))
      .finally(() => {
        this.subscriptions--;
        unlisten();
      });
  }

  private eventMessage(event: LoggedEvent, structuredIds: boolean): ReadRespMessage {
    const recorded = new ReadResp.ReadEvent.RecordedEvent();
    recorded.setId(formatUuid(event.eventId, structuredIds));
    recorded.setStreamIdentifier(streamIdentifier(event.streamId));
    recorded.setStreamRevision(String(event.revision));
    recorded.setPreparePosition(String(event.position));
    recorded.setCommitPosition(String(event.position));
    const metadata = recorded.getMetadataMap();
    metadata.set('type', event.type);
    metadata.set('content-type', event.contentType);
    metadata.set('created', event.created.toString());
    recorded.setData(event.data);
    recorded.setCustomMetadata(event.metadata);
    const read = new ReadResp.ReadEvent();
    read.setEvent(recorded);
    read.setCommitPosition(String(event.position));
    const response = new ReadResp();
    response.setEvent(read);
    return response;
  }
}

/**
 * Starts an in-test KurrentDB node on 127.0.0.1 (an ephemeral port unless one is given). Its
 * `$all` holds system events of its own from the start and gains a `$statsCollected` event
 * periodically, so adapters meet them as they would on a real node.
 */
export async function startKurrentDbTestServer(options: KurrentDbTestServerOptions = {}): Promise<KurrentDbTestServer> {
  const server = new TestServer(options);
  await server.start();
  return server;
}

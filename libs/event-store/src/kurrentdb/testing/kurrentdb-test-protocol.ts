import { randomUUID } from 'node:crypto';
import grpc from '@grpc/grpc-js';
import sharedPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb.js';
import statusPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb.js';
import type streamsPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb.js';
import type { ExpectedState, LoggedEvent, ProposedEvent } from './kurrentdb-test-log.js';

// Wire-format helpers of the in-test KurrentDB server: identifiers, uuids, statuses, filters.

type UuidMessage = InstanceType<typeof sharedPb.UUID>;
type StreamIdentifierMessage = InstanceType<typeof sharedPb.StreamIdentifier>;

const DEFAULT_SEARCH_WINDOW = 32;

const utf8 = new TextDecoder();
export const toBytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

export function streamName(identifier: StreamIdentifierMessage | undefined): string {
  if (!identifier) throw statusError(grpc.status.INVALID_ARGUMENT, 'missing stream identifier');
  return utf8.decode(identifier.getStreamName_asU8());
}

export function streamIdentifier(name: string): StreamIdentifierMessage {
  const identifier = new sharedPb.StreamIdentifier();
  identifier.setStreamName(toBytes(name));
  return identifier;
}

/** A uuid from the wire, string or structured (two signed 64-bit halves). */
export function parseUuid(uuid: UuidMessage | undefined): string {
  if (!uuid) return randomUUID();
  if (uuid.hasString()) return uuid.getString();
  const structured = uuid.getStructured();
  if (!structured) return randomUUID();
  const half = (value: string): string => BigInt.asUintN(64, BigInt(value)).toString(16).padStart(16, '0');
  const hex = half(structured.getMostSignificantBits()) + half(structured.getLeastSignificantBits());
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function formatUuid(id: string, structured: boolean): UuidMessage {
  const uuid = new sharedPb.UUID();
  if (!structured) {
    uuid.setString(id);
    return uuid;
  }
  const hex = id.replaceAll('-', '');
  const half = (part: string): string => BigInt.asIntN(64, BigInt(`0x${part}`)).toString(10);
  const bits = new sharedPb.UUID.Structured();
  bits.setMostSignificantBits(half(hex.slice(0, 16)));
  bits.setLeastSignificantBits(half(hex.slice(16)));
  uuid.setStructured(bits);
  return uuid;
}

export function statusError(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

/** A u64 from the wire; the log never reaches 2^53, so larger values mean "past the end". */
export function toNumber(value: string): number {
  const big = BigInt(value);
  return big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
}

/** Protobuf wire encoding of a length-delimited field, enough to build a google.protobuf.Any by hand. */
export function lengthDelimited(field: number, bytes: Uint8Array): Buffer {
  const varint = (value: number): number[] => {
    const out: number[] = [];
    while (value > 0x7f) {
      out.push((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.push(value);
    return out;
  };
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...varint(bytes.length)]), bytes]);
}

/**
 * A google.rpc.Status carrying `event_store.client.WrongExpectedVersion`, as BatchAppend reports a
 * conflict. Built from its wire bytes so the server needs no protobuf runtime of its own.
 */
export function wrongExpectedVersionStatus(expected: ExpectedState, current: number): InstanceType<typeof statusPb.Status> {
  const details = new sharedPb.WrongExpectedVersion();
  if (current === -1) details.setCurrentNoStream(new sharedPb.Empty());
  else details.setCurrentStreamRevision(String(current));
  switch (expected.kind) {
    case 'any':
      details.setExpectedAny(new sharedPb.Empty());
      break;
    case 'no_stream':
      details.setExpectedNoStream(new sharedPb.Empty());
      break;
    case 'stream_exists':
      details.setExpectedStreamExists(new sharedPb.Empty());
      break;
    case 'revision':
      details.setExpectedStreamPosition(String(expected.revision));
      break;
  }
  const any = Buffer.concat([
    lengthDelimited(1, toBytes('type.googleapis.com/event_store.client.WrongExpectedVersion')),
    lengthDelimited(2, details.serializeBinary()),
  ]);
  const status = statusPb.Status.deserializeBinary(lengthDelimited(3, any));
  status.setCode(9); // FAILED_PRECONDITION
  status.setMessage(`WrongExpectedVersion: current ${current === -1 ? 'no stream' : current}`);
  return status;
}

/** What a read or a subscription lets through: KurrentDB's server-side filter. */
export interface EventFilter {
  readonly allows: (event: LoggedEvent) => boolean;
  /** Send a checkpoint after this many considered events (subscriptions only). */
  readonly checkpointEvery: number;
}

export function parseFilter(options: InstanceType<typeof streamsPb.ReadReq.Options>): EventFilter | undefined {
  const filter = options.getFilter();
  if (!options.hasFilter() || !filter) return undefined;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier() : filter.getEventType();
  if (!expression) throw statusError(grpc.status.INVALID_ARGUMENT, 'a filter needs a stream or event type expression');
  const prefixes = expression.getPrefixList();
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  const matches = (text: string): boolean =>
    prefixes.length > 0 ? prefixes.some((prefix) => text.startsWith(prefix)) : (regex?.test(text) ?? true);
  const window = filter.hasMax() ? filter.getMax() : DEFAULT_SEARCH_WINDOW;
  return {
    allows: (event) => matches(onStream ? event.streamId : event.type),
    checkpointEvery: Math.max(1, filter.getCheckpointintervalmultiplier()) * Math.max(1, window),
  };
}

export function parseExpected(
  kase: number,
  cases: { readonly REVISION: number; readonly NO_STREAM: number; readonly ANY: number; readonly STREAM_EXISTS: number },
  revision: () => string,
): ExpectedState {
  switch (kase) {
    case cases.REVISION:
      return { kind: 'revision', revision: toNumber(revision()) };
    case cases.NO_STREAM:
      return { kind: 'no_stream' };
    case cases.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    default:
      return { kind: 'any' };
  }
}

export function proposedEvent(message: {
  getId(): UuidMessage | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getData_asU8(): Uint8Array;
  getCustomMetadata_asU8(): Uint8Array;
}): ProposedEvent {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  if (!type) throw statusError(grpc.status.INVALID_ARGUMENT, 'an event needs a type');
  return {
    eventId: parseUuid(message.getId()),
    type,
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

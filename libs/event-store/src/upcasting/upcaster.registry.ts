import type { StoredEvent } from '../event-store.port.js';

/**
 * Turns the data of one event type at one schema version into the data of the next version.
 * It receives the whole stored envelope for context (its stream, its time) and must be pure:
 * the same stored event always reads the same.
 */
export interface Upcaster {
  readonly type: string;
  /** The schema version this upcaster reads; it produces `fromVersion + 1`. */
  readonly fromVersion: number;
  readonly upcast: (data: unknown, event: StoredEvent) => unknown;
}

/** An event whose `metadata.schemaVersion` is missing was written before versions were recorded: version 0. */
export function storedSchemaVersion(event: StoredEvent): number {
  const version = event.metadata?.schemaVersion;
  return typeof version === 'number' && Number.isSafeInteger(version) && version >= 0 ? version : 0;
}

/**
 * The upcasters of every event type, keyed by type and the version each reads. Reading an event
 * applies them one version at a time until none is registered for the version reached, so a
 * version-0 event with upcasters 0→1 and 1→2 reads as version 2.
 */
export class UpcasterRegistry {
  private readonly byKey = new Map<string, Upcaster>();

  constructor(upcasters: readonly Upcaster[] = []) {
    for (const upcaster of upcasters) this.register(upcaster);
  }

  /** Adds an upcaster; a second one for the same type and version is a programming error. */
  register(upcaster: Upcaster): this {
    if (!Number.isSafeInteger(upcaster.fromVersion) || upcaster.fromVersion < 0) {
      throw new RangeError(`an upcaster's fromVersion must be a non-negative integer, got ${upcaster.fromVersion}`);
    }
    const key = keyOf(upcaster.type, upcaster.fromVersion);
    if (this.byKey.has(key)) throw new Error(`an upcaster for ${upcaster.type} version ${upcaster.fromVersion} is already registered`);
    this.byKey.set(key, upcaster);
    return this;
  }

  /**
   * The event as the current schema reads it. Its metadata reports the version reached in
   * `schemaVersion` and, when any upcaster ran, the version stored in `upcastFromSchemaVersion`.
   * An event no upcaster applies to is returned as it is (the same object).
   */
  upcast(event: StoredEvent): StoredEvent {
    const stored = storedSchemaVersion(event);
    let version = stored;
    let data = event.data;
    for (let upcaster = this.byKey.get(keyOf(event.type, version)); upcaster; upcaster = this.byKey.get(keyOf(event.type, version))) {
      data = upcaster.upcast(data, { ...event, data, metadata: { ...event.metadata, schemaVersion: version } });
      version += 1;
    }
    if (version === stored) return event;
    return { ...event, data, metadata: { ...event.metadata, schemaVersion: version, upcastFromSchemaVersion: stored } };
  }
}

function keyOf(type: string, version: number): string {
  return `${type}@${version}`;
}

import { describe, expect, it } from '@jest/globals';
import type { StoredEvent } from '../event-store.port.js';
import { briefingUpcasters } from './briefing.upcasters.js';
import { UpcasterRegistry, type Upcaster } from './upcaster.registry.js';

function stored(type: string, data: unknown, schemaVersion?: number): StoredEvent {
  const metadata = { correlationId: 'c', causationId: 'c', actor: 'importer', ...(schemaVersion === undefined ? {} : { schemaVersion }) };
  return {
    eventId: '00000000-0000-4000-8000-000000000001',
    type,
    streamId: 'briefing-x',
    revision: 1,
    position: 2,
    recordedAt: '2020-01-01T00:00:00.000Z',
    data,
    metadata: metadata as StoredEvent['metadata'],
  };
}

const v0Statement = { briefingId: 'b', statementId: 's', speaker: 'mumtaz-zahra-baloch', text: 'No talks with the TTP.', topic: 'ttp' };

describe('UpcasterRegistry', () => {
  const registry = new UpcasterRegistry(briefingUpcasters);

  it('reads a version-0 StatementRecorded as version 1, saying which version was stored', () => {
    const read = registry.upcast(stored('StatementRecorded', v0Statement, 0));
    expect(read.data).toEqual({
      briefingId: 'b',
      statementId: 's',
      speakerId: 'mumtaz-zahra-baloch',
      text: 'No talks with the TTP.',
      topics: ['ttp'],
      verbatim: false,
    });
    expect(read.metadata).toMatchObject({ schemaVersion: 1, upcastFromSchemaVersion: 0, actor: 'importer' });
  });

  it('treats an event without a recorded schema version as version 0', () => {
    expect(registry.upcast(stored('StatementRecorded', v0Statement)).metadata.schemaVersion).toBe(1);
  });

  it('leaves the stored event itself unchanged', () => {
    const event = stored('StatementRecorded', v0Statement, 0);
    const copy = structuredClone(event);
    registry.upcast(event);
    expect(event).toEqual(copy);
  });

  it('returns an event of the current version, or of a type without upcasters, as it is', () => {
    const current = stored('StatementRecorded', { ...v0Statement, speakerId: 'x' }, 1);
    const other = stored('BriefingClosed', { briefingId: 'b' }, 0);
    expect(registry.upcast(current)).toBe(current);
    expect(registry.upcast(other)).toBe(other);
  });

  it('chains upcasters one version at a time', () => {
    const seen: number[] = [];
    const step = (fromVersion: number): Upcaster => ({
      type: 'Counted',
      fromVersion,
      upcast: (data, event) => {
        seen.push(event.metadata.schemaVersion);
        return { n: (data as { n: number }).n + 1 };
      },
    });
    const chained = new UpcasterRegistry([step(1), step(0), step(2)]);
    const read = chained.upcast(stored('Counted', { n: 0 }, 0));
    expect(read.data).toEqual({ n: 3 });
    expect(read.metadata).toMatchObject({ schemaVersion: 3, upcastFromSchemaVersion: 0 });
    expect(seen).toEqual([0, 1, 2]);
    expect(chained.upcast(stored('Counted', { n: 10 }, 2)).data).toEqual({ n: 11 });
  });

  it('refuses two upcasters for the same type and version', () => {
    expect(() => new UpcasterRegistry([...briefingUpcasters, ...briefingUpcasters])).toThrow(/already registered/);
  });
});

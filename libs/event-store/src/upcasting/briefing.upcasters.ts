import type { Upcaster } from './upcaster.registry.js';

/**
 * `StatementRecorded` as the first archive importer wrote it (schema version 0): one `speaker`
 * slug and a single `topic`, with no `verbatim` flag. Version 1 names the speaker `speakerId`,
 * allows several topics, and says whether the text is the speaker's own words.
 */
export interface StatementRecordedV0 {
  readonly briefingId: string;
  readonly statementId: string;
  readonly speaker: string;
  readonly text: string;
  readonly topic: string;
}

export const statementRecordedV0toV1: Upcaster = {
  type: 'StatementRecorded',
  fromVersion: 0,
  upcast: (data) => {
    const { speaker, topic, ...rest } = data as StatementRecordedV0 & { verbatim?: boolean };
    // Version 0 kept no flag: its texts were reports of what was said, never quotations.
    return { ...rest, speakerId: speaker, topics: [topic], verbatim: rest.verbatim ?? false };
  },
};

/** Every upcaster of the briefing events, oldest first. */
export const briefingUpcasters: readonly Upcaster[] = [statementRecordedV0toV1];

import type { AskQuestion, GiveAnswer, ImportBriefing, OpenBriefing, RecordStatement } from '@archive/domain';
import { randomUUID } from 'node:crypto';
import type { ImportBriefingDto, OpenBriefingDto } from './briefing.dto.js';

/** The domain command a validated `POST /api/briefings` body asks for. */
export function openCommand(dto: OpenBriefingDto, briefingId: string): OpenBriefing {
  return {
    type: 'OpenBriefing',
    briefingId,
    title: dto.title ?? undefined,
    heldOn: dto.heldOn,
    location: dto.location,
    organization: dto.organization,
    spokesperson: { id: dto.spokesperson.id, name: dto.spokesperson.name, title: dto.spokesperson.title ?? undefined },
    sourceUrl: dto.sourceUrl ?? undefined,
    source: dto.source && { ...dto.source },
  };
}

/**
 * The domain command a validated import asks for: the briefing, then its remarks in spoken
 * order. Shared by `POST /api/briefings/import` and the CLI's `import`, so both record the same
 * events. Ids the file leaves out are drawn at random, which makes such a file import anew each time.
 */
export function importCommand(dto: ImportBriefingDto): ImportBriefing {
  const briefingId = dto.briefingId ?? randomUUID();
  const briefing = openCommand(dto, briefingId);
  const remarks: (RecordStatement | AskQuestion | GiveAnswer)[] = [];
  for (const s of dto.statements ?? []) {
    remarks.push({ type: 'RecordStatement', briefingId, statementId: s.statementId ?? randomUUID(), speakerId: s.speakerId, text: s.text, topics: s.topics, verbatim: s.verbatim });
  }
  for (const q of dto.questions ?? []) {
    const questionId = q.questionId ?? randomUUID();
    remarks.push({ type: 'AskQuestion', briefingId, questionId, askedBy: q.askedBy && { ...q.askedBy }, text: q.text, topics: q.topics });
    for (const a of q.answers ?? []) {
      remarks.push({ type: 'GiveAnswer', briefingId, questionId, answerId: a.answerId ?? randomUUID(), speakerId: a.speakerId, text: a.text, topics: a.topics });
    }
  }
  return { type: 'ImportBriefing', briefing, remarks, close: dto.closed ?? true };
}

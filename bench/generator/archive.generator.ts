import {
  DomainError,
  SCHEMA_VERSION,
  briefingStream,
  decide,
  evolve,
  identityKeyOf,
  initialBriefingState,
  type AskQuestion,
  type BriefingCommand,
  type BriefingEvent,
  type BriefingState,
  type GiveAnswer,
  type ImportBriefing,
  type RecordStatement,
  type Spokesperson,
} from '@archive/domain';
import type { ExpectedRevision, NewEvent } from '@archive/event-store';
// Not part of the application's public surface, but the very function its command handler names events with.
import { eventIdFor } from '../../libs/application/src/commands/event-id.js';
import { Random, Zipf } from './random.js';
import { TextMaker, type TextContext } from './text.js';
import {
  CORRECTION_REASONS,
  FIRST_NAMES,
  LAST_NAMES,
  ORGANISATIONS,
  OUTLETS,
  RETRACTION_REASONS,
  TOPICS,
  slug,
  type Organisation,
} from './vocabulary.js';

export interface ArchiveOptions {
  readonly seed: string | number;
  /** Briefings stop once the log holds this many events (the last append may pass it a little). */
  readonly events: number;
  /** About this many of the latest briefings are left open, for commands to add to. */
  readonly openBriefings: number;
  /** How many ministries brief each week, at most 40. */
  readonly organisations?: number;
  /** The Monday of the first week, `YYYY-MM-DD`. */
  readonly startOn?: string;
}

/** One command's append, as the command handler would make it. */
export interface ArchiveAppend {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly NewEvent[];
  readonly command: BriefingCommand['type'];
}

export interface OpenBriefingInfo {
  readonly briefingId: string;
  readonly spokespersonId: string;
  readonly heldOn: string;
  readonly organisation: Organisation;
  /** The topics the briefing is mostly about. */
  readonly topics: readonly string[];
}

/** What the queries of a benchmark need to know about the generated archive. */
export interface ArchiveCatalog {
  events: number;
  appends: number;
  briefings: number;
  corrections: number;
  retractions: number;
  /** Topics with how often they were tagged, most first. */
  topics: { slug: string; mentions: number }[];
  spokespersons: string[];
  openBriefings: OpenBriefingInfo[];
  /** A uniform sample of the statements', questions' and answers' texts. */
  sampleTexts: string[];
  firstDay: string;
  lastDay: string;
}

interface Amendment {
  readonly briefingId: string;
  readonly remarkId: string;
  readonly kind: 'CorrectRemark' | 'RetractRemark';
}

/** A briefing that still has corrections or retractions coming: its state, to decide them against. */
interface Amendable {
  state: BriefingState;
  revision: number;
  pending: number;
  readonly context: TextContext;
}

interface OrganisationTerm {
  spokesperson: Spokesperson;
  deputyId: string;
  endsInWeek: number;
}

const DAY_MS = 86_400_000;
const SAMPLE_TEXTS = 2_000;
const SPOKESPERSON_TITLES = [
  'Spokesperson, Ministry of Foreign Affairs',
  'Director General (Media and Public Diplomacy)',
  'Official Spokesperson',
  'Deputy Director, Information Department',
];

/**
 * A seeded, reproducible archive: a few dozen foreign ministries, each holding a weekly briefing
 * (statements, questions and their answers, a few topics each with a Zipf-like spread), with
 * corrections and retractions arriving in the days after. Every event is decided by the domain's
 * own `decide` from the command a client would send, and wrapped as the command handler wraps it
 * (name-based event ids, correlation and causation ids, actor, schema version, the command's time),
 * so the log is the one the service would have written. The same options give the same log.
 */
export class ArchiveGenerator {
  private readonly random: Random;
  private readonly sampler: Random;
  private readonly text: TextMaker;
  private readonly topicRank: Zipf;
  private readonly organisations: readonly Organisation[];
  private readonly terms = new Map<Organisation, OrganisationTerm>();
  private readonly usedSpeakerIds = new Set<string>();
  private readonly amendable = new Map<string, Amendable>();
  private readonly dueOn = new Map<number, Amendment[]>();
  private readonly mentions = new Map<string, number>();
  private readonly start: number;
  private textsSeen = 0;
  private emitted = 0;

  readonly catalog: ArchiveCatalog = {
    events: 0,
    appends: 0,
    briefings: 0,
    corrections: 0,
    retractions: 0,
    topics: [],
    spokespersons: [],
    openBriefings: [],
    sampleTexts: [],
    firstDay: '',
    lastDay: '',
  };

  constructor(private readonly options: ArchiveOptions) {
    this.random = new Random(options.seed);
    this.sampler = new Random(`${options.seed}/sample`);
    this.text = new TextMaker(this.random);
    this.topicRank = new Zipf(TOPICS.length, 1.05);
    this.organisations = ORGANISATIONS.slice(0, Math.min(options.organisations ?? ORGANISATIONS.length, ORGANISATIONS.length));
    this.start = Date.parse(`${options.startOn ?? '2011-01-03'}T00:00:00Z`);
  }

  /** Every append in log order. The catalog is complete once the iteration ends. */
  *appends(): Generator<ArchiveAppend> {
    for (let week = 0; ; week++) {
      for (let weekday = 0; weekday < 7; weekday++) {
        const day = week * 7 + weekday;
        for (const amendment of this.dueOn.get(day) ?? []) {
          if (this.full()) return this.finish();
          const append = this.amend(amendment, day);
          if (append) yield this.count(append);
        }
        this.dueOn.delete(day);
        if (weekday >= 5) continue;
        for (let index = weekday; index < this.organisations.length; index += 5) {
          if (this.full()) return this.finish();
          yield this.count(this.briefing(this.organisations[index]!, week, day));
        }
      }
    }
  }

  private full(): boolean {
    return this.emitted >= this.options.events;
  }

  private count(append: ArchiveAppend): ArchiveAppend {
    this.emitted += append.events.length;
    this.catalog.appends++;
    return append;
  }

  private finish(): void {
    this.catalog.events = this.emitted;
    this.catalog.topics = [...this.mentions].map(([topic, mentions]) => ({ slug: topic, mentions })).sort((a, b) => b.mentions - a.mentions || (a.slug < b.slug ? -1 : 1));
  }

  private briefing(organisation: Organisation, week: number, day: number): ArchiveAppend {
    const term = this.term(organisation, week);
    const heldOn = dateOf(this.start, day);
    const briefingId = this.random.uuid();
    const hot = this.distinctTopics(this.random.int(2, 5), []);
    const context: TextContext = { organisation, year: Number(heldOn.slice(0, 4)), topics: hot };
    const remaining = this.options.events - this.emitted;
    const perBriefing = this.catalog.briefings > 0 ? this.emitted / this.catalog.briefings : 34;
    const open = remaining <= this.options.openBriefings * perBriefing;

    const remarks: (RecordStatement | AskQuestion | GiveAnswer)[] = [];
    const speakerId = () => (this.random.chance(0.05) ? term.deputyId : undefined);
    for (let i = this.random.pick([1, 2, 2, 3, 3, 3, 4, 5]); i > 0; i--) {
      const topics = this.remarkTopics(hot);
      remarks.push({
        type: 'RecordStatement',
        briefingId,
        statementId: this.random.uuid(),
        speakerId: speakerId(),
        text: this.sampled(this.text.statement({ ...context, topics })),
        topics,
        verbatim: this.random.chance(0.3) ? true : undefined,
      });
    }
    for (let i = this.random.int(4, 24); i > 0; i--) {
      const questionId = this.random.uuid();
      const topics = this.remarkTopics(hot);
      const askedBy = this.askedBy();
      remarks.push({ type: 'AskQuestion', briefingId, questionId, askedBy, text: this.sampled(this.text.question({ ...context, topics })), topics });
      const answers = this.random.chance(0.06) ? 0 : this.random.chance(0.06) ? 2 : 1;
      for (let a = 0; a < answers; a++) {
        // Most answers take the question's topics, as the API lets them.
        const own = this.random.chance(0.2) ? this.remarkTopics(hot) : undefined;
        remarks.push({
          type: 'GiveAnswer',
          briefingId,
          questionId,
          answerId: this.random.uuid(),
          speakerId: speakerId(),
          text: this.sampled(this.text.answer({ ...context, topics: own ?? topics })),
          topics: own,
        });
      }
    }
    const command: ImportBriefing = {
      type: 'ImportBriefing',
      briefing: {
        type: 'OpenBriefing',
        briefingId,
        title: this.random.chance(0.8) ? `Weekly press briefing by the spokesperson, ${heldOn}` : undefined,
        heldOn,
        location: organisation.location,
        organization: organisation.organization,
        spokesperson: term.spokesperson,
        sourceUrl: undefined,
        source: this.random.chance(0.5) ? { url: `https://example.org/${slug(organisation.country)}/briefings/${heldOn}` } : undefined,
      },
      remarks,
      close: !open,
    };
    const events = decide(command, initialBriefingState);
    for (const event of events) this.tally(event);
    this.catalog.briefings++;
    if (this.catalog.briefings === 1) this.catalog.firstDay = heldOn;
    this.catalog.lastDay = heldOn;
    if (open) this.catalog.openBriefings.push({ briefingId, spokespersonId: term.spokesperson.id, heldOn, organisation, topics: hot });
    this.scheduleAmendments(briefingId, remarks, events, context, day);
    return this.append(briefingId, 'no_stream', events, command, this.commandTime(day, 14));
  }

  /** Corrections and retractions of a few remarks, due in the weeks after the briefing. */
  private scheduleAmendments(
    briefingId: string,
    remarks: readonly (RecordStatement | AskQuestion | GiveAnswer)[],
    events: readonly BriefingEvent[],
    context: TextContext,
    day: number,
  ): void {
    let pending = 0;
    for (const remark of remarks) {
      if (remark.type === 'AskQuestion') continue;
      const remarkId = remark.type === 'RecordStatement' ? remark.statementId : remark.answerId;
      const roll = this.random.next();
      const kind = roll < 0.025 ? 'CorrectRemark' : roll < 0.03 ? 'RetractRemark' : undefined;
      if (!kind) continue;
      this.schedule({ briefingId, remarkId, kind }, day + this.random.int(1, 28));
      pending++;
    }
    if (pending === 0) return;
    let state = initialBriefingState;
    for (const event of events) state = evolve(state, event);
    this.amendable.set(briefingId, { state, revision: events.length - 1, pending, context });
  }

  private schedule(amendment: Amendment, day: number): void {
    const list = this.dueOn.get(day);
    if (list) list.push(amendment);
    else this.dueOn.set(day, [amendment]);
  }

  private amend(amendment: Amendment, day: number): ArchiveAppend | undefined {
    const briefing = this.amendable.get(amendment.briefingId)!;
    if (--briefing.pending === 0) this.amendable.delete(amendment.briefingId);
    if (briefing.state.status === 'none') return undefined;
    const remark = briefing.state.remarks.get(amendment.remarkId);
    if (!remark) return undefined;
    const command: BriefingCommand =
      amendment.kind === 'CorrectRemark'
        ? {
            type: 'CorrectRemark',
            briefingId: amendment.briefingId,
            remarkId: amendment.remarkId,
            text: this.text.correction(remark.text, { ...briefing.context, topics: remark.topics }),
            reason: this.random.pick(CORRECTION_REASONS),
            topics: this.random.chance(0.15) ? this.remarkTopics(briefing.context.topics) : undefined,
          }
        : { type: 'RetractRemark', briefingId: amendment.briefingId, remarkId: amendment.remarkId, reason: this.random.pick(RETRACTION_REASONS) };
    let events: BriefingEvent[];
    try {
      events = decide(command, briefing.state);
    } catch (error) {
      // A remark retracted before its correction came: the archive would have refused it too.
      if (error instanceof DomainError) return undefined;
      throw error;
    }
    const expected = briefing.revision;
    for (const event of events) {
      briefing.state = evolve(briefing.state, event);
      this.tally(event);
    }
    briefing.revision += events.length;
    if (command.type === 'CorrectRemark' && this.random.chance(0.15)) {
      // Corrected again later, now and then.
      this.schedule(amendment, day + this.random.int(1, 28));
      briefing.pending++;
      this.amendable.set(amendment.briefingId, briefing);
    }
    return this.append(amendment.briefingId, expected, events, command, this.commandTime(day, this.random.int(9, 17)));
  }

  private tally(event: BriefingEvent): void {
    switch (event.type) {
      case 'StatementRecorded':
      case 'QuestionAsked':
      case 'AnswerGiven':
        for (const topic of event.data.topics) this.mentions.set(topic, (this.mentions.get(topic) ?? 0) + 1);
        return;
      case 'RemarkCorrected':
        this.catalog.corrections++;
        return;
      case 'RemarkRetracted':
        this.catalog.retractions++;
        return;
      default:
        return;
    }
  }

  /** The events as the command handler stores them: see `toNewEvent` in BriefingCommandHandler. */
  private append(briefingId: string, expected: ExpectedRevision, events: readonly BriefingEvent[], command: BriefingCommand, now: string): ArchiveAppend {
    const correlationId = this.random.uuid();
    const causationId = this.random.uuid();
    return {
      streamId: briefingStream(briefingId),
      expected,
      command: command.type,
      events: events.map((event) => {
        const key = identityKeyOf(event);
        return {
          eventId: key === undefined ? this.random.uuid() : eventIdFor(key),
          type: event.type,
          data: event.data,
          recordedAt: now,
          metadata: { correlationId, causationId, actor: 'anonymous', schemaVersion: SCHEMA_VERSION },
        };
      }),
    };
  }

  private commandTime(day: number, hour: number): string {
    return new Date(this.start + day * DAY_MS + hour * 3_600_000 + this.random.int(0, 3_599_999)).toISOString();
  }

  /** The organisation's spokesperson this week: a term lasts one to four years. */
  private term(organisation: Organisation, week: number): OrganisationTerm {
    const current = this.terms.get(organisation);
    if (current && week < current.endsInWeek) return current;
    const name = `${this.random.pick(FIRST_NAMES)} ${this.random.pick(LAST_NAMES)}`;
    const term: OrganisationTerm = {
      spokesperson: { id: this.speakerId(name), name, title: this.random.pick(SPOKESPERSON_TITLES) },
      deputyId: this.speakerId(`${this.random.pick(FIRST_NAMES)} ${this.random.pick(LAST_NAMES)}`),
      endsInWeek: week + this.random.int(52, 208),
    };
    this.catalog.spokespersons.push(term.spokesperson.id);
    this.terms.set(organisation, term);
    return term;
  }

  private speakerId(name: string): string {
    const base = slug(name);
    let id = base;
    for (let n = 2; this.usedSpeakerIds.has(id); n++) id = `${base}-${n}`;
    this.usedSpeakerIds.add(id);
    return id;
  }

  private distinctTopics(count: number, from: readonly string[]): string[] {
    const topics: string[] = [];
    while (topics.length < count) {
      const topic = from.length > 0 && this.random.chance(0.7) ? this.random.pick(from) : TOPICS[this.topicRank.sample(this.random)]!;
      if (!topics.includes(topic)) topics.push(topic);
    }
    return topics;
  }

  /** One to four topics, mostly from the briefing's own. */
  private remarkTopics(hot: readonly string[]): string[] {
    return this.distinctTopics(this.random.pick([1, 1, 1, 1, 1, 2, 2, 2, 3, 4]), hot);
  }

  private askedBy(): AskQuestion['askedBy'] {
    const roll = this.random.next();
    if (roll < 0.15) return undefined;
    const outlet = this.random.pick(OUTLETS);
    if (roll < 0.45) return { outlet };
    return { name: `${this.random.pick(FIRST_NAMES)} ${this.random.pick(LAST_NAMES)}`, outlet };
  }

  /** Keeps a uniform sample of the texts (reservoir sampling), for search terms. */
  private sampled(text: string): string {
    this.textsSeen++;
    const sample = this.catalog.sampleTexts;
    if (sample.length < SAMPLE_TEXTS) sample.push(text);
    else {
      const slot = Math.floor(this.sampler.next() * this.textsSeen);
      if (slot < SAMPLE_TEXTS) sample[slot] = text;
    }
    return text;
  }
}

function dateOf(start: number, day: number): string {
  return new Date(start + day * DAY_MS).toISOString().slice(0, 10);
}

import type { Random } from './random.js';
import {
  CLARIFICATIONS,
  MONTHS,
  OBJECTS,
  ORGANISATIONS,
  PREAMBLES,
  QUESTIONS,
  SUBJECTS,
  TAILS,
  VERBS,
  topicInText,
  type Organisation,
} from './vocabulary.js';

/** What a sentence is about and where it is said. */
export interface TextContext {
  readonly organisation: Organisation;
  /** The briefing's year, for dates in the text. */
  readonly year: number;
  readonly topics: readonly string[];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Sentences in the register of a foreign-office briefing, a few to a remark: statements of about
 * 150 to 800 characters, questions of one or two sentences, answers of one to four.
 */
export class TextMaker {
  constructor(private readonly random: Random) {}

  statement(context: TextContext): string {
    return this.sentences(context, this.random.pick([1, 2, 2, 3, 3, 3, 4, 4, 5]));
  }

  answer(context: TextContext): string {
    return this.sentences(context, this.random.pick([1, 1, 2, 2, 2, 3, 3, 4]));
  }

  question(context: TextContext): string {
    const question = this.fill(this.random.pick(QUESTIONS), context, context.topics[0]!);
    if (!this.random.chance(0.35)) return question;
    return `${this.fill(this.random.pick(PREAMBLES), context, context.topics[0]!)} ${question}`;
  }

  /** A new version of a remark: a sentence changed, or a clarification added. */
  correction(text: string, context: TextContext): string {
    const sentences = text.split(/(?<=\.) /);
    if (sentences.length > 1 && this.random.chance(0.5)) {
      sentences[this.random.int(0, sentences.length - 1)] = this.sentence(context, this.random.pick(context.topics));
      return sentences.join(' ');
    }
    return `${text} ${this.fill(this.random.pick(CLARIFICATIONS), context, this.random.pick(context.topics))}`;
  }

  private sentences(context: TextContext, count: number): string {
    const parts: string[] = [];
    for (let i = 0; i < count; i++) parts.push(this.sentence(context, context.topics[i % context.topics.length]!));
    return parts.join(' ');
  }

  private sentence(context: TextContext, topic: string): string {
    const template = `${this.random.pick(SUBJECTS)} ${this.random.pick(VERBS)} ${this.random.pick(OBJECTS)}${this.random.pick(TAILS)}.`;
    return capitalise(this.fill(template, context, topic));
  }

  private fill(template: string, context: TextContext, topic: string): string {
    return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
      switch (name) {
        case 'topic':
          return topicInText(topic);
        case 'Country':
          return capitalise(context.organisation.inText);
        case 'country':
          return this.random.chance(0.5) ? context.organisation.inText : this.random.pick(ORGANISATIONS).inText;
        case 'country2':
          return this.random.pick(ORGANISATIONS).inText;
        case 'City':
          return this.random.pick(ORGANISATIONS).location;
        case 'date':
          return `${this.random.int(1, 28)} ${this.random.pick(MONTHS)} ${context.year}`;
        default:
          return name;
      }
    });
  }
}

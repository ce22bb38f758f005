import { DomainError } from '../domain-error.js';
import { isSlug } from '../slug.js';

export const TEXT_MAX_LENGTH = 20_000;
export const TOPICS_MAX = 20;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Length in characters as a reader counts them (code points), not UTF-16 units. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * Control characters other than tab and line breaks (NUL, escape sequences), and halves of a
 * UTF-16 pair without their other half: no reader's text holds them, and a store or a terminal
 * may cut or garble the text at them.
 */
const UNREADABLE = /[^\P{Cc}\t\n\r]|\p{Cs}/u;

/** True when every character of the text can be shown to a reader; emoji, combining and direction marks can. */
export function isReadableText(text: string): boolean {
  return !UNREADABLE.test(text);
}

/** Nothing a reader would see: only spaces, line breaks and invisible format characters (a zero-width space, a byte-order mark). */
const BLANK = /^[\s\p{Cf}]*$/u;

export function isBlankText(text: string): boolean {
  return BLANK.test(text);
}

export function requireText(field: string, text: string): void {
  if (isBlankText(text)) throw new DomainError('INVALID_INPUT', `${field} must not be empty`, field);
  if (characterCount(text) > TEXT_MAX_LENGTH) {
    throw new DomainError('INVALID_INPUT', `${field} must be at most ${TEXT_MAX_LENGTH} characters`, field);
  }
  if (!isReadableText(text)) {
    throw new DomainError('INVALID_INPUT', `${field} must not hold control characters or unpaired surrogates`, field);
  }
}

export function requireTopics(field: string, topics: readonly string[]): void {
  if (topics.length < 1 || topics.length > TOPICS_MAX) {
    throw new DomainError('INVALID_INPUT', `${field} must hold 1 to ${TOPICS_MAX} topics`, field);
  }
  for (const topic of topics) {
    if (!isSlug(topic)) throw new DomainError('INVALID_INPUT', `${field} holds "${topic}", which is not a slug`, field);
  }
  if (new Set(topics).size !== topics.length) {
    throw new DomainError('INVALID_INPUT', `${field} must not repeat a topic`, field);
  }
}

export function requireSlug(field: string, value: string): void {
  if (!isSlug(value)) throw new DomainError('INVALID_INPUT', `${field} must be a slug`, field);
}

/** A real calendar day written `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function requireDate(field: string, value: string): void {
  if (!isCalendarDate(value)) throw new DomainError('INVALID_INPUT', `${field} must be a date (YYYY-MM-DD)`, field);
}

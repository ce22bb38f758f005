import { diffWordsWithSpace } from 'diff';

/** One run of a word diff: words kept, added or removed, with their spacing. */
export interface DiffPart {
  readonly op: 'equal' | 'insert' | 'delete';
  readonly text: string;
}

/**
 * A word-level diff from `before` to `after`. Joining the `equal` and `delete` parts gives
 * `before` back; joining the `equal` and `insert` parts gives `after`.
 */
export function wordDiff(before: string, after: string): DiffPart[] {
  return diffWordsWithSpace(before, after).map((change) => ({
    op: change.added ? 'insert' : change.removed ? 'delete' : 'equal',
    text: change.value,
  }));
}

import { initialBriefingState, type BriefingState } from '@archive/domain';
import { FoldedStates } from './folded-states.js';

const state = (briefingId: string): BriefingState => ({ ...initialBriefingState, briefingId }) as unknown as BriefingState;

describe('FoldedStates', () => {
  it('keeps the state folded furthest for each stream', () => {
    const states = new FoldedStates();
    states.set('a', 3, state('three'));
    states.set('a', 2, state('two'));
    expect(states.get('a')).toEqual({ revision: 3, state: state('three') });
    states.set('a', 5, state('five'));
    expect(states.get('a')?.revision).toBe(5);
    expect(states.get('b')).toBeUndefined();
  });

  it('forgets the least recently used stream past its capacity', () => {
    const states = new FoldedStates(2);
    states.set('a', 0, state('a'));
    states.set('b', 0, state('b'));
    states.get('a');
    states.set('c', 0, state('c'));
    expect(states.size).toBe(2);
    expect(states.get('b')).toBeUndefined();
    expect(states.get('a')).toBeDefined();
    expect(states.get('c')).toBeDefined();
  });
});

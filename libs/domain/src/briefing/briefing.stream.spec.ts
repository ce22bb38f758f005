import { briefingIdOf, briefingStream } from './briefing.stream.js';

const briefingId = '0b7e4d2c-3f1a-4c55-9a6e-2d8f1b9c7e10';

describe('briefing streams', () => {
  it('names a briefing’s stream briefing-<id>', () => {
    expect(briefingStream(briefingId)).toBe(`briefing-${briefingId}`);
  });

  it('reads the briefing id back from its stream name', () => {
    expect(briefingIdOf(briefingStream(briefingId))).toBe(briefingId);
  });
});

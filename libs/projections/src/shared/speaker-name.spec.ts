import { describe, expect, it } from '@jest/globals';
import { speakerName } from './speaker-name.js';

const spokesperson = { id: 'mumtaz-zahra-baloch', name: 'Mumtaz Zahra Baloch', title: 'Spokesperson' };

describe('speakerName', () => {
  it("answers the briefing's spokesperson by the name the briefing gives", () => {
    expect(speakerName('mumtaz-zahra-baloch', spokesperson)).toBe('Mumtaz Zahra Baloch');
    expect(speakerName('shafqat-ali-khan', { id: 'shafqat-ali-khan', name: 'Dr. Shafqat Ali Khan' })).toBe('Dr. Shafqat Ali Khan');
  });

  it('shows any other speaker by their slug in words', () => {
    expect(speakerName('ayesha-khan', spokesperson)).toBe('Ayesha Khan');
    expect(speakerName('zahid-hafeez-chaudhri', spokesperson)).toBe('Zahid Hafeez Chaudhri');
    expect(speakerName('minister', spokesperson)).toBe('Minister');
  });

  it('keeps digits as they are', () => {
    expect(speakerName('deputy-2', spokesperson)).toBe('Deputy 2');
    expect(speakerName('g20-envoy', spokesperson)).toBe('G20 Envoy');
  });

  it('does not take a speaker for the spokesperson because their names look alike', () => {
    expect(speakerName('mumtaz-zahra', spokesperson)).toBe('Mumtaz Zahra');
  });
});

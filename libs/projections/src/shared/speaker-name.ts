import type { Spokesperson } from '@archive/domain';

/**
 * The name to show for a speaker. The briefing names its spokesperson; any other speaker is
 * known only by slug, shown in words ("ayesha-khan" → "Ayesha Khan").
 */
export function speakerName(speakerId: string, spokesperson: Spokesperson): string {
  if (speakerId === spokesperson.id) return spokesperson.name;
  return speakerId
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

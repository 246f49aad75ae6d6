import { RATING_COMPONENTS, RatingSettings } from '@cur/domain';
import type { RatingsFile } from './region-config.schema';

const WHERE = 'region.json: ratings';

/**
 * region.json's `ratings` block as settings, checked beyond field rules: some weight above zero
 * (the index divides by their sum), bands with min below max that do not overlap (a municipality
 * belongs to one peer group). A territory without a population is no error: its municipality is
 * listed in a group of its own.
 */
export function ratingSettingsOf(file: RatingsFile, problems: string[]): RatingSettings {
  const weights = Object.fromEntries(RATING_COMPONENTS.map((c) => [c, file.weights[c]])) as RatingSettings['weights'];
  if (RATING_COMPONENTS.every((c) => weights[c] === 0)) problems.push(`${WHERE}.weights: at least one weight must be above 0`);
  const bands = file.populationBands.map((b) => ({ id: b.id, title: b.title, ...(b.min !== undefined ? { min: b.min } : {}), ...(b.max !== undefined ? { max: b.max } : {}) }));
  const seen = new Set<string>();
  bands.forEach((band, i) => {
    if (seen.has(band.id)) problems.push(`${WHERE}.populationBands[${i}].id: duplicate "${band.id}"`);
    seen.add(band.id);
    if (band.min !== undefined && band.max !== undefined && band.min >= band.max)
      problems.push(`${WHERE}.populationBands[${i}]: min ${band.min} must be below max ${band.max}`);
    for (let j = 0; j < i; j++) {
      const other = bands[j];
      if ((band.min ?? 0) < (other.max ?? Infinity) && (other.min ?? 0) < (band.max ?? Infinity))
        problems.push(`${WHERE}.populationBands[${i}]: overlaps "${other.id}" (a municipality belongs to one band)`);
    }
  });
  return {
    weights,
    targets: {
      answerWithinWorkingDays: file.targets.answerWithinWorkingDays,
      ...(file.targets.answerWithinWorkingHours !== undefined ? { answerWithinWorkingHours: file.targets.answerWithinWorkingHours } : {}),
      highRatingShareAtLeast: file.targets.highRatingShareAtLeast,
    },
    minSample: file.minSample,
    populationBands: bands,
  };
}

import { DEFAULT_TRAINING, LabelledText, seededRandom, shuffle, TextClassifier, TrainingOptions, TrainingProgress, trainTextClassifier } from '@cur/classifier';
import { Channel, Importance, RegionData, resolvePolicy, Router, Rubricator, Territory, TERRITORY_ADMINISTRATION } from '@cur/domain';

/** At most this many distinct keyword-combination texts per category and fold, on top of the single phrases. */
const COMBINATIONS_PER_FOLD = 4;

/**
 * The bootstrap training set of a rubricator, from project-written material only: each category's
 * name (and group), its keywords, the hand-written phrasings of classifier-seed.json, and short
 * texts combining two or three of them, so that the model sees a category's words together.
 *
 * Each phrasing (a keyword, a seed phrase, the category's names together) is one piece of evidence
 * and is dealt to one of `folds` folds; combinations are made only among the phrasings of one fold
 * and carry them as their sources. Out-of-fold calibration then judges every text by a model that
 * has seen none of its phrasings, and counts a combination as the phrasings it combines, not as
 * new evidence. Deterministic: the same config gives the same set.
 */
export function seedExamples(data: RegionData, rubricator: Rubricator, folds = DEFAULT_TRAINING.calibrationFolds): LabelledText[] {
  const random = seededRandom(20261123);
  const examples: LabelledText[] = [];
  let dealt = 0;
  for (const category of data.categories.filter((c) => c.rubricator === rubricator)) {
    const label = category.code;
    const phrases = new Set(data.classifierSeed[label] ?? []);
    const phrasings = [...new Set([...category.keywords, ...phrases])];
    if (phrasings.length === 0) continue;
    const names = [category.name, ...(category.group ? [`${category.group}: ${category.name}`] : [])];
    // A keyword or a name alone trains the model but is not judged as a message would be; the
    // hand-written phrases and the combinations are.
    const units: { id: string; texts: string[]; combinable: boolean; phrase: boolean }[] = [
      { id: `${label}#name`, texts: names, combinable: false, phrase: false },
      ...phrasings.map((text, i) => ({ id: `${label}#${i}`, texts: [text], combinable: true, phrase: phrases.has(text) })),
    ];
    shuffle(units, random);
    const byFold: (typeof units)[] = Array.from({ length: folds }, () => []);
    // Dealt on across categories, so that the folds stay even when categories are small.
    for (const unit of units) byFold[dealt++ % folds].push(unit);
    byFold.forEach((members, fold) => {
      for (const unit of members) for (const text of unit.texts) examples.push({ text, label, fold, sources: [unit.id], judged: unit.phrase });
      for (const combination of combinations(
        members.filter((u) => u.combinable),
        random,
      )) {
        examples.push({ text: combination.map((u) => u.texts[0]).join('. '), label, fold, sources: combination.map((u) => u.id) });
      }
    });
  }
  return examples;
}

/** Up to COMBINATIONS_PER_FOLD distinct sets of two or three phrasings (the same set twice would be the same evidence twice). */
function combinations<T extends { id: string }>(pool: readonly T[], random: () => number): T[][] {
  if (pool.length < 2) return [];
  const result: T[][] = [];
  const seen = new Set<string>();
  for (let attempt = 0; attempt < COMBINATIONS_PER_FOLD * 3 && result.length < COMBINATIONS_PER_FOLD; attempt++) {
    const size = Math.min(2 + Math.floor(random() * 2), pool.length);
    const picked = new Set<T>();
    while (picked.size < size) picked.add(pool[Math.floor(random() * pool.length)]);
    const key = [...picked]
      .map((u) => u.id)
      .sort()
      .join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    result.push([...picked]);
  }
  return result;
}

/** The product's bootstrap model of a rubricator: trained on the seed, calibrated out of fold. */
export function trainSeedModel(data: RegionData, rubricator: Rubricator, now = new Date(), onProgress?: (progress: TrainingProgress) => void): TextClassifier {
  const options = seedTrainingOptions(data, rubricator);
  return trainTextClassifier(seedExamples(data, rubricator, options.calibrationFolds), options, now, onProgress);
}

/**
 * The product's training options for a rubricator: the region's precision target, and as outcomes
 * what routing a category leads to (see `routingOutcomes`), so that an automatic decision is taken,
 * and judged, by who receives the message and under which clocks rather than by which of several
 * categories leading there was named.
 */
export function seedTrainingOptions(data: RegionData, rubricator: Rubricator): TrainingOptions {
  return { ...DEFAULT_TRAINING, targetPrecision: data.classifier.targetPrecision, outcomes: routingOutcomes(data, rubricator) };
}

/** What a message offers the routing besides its category. */
export interface RoutingContext {
  /** Absent: not known (categories routed to the territory's administration then lead nowhere). */
  territory?: Territory;
  channel: Channel;
  importance: Importance;
  subcategory?: string | null;
}

/** The channel a rubricator's messages mostly come by. */
const RUBRICATOR_CHANNEL: Record<Rubricator, Channel> = { pos: 'pos', im: 'social' };
/** Stands for "a territory with no routing rule of its own", whose administration takes the municipal categories. */
const ANY_TERRITORY = '$any';
const cache = new WeakMap<RegionData, Map<string, Record<string, string>>>();

/**
 * Per category of the rubricator, the key of the routing it leads to: the organization it reaches
 * and the SLA policy whose clocks the message would run there. Categories with equal keys are one
 * outcome: a decision between them changes neither who answers nor by when. A category that would
 * not be routed is an outcome of its own.
 *
 * With a context, for that message (its territory, channel, importance); without, as training
 * measures it: a territory with no rule of its own, the rubricator's main channel, normal importance
 * (`$territory` then stands for the territory's administration). The same object is returned for
 * the same case.
 */
export function routingOutcomes(data: RegionData, rubricator: Rubricator, context?: RoutingContext): Record<string, string> {
  const key = context
    ? `${rubricator}|${context.territory?.id ?? ''}|${context.channel}|${context.importance}|${context.subcategory ?? ''}`
    : `${rubricator}|${ANY_TERRITORY}`;
  let byCase = cache.get(data);
  if (!byCase) cache.set(data, (byCase = new Map<string, Record<string, string>>()));
  let outcomes = byCase.get(key);
  if (outcomes) return outcomes;
  const anyTerritory = { id: ANY_TERRITORY, name: '', kind: 'municipal_district', aliases: [] } satisfies Territory;
  const router = context
    ? new Router(data.routingRules, data.organizations)
    : new Router(data.routingRules, [{ id: TERRITORY_ADMINISTRATION, name: '', kind: 'municipality', territoryId: ANY_TERRITORY, aliases: [] }]);
  const territory = context ? context.territory : anyTerritory;
  const subject = {
    channel: context?.channel ?? RUBRICATOR_CHANNEL[rubricator],
    importance: context?.importance ?? 'normal',
    subcategory: context?.subcategory,
  };
  outcomes = {};
  for (const category of data.categories.filter((c) => c.rubricator === rubricator)) {
    const route = router.route(category, territory);
    outcomes[category.code] = route
      ? `${route.organizationId}|${resolvePolicy(data.slaPolicies.policies, { ...subject, categoryCode: category.code }).id}`
      : `category:${category.code}`;
  }
  byCase.set(key, outcomes);
  return outcomes;
}

const trainedOnRouting = new WeakMap<TextClassifier, { data: RegionData; rubricator: Rubricator; same: boolean }>();

/**
 * The outcomes to decide a message with: those of its territory, channel and importance, when the
 * model was trained on this region's routing outcomes (its thresholds were measured on decisions
 * by them). A model trained otherwise (before outcomes by routing, or before the routing rules or
 * policies changed) gets undefined and decides as it was trained, until it is retrained.
 */
export function decisionOutcomes(
  classifier: TextClassifier,
  data: RegionData,
  rubricator: Rubricator,
  context: RoutingContext,
): Record<string, string> | undefined {
  let known = trainedOnRouting.get(classifier);
  if (!known || known.data !== data || known.rubricator !== rubricator) {
    const trained = classifier.meta.options.outcomes;
    const now = routingOutcomes(data, rubricator);
    known = { data, rubricator, same: trained !== undefined && classifier.labels.every((label) => trained[label] === now[label]) };
    trainedOnRouting.set(classifier, known);
  }
  return known.same ? routingOutcomes(data, rubricator, context) : undefined;
}

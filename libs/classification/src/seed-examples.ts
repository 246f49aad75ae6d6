import { LabelledText, seededRandom } from '@cur/classifier';
import { RegionData, Rubricator } from '@cur/domain';

/** How many keyword-combination texts are made per category, on top of its names and phrasings. */
const COMBINATIONS_PER_CATEGORY = 12;

/**
 * The bootstrap training set of a rubricator, from project-written material only: each category's
 * name (and group), every keyword, the hand-written phrasings of classifier-seed.json, and short
 * texts combining two or three of the category's keywords, so that the model sees words of a
 * category together. Deterministic: the same config gives the same examples.
 */
export function seedExamples(data: RegionData, rubricator: Rubricator): LabelledText[] {
  const random = seededRandom(20261123);
  const examples: LabelledText[] = [];
  for (const category of data.categories.filter((c) => c.rubricator === rubricator)) {
    const label = category.code;
    const phrasings = data.classifierSeed[label] ?? [];
    const texts = [category.name, ...(category.group ? [`${category.group}: ${category.name}`] : []), ...category.keywords, ...phrasings];
    if (category.keywords.length === 0 && phrasings.length === 0) continue;
    for (const text of texts) examples.push({ text, label });
    const pool = [...category.keywords, ...phrasings];
    if (pool.length >= 2) {
      for (let i = 0; i < COMBINATIONS_PER_CATEGORY; i++) {
        const size = 2 + Math.floor(random() * 2);
        const picked = new Set<string>();
        while (picked.size < Math.min(size, pool.length)) picked.add(pool[Math.floor(random() * pool.length)]);
        examples.push({ text: [...picked].join('. '), label });
      }
    }
  }
  return examples;
}

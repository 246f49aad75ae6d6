import { Territory } from '../region/region-data';
import { normalizeForMatching } from '../text/normalize';

/** Finds a territory by name, OKTMO code or a case form, and inside free text. */
export class TerritoryResolver {
  private readonly byKey = new Map<string, Territory>();
  /** Longest spelling first, so "Каменск-Шахтинский" wins over "Шахты". */
  private readonly spellings: { spelling: string; territory: Territory }[] = [];

  constructor(territories: readonly Territory[]) {
    for (const territory of territories) {
      for (const spelling of [territory.name, ...territory.aliases]) {
        const key = normalizeForMatching(spelling).replace(/^г\.?\s+/, '');
        if (!key) continue;
        this.byKey.set(key, territory);
        this.spellings.push({ spelling: key, territory });
      }
      if (territory.oktmo) this.byKey.set(territory.oktmo, territory);
      this.byKey.set(territory.id, territory);
    }
    this.spellings.sort((a, b) => b.spelling.length - a.spelling.length);
  }

  resolve(value: string | undefined | null): Territory | undefined {
    if (!value) return undefined;
    const key = normalizeForMatching(value).replace(/^(г\.|город)\s*/, '');
    // An 11-digit OKTMO of a settlement starts with its district's 8 digits.
    return this.byKey.get(key) ?? (/^\d{11}$/.test(key) ? this.byKey.get(key.slice(0, 8)) : undefined);
  }

  findInText(text: string): Territory | undefined {
    const haystack = ` ${normalizeForMatching(text).replace(/[^\p{L}\p{N}-]+/gu, ' ')} `;
    for (const { spelling, territory } of this.spellings) {
      if (haystack.includes(` ${spelling} `)) return territory;
    }
    return undefined;
  }
}

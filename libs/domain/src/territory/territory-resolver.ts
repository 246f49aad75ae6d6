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
        this.byKey.set(withoutCityPrefix(normalizeForMatching(spelling)), territory);
        // Inside texts the spelling is matched whole: «г. Шахтах» must not match «на шахтах».
        this.spellings.push({ spelling: asWords(spelling), territory });
      }
      if (territory.oktmo) this.byKey.set(territory.oktmo, territory);
      this.byKey.set(territory.id, territory);
    }
    this.spellings.sort((a, b) => b.spelling.length - a.spelling.length);
  }

  resolve(value: string | undefined | null): Territory | undefined {
    if (!value) return undefined;
    const key = withoutCityPrefix(normalizeForMatching(value));
    // An 11-digit OKTMO of a settlement starts with its district's 8 digits.
    return this.byKey.get(key) ?? (/^\d{11}$/.test(key) ? this.byKey.get(key.slice(0, 8)) : undefined);
  }

  findInText(text: string): Territory | undefined {
    const haystack = ` ${asWords(text)} `;
    for (const { spelling, territory } of this.spellings) {
      if (haystack.includes(` ${spelling} `)) return territory;
    }
    return undefined;
  }
}

/** «г. Таганрог», «г Таганрог», «город Таганрог» → «таганрог»; «городе Гуково» stays as it is. */
function withoutCityPrefix(normalized: string): string {
  return normalized.replace(/^(г\.\s*|г\s+|город\s+)/, '');
}

function asWords(text: string): string {
  return normalizeForMatching(text)
    .replace(/[^\p{L}\p{N}-]+/gu, ' ')
    .trim();
}

import 'reflect-metadata';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadRegionConfig } from '../region-config.loader';

const CONFIG_DIR = join(__dirname, '../../../../config');

describe('the ratings settings of the real config', () => {
  const data = loadRegionConfig(CONFIG_DIR, 'rostov');

  it('has the federal targets, the minimum sample, weights summing to 1 and three population bands', () => {
    expect(data.ratings.targets).toEqual({ answerWithinWorkingDays: 8, answerWithinWorkingHours: 9, highRatingShareAtLeast: 0.6 });
    expect(data.ratings.minSample).toBe(10);
    const sum = Object.values(data.ratings.weights).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 10);
    expect(data.ratings.populationBands.map((b) => [b.id, b.min, b.max])).toEqual([
      ['large', 100000, undefined],
      ['medium', 40000, 100000],
      ['small', undefined, 40000],
    ]);
  });

  it('gives every territory a population, the region adding up to about its 4.2 million', () => {
    expect(data.territories.filter((t) => t.population === undefined).map((t) => t.id)).toEqual([]);
    const total = data.territories.reduce((sum, t) => sum + (t.population ?? 0), 0);
    expect(total).toBeGreaterThan(4_000_000);
    expect(total).toBeLessThan(4_300_000);
    const population = (id: string) => data.territories.find((t) => t.id === id)?.population;
    expect(population('rostov-na-donu')).toBeGreaterThan(1_000_000);
    expect(population('sovetsky-district')).toBeLessThan(10_000);
  });
});

describe('a broken ratings block is refused naming the field', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cur-config-'));
    cpSync(CONFIG_DIR, dir, { recursive: true });
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const edit = (relative: string, change: (json: any) => void) => {
    const path = join(dir, relative);
    const json = JSON.parse(readFileSync(path, 'utf8'));
    change(json);
    writeFileSync(path, JSON.stringify(json, null, 2));
  };
  const problems = (): string[] => {
    try {
      loadRegionConfig(dir, 'rostov');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems;
    }
    throw new Error('expected a ConfigError, the config loaded');
  };

  it('no ratings block at all', () => {
    edit('regions/rostov/region.json', (json) => delete json.ratings);
    expect(problems()).toEqual([expect.stringMatching(/region\.json: ratings: must be an object/)]);
  });

  it('a negative weight, a share target above 1, a fractional minimum sample, a misspelled component', () => {
    edit('regions/rostov/region.json', (json) => {
      json.ratings.weights.onTime = -1;
      json.ratings.weights.speed = 1;
      json.ratings.targets.highRatingShareAtLeast = 60;
      json.ratings.minSample = 2.5;
    });
    const found = problems().join('\n');
    expect(found).toContain('region.json: ratings.weights.onTime: must not be less than 0');
    expect(found).toContain('region.json: ratings.weights.speed: should not exist');
    expect(found).toContain('region.json: ratings.targets.highRatingShareAtLeast: must not be greater than 1');
    expect(found).toContain('region.json: ratings.minSample: must be an integer number');
  });

  it('all weights zero', () => {
    edit('regions/rostov/region.json', (json) => {
      for (const key of Object.keys(json.ratings.weights)) json.ratings.weights[key] = 0;
    });
    expect(problems()).toEqual(['region.json: ratings.weights: at least one weight must be above 0']);
  });

  it('overlapping bands, a band with min above max, a duplicate id', () => {
    edit('regions/rostov/region.json', (json) => {
      json.ratings.populationBands[1].min = 30000;
      json.ratings.populationBands.push({ id: 'large', title: 'Ещё раз', min: 500000, max: 200000 });
    });
    const found = problems();
    expect(found).toEqual(
      expect.arrayContaining([
        'region.json: ratings.populationBands[2]: overlaps "medium" (a municipality belongs to one band)',
        'region.json: ratings.populationBands[3].id: duplicate "large"',
        'region.json: ratings.populationBands[3]: min 500000 must be below max 200000',
      ]),
    );
  });

  it('a negative or fractional population', () => {
    edit('regions/rostov/territories.json', (json) => {
      json.territories[0].population = -5;
      json.territories[1].population = 79000.5;
    });
    const found = problems().join('\n');
    expect(found).toContain('territories.json: territories[0].population: must not be less than 0');
    expect(found).toContain('territories.json: territories[1].population: must be an integer number');
  });
});

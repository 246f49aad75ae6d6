import 'reflect-metadata';
import { join } from 'node:path';
import { loadRegionConfig } from '@cur/config';
import { trainTextClassifier, DEFAULT_TRAINING } from '@cur/classifier';
import { judgeCandidate } from '../activation-rule';
import { decodeModel, encodeModel, isHoldout } from '../model-codec';
import { decisionOutcomes, routingOutcomes, seedExamples, seedTrainingOptions, trainSeedModel } from '../seed-examples';

const data = loadRegionConfig(join(__dirname, '../../../../config'), 'rostov');

describe('judgeCandidate: the activation rule', () => {
  const score = (accuracy: number, examples = 50) => ({ examples, accuracy, macroF1: accuracy });

  it('activates the first model of a rubricator', () => {
    expect(judgeCandidate(score(0.1, 0), null, 10)).toMatchObject({ activate: true });
  });

  it('activates a candidate that is not worse on the held-back corrections', () => {
    expect(judgeCandidate(score(0.8), score(0.8), 10)).toMatchObject({ activate: true });
    expect(judgeCandidate(score(0.9), score(0.8), 10)).toMatchObject({ activate: true, reason: expect.stringContaining('90.0%') });
  });

  it('rejects a candidate that is worse', () => {
    expect(judgeCandidate(score(0.79), score(0.8), 10)).toEqual({
      activate: false,
      otherwise: 'rejected',
      reason: 'точность на отложенных исправлениях 79.0% хуже, чем 80.0% у активной модели',
    });
  });

  it('leaves a candidate waiting when there are too few held-back corrections to judge', () => {
    expect(judgeCandidate(score(1, 9), score(0, 9), 10)).toMatchObject({ activate: false, otherwise: 'candidate' });
  });
});

describe('seedExamples', () => {
  it('covers every ПОС category that has keywords or phrasings, deterministically', () => {
    const seed = seedExamples(data, 'pos');
    const labels = new Set(seed.map((e) => e.label));
    const pos = data.categories.filter((c) => c.rubricator === 'pos');
    expect(labels).toEqual(new Set(pos.filter((c) => c.keywords.length || data.classifierSeed[c.code]?.length).map((c) => c.code)));
    expect(seedExamples(data, 'pos')).toEqual(seed);
    expect(seed.every((e) => e.text.trim().length > 0)).toBe(true);
  });

  it('deals each phrasing to one fold, and combines phrasings of one fold only, naming them as sources', () => {
    const seed = seedExamples(data, 'pos', 4);
    const foldOf = new Map<string, number>();
    for (const e of seed) {
      expect(e.fold).toBeGreaterThanOrEqual(0);
      expect(e.fold).toBeLessThan(4);
      for (const source of e.sources!) {
        expect(foldOf.get(source) ?? e.fold).toBe(e.fold);
        foldOf.set(source, e.fold!);
      }
    }
    const combined = seed.filter((e) => e.sources!.length > 1);
    expect(combined.length).toBeGreaterThan(100);
    // The same set of phrasings is never combined twice in a category.
    const keys = combined.map((e) => `${e.label}:${[...e.sources!].sort().join('|')}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('judges hand-written phrases and combinations, not a bare keyword or a name', () => {
    const seed = seedExamples(data, 'pos');
    const phrase = data.classifierSeed['pos.medicine'][0];
    expect(seed.find((e) => e.text === phrase)?.judged).toBe(true);
    expect(seed.find((e) => e.text === 'Медицина')?.judged).toBe(false);
    expect(seed.filter((e) => e.sources!.length > 1).every((e) => e.judged !== false)).toBe(true);
  });

  it('treats categories that reach the same organization under the same clocks as one outcome', () => {
    const im = routingOutcomes(data, 'im');
    // Two road topics without rules of their own go wherever the group's rule sends them.
    expect(im['im.dorogi.01']).toBe(im['im.dorogi.02']);
    // im.dorogi.08 goes to the regional ministry by its own rule.
    expect(im['im.dorogi.08']).not.toBe(im['im.dorogi.01']);
    // Roads and yards both go to the territory's administration, the same for any group doing so.
    expect(im['im.blagoustroystvo.04']).toBe(im['im.dorogi.20']);
    const pos = routingOutcomes(data, 'pos');
    expect(pos['pos.roads']).toBe(pos['pos.yards']);
    // Water reaches the same administration but runs the shorter clocks of utilities.
    expect(pos['pos.water-supply']).not.toBe(pos['pos.roads']);
    expect(pos['pos.water-supply']).toBe(pos['pos.heating']);
    expect(pos['pos.medicine']).not.toBe(pos['pos.education']);
    expect(routingOutcomes(data, 'pos')).toBe(pos);
  });

  it('keys the outcomes of a message by its territory, channel and importance', () => {
    const taganrog = data.territories.find((t) => t.id === 'taganrog')!;
    const there = routingOutcomes(data, 'pos', { territory: taganrog, channel: 'pos', importance: 'normal' });
    expect(there['pos.roads']).toBe(there['pos.yards']);
    expect(there['pos.roads']).toMatch(/^adm-taganrog\|/);
    // Taganrog's own rule sends medicine to its polyclinic.
    expect(there['pos.medicine']).toMatch(/^inst-taganrog-polyclinic-1\|/);
    // An appeal runs the same clocks whatever its category.
    const appeal = routingOutcomes(data, 'pos', { territory: taganrog, channel: 'appeal', importance: 'normal' });
    expect(appeal['pos.water-supply']).toBe(appeal['pos.roads']);
    // Without a territory, what goes to a territory's administration goes nowhere: each such category stands alone.
    const nowhere = routingOutcomes(data, 'pos', { channel: 'pos', importance: 'normal' });
    expect(nowhere['pos.roads']).not.toBe(nowhere['pos.yards']);
    expect(nowhere['pos.medicine']).toBe(routingOutcomes(data, 'pos', { channel: 'pos', importance: 'normal' })['pos.medicine']);
  });

  it('decides a message by where it would go in its territory: the summed probability of one organization under one set of clocks', () => {
    const classifier = trainSeedModel(data, 'pos');
    const taganrog = data.territories.find((t) => t.id === 'taganrog')!;
    const outcomes = routingOutcomes(data, 'pos', { territory: taganrog, channel: 'pos', importance: 'normal' });
    const text = 'Во дворе яма на проезде, в сквере рядом не горят фонари';
    const decision = classifier.decide(text, 3, outcomes);
    const p = classifier.probabilities(text);
    const key = outcomes[decision.label!.label];
    const sum = classifier.labels.reduce((total, label, i) => total + (outcomes[label] === key ? p[i] : 0), 0);
    expect(decision.confidence).toBeCloseTo(sum, 10);
    expect(key).toMatch(/^adm-taganrog\|pos$/);
    expect(decision.confidence).toBeGreaterThan(decision.ranked[0].probability);
  });

  it('decides by the routing outcomes only with a model trained on them', () => {
    const taganrog = data.territories.find((t) => t.id === 'taganrog')!;
    const context = { territory: taganrog, channel: 'pos', importance: 'normal' } as const;
    const examples = seedExamples(data, 'pos');
    const routed = trainTextClassifier(examples, seedTrainingOptions(data, 'pos'));
    expect(decisionOutcomes(routed, data, 'pos', context)).toBe(routingOutcomes(data, 'pos', context));
    // Trained before outcomes by routing (or under other rules): it decides as it was trained.
    const before = trainTextClassifier(examples, { ...seedTrainingOptions(data, 'pos'), outcomes: undefined });
    expect(decisionOutcomes(before, data, 'pos', context)).toBeUndefined();
  });

  it('has examples for the ИМ topics too', () => {
    const labels = new Set(seedExamples(data, 'im').map((e) => e.label));
    expect(labels.size).toBeGreaterThan(300);
    expect([...labels].every((l) => l.startsWith('im.'))).toBe(true);
  });

  it('routes unclear messages to people: no automatic decision on text without evidence', () => {
    const classifier = trainSeedModel(data, 'pos');
    expect(classifier.decide('Lorem ipsum dolor sit amet').automatic).toBe(false);
    expect(classifier.temperature).toBeGreaterThan(0.01);
  });

  it('trains a bootstrap model that classifies project-written messages sensibly', () => {
    const classifier = trainSeedModel(data, 'pos');
    expect(classifier.rank('Во дворе не вывозят мусор, контейнеры переполнены', 1)[0].label).toBe('pos.waste');
    expect(classifier.rank('Не могу записаться к врачу в поликлинике', 1)[0].label).toBe('pos.medicine');
    expect(classifier.rank('Автобус не пришёл по расписанию', 1)[0].label).toBe('pos.public-transport');
    expect(classifier.rank('В квартире холодные батареи, нет отопления', 1)[0].label).toBe('pos.heating');
  });
});

describe('model codec and holdout', () => {
  it('round-trips a model through gzip', () => {
    const classifier = trainTextClassifier(
      [
        { text: 'яма на дороге', label: 'roads' },
        { text: 'асфальт разбит', label: 'roads' },
        { text: 'мусор не вывозят', label: 'waste' },
        { text: 'контейнеры переполнены', label: 'waste' },
      ],
      DEFAULT_TRAINING,
    );
    const restored = decodeModel(encodeModel(classifier));
    expect(restored.labels).toEqual(classifier.labels);
    expect(restored.rank('яма', 1)).toEqual(classifier.rank('яма', 1));
  });

  it('holds back a stable share of messages', () => {
    const ids = [...Array(2000)].map((_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const held = ids.filter((id) => isHoldout(id, 0.2)).length;
    expect(held).toBeGreaterThan(320);
    expect(held).toBeLessThan(480);
    expect(ids.map((id) => isHoldout(id, 0.2))).toEqual(ids.map((id) => isHoldout(id, 0.2)));
  });
});

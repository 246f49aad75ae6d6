/** Per label index, the index of its outcome (labels without one are an outcome of their own). */
export function outcomeIndex(labels: readonly string[], outcomes: Readonly<Record<string, string>> | undefined): Int32Array {
  const ids = new Map<string, number>();
  return Int32Array.from(labels, (label, k) => {
    const key = outcomes?.[label] ?? `label:${label}`;
    if (!ids.has(key)) ids.set(key, ids.size);
    return ids.get(key)!;
  });
}

/** The probability that the outcome of label `best` is the right one: the sum over its labels. */
export function outcomeProbability(p: ArrayLike<number>, best: number, outcome: Int32Array): number {
  let sum = 0;
  for (let c = 0; c < p.length; c++) if (outcome[c] === outcome[best]) sum += p[c];
  return sum;
}

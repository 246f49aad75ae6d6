/** Per label index, the index of its outcome (labels without one are an outcome of their own). */
export function outcomeIndex(labels: readonly string[], outcomes: Readonly<Record<string, string>> | undefined): Int32Array {
  const ids = new Map<string, number>();
  return Int32Array.from(labels, (label) => {
    const key = outcomes?.[label] ?? `label:${label}`;
    if (!ids.has(key)) ids.set(key, ids.size);
    return ids.get(key)!;
  });
}

/**
 * The most probable outcome (its probability summed over its labels) and, within it, the most
 * probable label: what a decision by outcome takes. With every label an outcome of its own, the top label.
 */
export function bestOutcome(p: ArrayLike<number>, outcome: Int32Array): { label: number; probability: number } {
  const sums = new Float64Array(p.length);
  for (let c = 0; c < p.length; c++) sums[outcome[c]] += p[c];
  let best = 0;
  for (let o = 1; o < sums.length; o++) if (sums[o] > sums[best]) best = o;
  let label = -1;
  for (let c = 0; c < p.length; c++) if (outcome[c] === best && (label < 0 || p[c] > p[label])) label = c;
  return { label, probability: sums[best] };
}

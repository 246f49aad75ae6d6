/** A sparse vector: strictly increasing feature indices and their values. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

export const EMPTY_VECTOR: SparseVector = { indices: new Int32Array(0), values: new Float32Array(0) };

/** Builds a sparse vector from index → value pairs, sorted by index. */
export function sparseFromMap(entries: Map<number, number>): SparseVector {
  const indices = Int32Array.from(entries.keys()).sort();
  const values = new Float32Array(indices.length);
  for (let i = 0; i < indices.length; i++) values[i] = entries.get(indices[i])!;
  return { indices, values };
}

export function l2Norm(values: ArrayLike<number>, from = 0, to = values.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i] * values[i];
  return Math.sqrt(sum);
}

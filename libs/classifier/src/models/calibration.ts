import { softmax } from './linear-model';

/**
 * Temperature scaling (Guo et al. 2017): the one T > 0 for which softmax(z/T) gives the held-out
 * labels the highest likelihood. It changes no ranking, only how much a probability can be trusted.
 */
export function fitTemperature(scores: readonly Float64Array[], labels: ArrayLike<number>): number {
  if (scores.length === 0) return 1;
  const nll = (logT: number): number => {
    const t = Math.exp(logT);
    let sum = 0;
    for (let i = 0; i < scores.length; i++) {
      const p = softmax(Float64Array.from(scores[i]), t);
      sum -= Math.log(Math.max(p[labels[i]], 1e-12));
    }
    return sum;
  };
  // Golden-section search on log T over [1e-6, 1e4]; the likelihood is unimodal in T.
  let lo = Math.log(1e-6);
  let hi = Math.log(1e4);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let fa = nll(a);
  let fb = nll(b);
  for (let iteration = 0; iteration < 100 && hi - lo > 1e-4; iteration++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = nll(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = nll(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}

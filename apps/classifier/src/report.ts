import { CrossValidationReport, EvaluationReport } from '@cur/classifier';

/** Human-readable evaluation: headline metrics, per-class table, worst confusions, coverage. */
export function formatEvaluation(report: EvaluationReport): string {
  const lines = [
    `examples            ${report.examples}`,
    `accuracy            ${fixed(report.accuracy)}`,
    `top-3 accuracy      ${fixed(report.top3Accuracy)}`,
    `macro-F1 (all)      ${fixed(report.macroF1)}   over ${report.perClass.length} classes`,
    `macro-F1 (≥10 ex.)  ${fixed(report.macroF1Min10)}   over ${report.perClass.filter((c) => c.support >= 10).length} classes`,
    '',
    'automatic routing with one global threshold:',
    ...Object.entries(report.coverageAtPrecision).map(
      ([target, c]) =>
        `  precision ≥ ${target}: ${pct(c.coverage)} of messages` +
        (Number.isFinite(c.threshold) ? ` (threshold ${fixed(c.threshold)}, precision ${fixed(c.precision)})` : ' (unreachable)'),
    ),
  ];
  if (report.modelThresholds) {
    lines.push(
      `  the model's own per-category thresholds: ${pct(report.modelThresholds.coverage)} of messages, precision ${Number.isNaN(report.modelThresholds.precision) ? '—' : fixed(report.modelThresholds.precision)}`,
    );
  }
  const width = Math.min(48, Math.max(5, ...report.perClass.map((c) => c.label.length)));
  lines.push('', `${'class'.padEnd(width)}  support  predicted  precision  recall     F1`);
  for (const c of report.perClass) {
    lines.push(
      `${cut(c.label, width).padEnd(width)}  ${pad(c.support, 7)}  ${pad(c.predicted, 9)}  ${pad(fixed(c.precision), 9)}  ${pad(fixed(c.recall), 6)}  ${pad(fixed(c.f1), 5)}`,
    );
  }
  if (report.confusions.length) {
    lines.push('', 'worst confusions (gold → predicted):');
    for (const c of report.confusions) lines.push(`  ${pad(c.count, 5)}  ${c.gold} → ${c.predicted}`);
  }
  return lines.join('\n');
}

export function formatCrossValidation(report: CrossValidationReport): string {
  const folds = report.folds.map(
    (f) =>
      `  fold ${f.fold}: ${f.examples} examples, accuracy ${fixed(f.accuracy)}, top-3 ${fixed(f.top3Accuracy)}, macro-F1 ${fixed(f.macroF1)}, macro-F1 (≥10) ${fixed(f.macroF1Min10)}`,
  );
  return [
    `${report.folds.length}-fold cross-validation; headline figures are means over the folds, each fold scored as a held-out file:`,
    ...folds,
    `pooled out-of-fold predictions: accuracy ${fixed(report.pooled.accuracy)}, top-3 ${fixed(report.pooled.top3Accuracy)}, macro-F1 ${fixed(report.pooled.macroF1)}, macro-F1 (≥10) ${fixed(report.pooled.macroF1Min10)}`,
    '',
    formatEvaluation(report),
  ].join('\n');
}

const fixed = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(3));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pad = (x: number | string, n: number) => String(x).padStart(n);
const cut = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

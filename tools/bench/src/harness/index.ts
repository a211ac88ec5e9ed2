// The benchmark harness: measure variants of one task in one process (or each in processes of its own) and report
// medians and ratios.
export {
  measure,
  measureInterleaved,
  summarize,
  type Measurement,
  type MeasureOptions,
  type Variant,
} from './measure.js';
export { isIsolatedChild, measureIsolated, measureVariants } from './isolated.js';
export { formatTable, speedup } from './report.js';

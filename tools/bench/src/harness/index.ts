// The benchmark harness: measure variants of one task in one process and report medians and ratios.
export { measure, summarize, type Measurement, type MeasureOptions } from './measure.js';
export { formatTable, speedup } from './report.js';

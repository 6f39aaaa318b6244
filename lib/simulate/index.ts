/**
 * `active-rm/simulate`: annotation campaigns, metrics and reports. A subpath of its own because the
 * report's plotting stack (vega, resvg) is heavy and selection-only users should not load it.
 */
export { runCampaign } from './campaign.js';
export { runComparison } from './run.js';
export { averageRanks, spearman, meanWithinSpearman, bestOfN, bonSizes, pairAccuracy, labelsToTarget } from './metrics.js';
export { syntheticDataset, SYNTHETIC_DEFAULTS } from '../datasets/synthetic.js';
export { loadDataset, loadEmbeddingDir, loadPairFile } from '../datasets/files.js';
export { summarize } from '../report/summary.js';
export { formatTable } from '../report/table.js';
export { formatCsv } from '../report/csv.js';
export { writeReport, reportJson } from '../report/write.js';
export { learningCurveSpec, renderSvg, svgToPng } from '../report/plot.js';

// One polling helper for the suite and the published conformance suites.
export { until } from '../../packages/adapter-testing/src/until.js';

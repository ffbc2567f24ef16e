// The suites live in @lakerunner/adapter-testing, for adapters outside this repository too.
export { objectStoreConformance } from '../../packages/adapter-testing/src/index.js';

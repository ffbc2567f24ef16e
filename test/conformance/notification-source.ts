// The suites live in @lakerunner/adapter-testing, for adapters outside this repository too.
export {
  notificationSourceConformance,
  type SourceBackend,
} from '../../packages/adapter-testing/src/index.js';

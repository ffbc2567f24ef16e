export {
  type NotificationSourceConformanceOptions,
  notificationSourceConformance,
  type SourceBackend,
} from './notification-source-conformance.js';
export { type ObjectStoreConformanceOptions, objectStoreConformance } from './object-store-conformance.js';
export { until } from './until.js';

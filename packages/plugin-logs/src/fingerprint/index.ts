export { fingerprint } from './fingerprint.js';
export { fnv1a64 } from './hash.js';
export { MAX_CHARS } from './normalise.js';
export { messageTemplate } from './template.js';

export { fingerprint } from './fingerprint.js';
export { MAX_CHARS } from './normalise.js';
export { messageTemplate } from './template.js';

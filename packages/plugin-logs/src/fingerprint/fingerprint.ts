import { fnv1a64 } from '@lakerunner/plugin-kit';
import { messageTemplate } from './template.js';

/**
 * A signed 64-bit id of a message's template (FNV-1a 64 of its UTF-8 bytes): messages from one log
 * statement share it in every process and every release. Changing it regroups stored data, so any
 * change to the template rules or the hash is a breaking change (the tests pin known values).
 */
export function fingerprint(message: string): bigint {
  return fnv1a64(messageTemplate(message));
}

import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { type ErrorCode, LakerunnerError } from '../errors.js';

/**
 * Reads a YAML file whose top level must be a mapping. Unreadable files and syntax errors become
 * `code` errors naming `label` and, for syntax errors, the line and column.
 */
export async function readYamlMapping(
  path: string,
  label: string,
  code: ErrorCode,
): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new LakerunnerError(code, `cannot read ${label}: ${(err as Error).message}`);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const at = first.linePos?.[0];
    const where = at ? `:${at.line}:${at.col}` : '';
    throw new LakerunnerError(code, `${label}${where}: ${first.message.split('\n')[0]}`);
  }
  const value = doc.toJS() ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new LakerunnerError(code, `${label}: the top level must be a mapping`);
  }
  return value as Record<string, unknown>;
}

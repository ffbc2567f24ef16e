import { z } from 'zod';
import { ENV_BINDINGS } from './env.js';
import { configSchema } from './schema.js';

/**
 * Renders the options table (option | type | default | env | description) straight from the
 * schema, so the documentation cannot drift from what is validated.
 */
interface JsonSchema {
  type?: string;
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  default?: unknown;
  description?: string;
}

export interface ConfigOption {
  path: string;
  type: string;
  default?: unknown;
  env?: string;
  description: string;
}

export function configOptions(): ConfigOption[] {
  const root = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const envByPath = new Map(ENV_BINDINGS.map((b) => [b.path.join('.'), b.env]));
  const rows: ConfigOption[] = [];
  const visit = (node: JsonSchema, path: string[]) => {
    const isGroup = node.type === 'object' && node.properties !== undefined;
    if (isGroup && path.length > 0 && node.description && !allChildrenDescribed(node)) {
      rows.push(row(node, path, envByPath));
      return;
    }
    if (isGroup) {
      for (const [key, child] of Object.entries(node.properties ?? {})) visit(child, [...path, key]);
      return;
    }
    rows.push(row(node, path, envByPath));
  };
  visit(root, []);
  // Variables that reach into an adapter's free-form options get rows of their own.
  for (const binding of ENV_BINDINGS) {
    const path = binding.path.join('.');
    if (!rows.some((r) => r.path === path)) {
      rows.push({ path, type: 'string', env: binding.env, description: binding.description ?? '' });
    }
  }
  return rows;
}

function allChildrenDescribed(node: JsonSchema): boolean {
  return Object.values(node.properties ?? {}).every((c) => c.description !== undefined);
}

function row(node: JsonSchema, path: string[], envByPath: Map<string, string>): ConfigOption {
  const key = path.join('.');
  const option: ConfigOption = { path: key, type: typeOf(node), description: node.description ?? '' };
  if (node.default !== undefined) option.default = node.default;
  const env = envByPath.get(key);
  if (env) option.env = env;
  return option;
}

function typeOf(node: JsonSchema): string {
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (node.type === 'array') return `${node.items ? typeOf(node.items) : 'unknown'}[]`;
  if (node.type === 'object' && node.properties === undefined) return 'map';
  return node.type ?? 'unknown';
}

export function renderConfigDocs(): string {
  const cell = (v: unknown) => (v === undefined ? '' : `\`${JSON.stringify(v)}\``);
  const lines = [
    '| Option | Type | Default | Env | Description |',
    '| --- | --- | --- | --- | --- |',
    ...configOptions().map(
      (o) =>
        `| \`${o.path}\` | ${o.type} | ${cell(o.default)} | ${o.env ? `\`${o.env}\`` : ''} | ${o.description} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

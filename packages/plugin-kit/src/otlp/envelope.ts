import type { OtlpResource, OtlpScope } from './model.js';

/**
 * Logs, traces and metrics requests share one envelope (request → resources → scopes → items)
 * under signal-specific names; the decoders read it generically in this shape and each signal
 * renames it into its model.
 */

export interface ScopeItems<T> {
  scope: OtlpScope;
  items: T[];
}

export interface ResourceScopes<T> {
  resource: OtlpResource;
  scopes: ScopeItems<T>[];
}

export function emptyResource(): OtlpResource {
  return { attributes: new Map(), droppedAttributesCount: 0, schemaUrl: '' };
}

export function emptyScope(): OtlpScope {
  return { name: '', version: '', attributes: new Map(), droppedAttributesCount: 0, schemaUrl: '' };
}

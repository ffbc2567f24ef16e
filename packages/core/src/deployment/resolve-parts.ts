import type { Catalog } from '../catalog/catalog.js';
import { LakerunnerError } from '../errors.js';
import { type AdapterContext, isCatalogAdapter, isStorageAdapter } from '../plugin/adapters.js';
import type { Codec } from '../plugin/codec.js';
import { loadCodecs, loadDefinition, loadSignalPlugins } from '../plugin/load.js';
import type { SignalPlugin } from '../plugin/signal-plugin.js';
import type { NotificationSource, ObjectStore } from '../storage/object-store.js';
import type { CatalogPart, ModuleSection, StoragePart } from './options.js';

/**
 * Turns each part of a deployment given as an object or as a config section into the object:
 * a module name is imported (resolved against `baseDir`), an adapter is asked to create its
 * store or catalog. Order is kept, so a plugin list mixing both registers as written.
 */
export async function resolvePlugins(
  parts: readonly (SignalPlugin | string)[],
  baseDir: string,
): Promise<SignalPlugin[]> {
  const out: SignalPlugin[] = [];
  for (const part of parts)
    out.push(...(typeof part === 'string' ? await loadSignalPlugins([part], baseDir) : [part]));
  return out;
}

/**
 * Codecs run on the plugins' worker threads, which import them by module: a codec object is
 * accepted only as `loadCodecs` returns it (knowing its module), otherwise it is named by path.
 */
export async function resolveCodecs(parts: readonly (Codec | string)[], baseDir: string): Promise<Codec[]> {
  const out: Codec[] = [];
  for (const part of parts) {
    if (typeof part === 'string') out.push(...(await loadCodecs([part], baseDir)));
    else if (part.module) out.push(part);
    else {
      throw new LakerunnerError(
        'LR_PLUGIN_INVALID',
        `codec ${part.name} was given as an object built in this process; decoding runs on worker threads that import codecs by module, so name its module instead (codecs: ['./my-codec.mjs'])`,
      );
    }
  }
  return out;
}
/**
 * `owned` says whether the deployment made it (from an adapter) and so closes it when it stops;
 * an object handed in stays the caller's to close.
 */
export async function resolveStorage(
  part: StoragePart<object>,
  baseDir: string,
  context: AdapterContext,
): Promise<{ store: ObjectStore; sources: NotificationSource[]; owned: boolean }> {
  if ('store' in part && part.store)
    return { store: part.store, sources: [...(part.sources ?? [])], owned: false };
  if ('adapter' in part && part.adapter)
    return { ...(await part.adapter.create(part.options, context)), owned: true };
  const section = part as ModuleSection;
  const adapter = await loadDefinition(
    section.module,
    baseDir,
    isStorageAdapter,
    'storage adapter',
    'defineStorageAdapter',
  );
  return { ...(await adapter.create(section.options ?? {}, context)), owned: true };
}

export async function resolveCatalog(
  part: CatalogPart<object>,
  baseDir: string,
): Promise<{ catalog: Catalog; owned: boolean }> {
  if ('adapter' in part && part.adapter)
    return { catalog: await part.adapter.create(part.options), owned: true };
  if ('module' in part && typeof part.module === 'string') {
    const adapter = await loadDefinition(
      part.module,
      baseDir,
      isCatalogAdapter,
      'catalog adapter',
      'defineCatalogAdapter',
    );
    return { catalog: await adapter.create(part.options ?? {}), owned: true };
  }
  return { catalog: part as Catalog, owned: false };
}

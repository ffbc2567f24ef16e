import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LakerunnerError } from '../errors.js';
import { type Codec, isCodec } from './codec.js';
import { isSignalPlugin, type SignalPlugin } from './signal-plugin.js';

/**
 * Imports plugin modules named in the config. A path resolves against the config's directory;
 * a package name resolves from core's location (its siblings in node_modules), then from the
 * config's directory.
 * The module may export its plugin as default or under any name, as long as there is one.
 */
export async function loadSignalPlugins(
  specifiers: readonly string[],
  baseDir: string,
): Promise<SignalPlugin[]> {
  const plugins: SignalPlugin[] = [];
  for (const specifier of specifiers) plugins.push(await loadOne(specifier, baseDir));
  return plugins;
}

function loadOne(specifier: string, baseDir: string): Promise<SignalPlugin> {
  return loadDefinition(specifier, baseDir, isSignalPlugin, 'signal plugin', 'defineSignalPlugin');
}

/**
 * Imports codec modules named in the config. Each codec remembers the URL it was loaded from,
 * because decoding runs on worker threads that import it again.
 */
export async function loadCodecs(specifiers: readonly string[], baseDir: string): Promise<Codec[]> {
  const codecs: Codec[] = [];
  for (const specifier of specifiers) {
    const { definition, url } = await loadDefinitionFrom(specifier, baseDir, isCodec, 'codec', 'defineCodec');
    codecs.push(Object.freeze({ ...definition, module: url }));
  }
  return codecs;
}

/** Imports `specifier` and returns the one export that `is` accepts. */
export async function loadDefinition<T>(
  specifier: string,
  baseDir: string,
  is: (value: unknown) => value is T,
  what: string,
  definer: string,
): Promise<T> {
  return (await loadDefinitionFrom(specifier, baseDir, is, what, definer)).definition;
}

async function loadDefinitionFrom<T>(
  specifier: string,
  baseDir: string,
  is: (value: unknown) => value is T,
  what: string,
  definer: string,
): Promise<{ definition: T; url: string }> {
  const { mod, url } = await importModule(specifier, baseDir, what);
  const unique = [...new Set(Object.values(mod).filter(is))];
  if (unique.length !== 1) {
    const found = unique.length === 0 ? `no ${what}` : `${unique.length} ${what}s`;
    throw new LakerunnerError(
      'LR_PLUGIN_INVALID',
      `module "${specifier}" exports ${found}; it must export exactly one ${definer}(...) result`,
    );
  }
  return { definition: unique[0] as T, url };
}

async function importModule(
  specifier: string,
  baseDir: string,
  what: string,
): Promise<{ mod: Record<string, unknown>; url: string }> {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier);
  const attempts: string[] = isPath
    ? [pathToFileURL(resolve(baseDir, specifier)).href]
    : // Plain import first: it picks the ESM build; the deployment's own tree is the fallback.
      [specifier, resolveFrom(baseDir, specifier)].filter((s): s is string => s !== undefined);
  let lastError: unknown;
  for (const target of attempts) {
    try {
      const mod = (await import(target)) as Record<string, unknown>;
      return { mod, url: target === specifier ? resolveFromCore(specifier) : target };
    } catch (err) {
      lastError = err;
    }
  }
  const reason = lastError instanceof Error ? lastError.message.split('\n')[0] : String(lastError);
  const hint = isPath ? '' : ` (install it with "npm install ${specifier}" or remove it from the config)`;
  throw new LakerunnerError('LR_PLUGIN_NOT_FOUND', `cannot load ${what} "${specifier}"${hint}: ${reason}`, {
    cause: lastError,
  });
}

/** The file a bare specifier imported from core resolves to, for a worker thread to import. */
function resolveFromCore(specifier: string): string {
  return pathToFileURL(createRequire(import.meta.url).resolve(specifier)).href;
}

function resolveFrom(baseDir: string, specifier: string): string | undefined {
  try {
    const path = createRequire(join(baseDir, 'noop.js')).resolve(specifier);
    return pathToFileURL(path).href;
  } catch {
    return undefined;
  }
}

export { fsStorageAdapter } from './adapter.js';
export { type FsAdapterOptions, fsAdapterOptions, parseFsAdapterOptions } from './adapter-options.js';
export {
  createDirectoryWatchSource,
  DEFAULT_SETTLE_MS,
  type DirectoryWatchOptions,
} from './directory-watch-source.js';
export { createFsStore, type FsStoreOptions } from './fs-store.js';
export { TEMP_DIR } from './write-object.js';

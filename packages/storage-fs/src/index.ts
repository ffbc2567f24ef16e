export { fsStorageAdapter } from './adapter.js';
export { createDirectoryWatchSource, type DirectoryWatchOptions } from './directory-watch-source.js';
export { createFsStore, type FsStoreOptions, TEMP_DIR } from './fs-store.js';

// NTFS reader in TypeScript: read-only, no native code, checked against The Sleuth Kit in tests.
export { openNtfs, NtfsFileSystem, type NtfsStat } from './ntfs-fs.js';
export { filetimeIso } from './attrs.js';

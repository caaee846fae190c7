// FAT12/16/32 reader in TypeScript: read-only, no native code, checked against The Sleuth Kit in tests.
export { openFat, FatFileSystem, type FatStat } from './fat-fs.js';
export { looksLikeFat, type FatGeometry } from './bpb.js';

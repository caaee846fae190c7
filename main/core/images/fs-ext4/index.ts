// ext2/3/4 reader in TypeScript: read-only, no native code, checked against The Sleuth Kit in tests.
export { openExt4, Ext4FileSystem, type Ext4Stat } from './ext4-fs.js';
export { walk, type WalkItem, type WalkOptions } from './walk.js';

export interface FsEntry { name: string; inode: number; type: 'file'|'dir'|'symlink'|'other'; deleted: boolean; }
export interface FsStat { inode: number; type: 'file'|'dir'|'symlink'|'other'; size: number; mode: number; uid: number; gid: number; nlink: number;
  mtime: string|null; atime: string|null; ctime: string|null; crtime: string|null; symlinkTarget?: string;
  /** True when the content is a recovery guess (a deleted FAT file's clusters), not what the file system maps. */
  bestEffort?: boolean;
  /** File-system attributes that have no POSIX mode bit (FAT: hidden, system, archive…). */
  attributes?: string[];
  /** Alternate data streams (NTFS named $DATA) with their sizes; absent where the file system has none. */
  streams?: { name: string; size: number }[]; }
export interface FileSystem { readonly kind: string; readonly label: string; readonly blockSize: number;
  rootInode: number; stat(inode: number): Promise<FsStat>; readDir(inode: number): Promise<FsEntry[]>;
  read(inode: number, offset: number, length: number): Promise<Buffer>;
  /** Reads a named stream (one listed in `stat().streams`); only file systems with alternate data streams have it. */
  readStream?(inode: number, stream: string, offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>; }

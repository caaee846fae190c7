export interface FsEntry { name: string; inode: number; type: 'file'|'dir'|'symlink'|'other'; deleted: boolean; }
export interface FsStat { inode: number; type: 'file'|'dir'|'symlink'|'other'; size: number; mode: number; uid: number; gid: number; nlink: number;
  mtime: string|null; atime: string|null; ctime: string|null; crtime: string|null; symlinkTarget?: string; }
export interface FileSystem { readonly kind: string; readonly label: string; readonly blockSize: number;
  rootInode: number; stat(inode: number): Promise<FsStat>; readDir(inode: number): Promise<FsEntry[]>;
  read(inode: number, offset: number, length: number): Promise<Buffer>; close(): Promise<void>; }

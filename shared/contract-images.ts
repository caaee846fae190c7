/** The contract's offline image review operations (issue 5); merged into `channels` in contract.ts. */
import { z } from 'zod';
import { caseRef, id, out } from './contract-kit.js';

/** Largest slice of a file, partition or image returned in one call (hex view, text preview). */
export const IMAGE_READ_MAX = 64 * 1024;
/** Largest page of a directory listing. */
export const IMAGE_LIST_MAX = 5000;

const imageRef = { ...caseRef, artifactId: id };
/** A partition by its index in `images.open`'s volume list, or null for the whole image. */
const partition = z.number().int().min(0).max(100_000).nullable();
const inode = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const offset = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** A path inside the image's file system, "/" separated, from its root. */
const imagePath = z.string().min(1).max(4096).startsWith('/');

/** One partition (or LVM logical volume) of an opened image. */
export interface ImagePartition {
  index: number;
  start: number;
  size: number;
  type: string;
  label: string | null;
  flags: string[];
}

/** A file system found on a partition (or on the whole image when partition is null). */
export interface ImageFileSystem {
  partition: number | null;
  kind: 'ext4' | 'xfs' | 'fat' | 'ntfs' | 'unknown';
  /** What the boot sector or superblock says: ext2/ext3/ext4, xfs, ntfs, FAT12/16/32. */
  detail: string;
  label: string;
  blockSize: number;
  rootInode: number | null;
  /** Why an unknown file system is unknown, or what the reader noticed (a truncated image). */
  warnings: string[];
}

/** What `images.open` shows: the container, its own metadata, the volumes and file systems. */
export interface ImageOverview {
  artifactId: string;
  kind: 'raw' | 'split-raw' | 'ewf';
  size: number;
  /** Container metadata: for EWF case number, examiner, dates, stored MD5/SHA-1; for split raw the segments. */
  metadata: Record<string, string | number | boolean | string[]>;
  volumes: { scheme: 'mbr' | 'gpt' | 'lvm' | 'none'; sectorSize: number; partitions: ImagePartition[]; warnings: string[] };
  fileSystems: ImageFileSystem[];
}

/** One inode's metadata; times are UTC ISO-8601 (null when the file system does not keep them). */
export interface ImageStat {
  inode: number;
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  mtime: string | null;
  atime: string | null;
  ctime: string | null;
  crtime: string | null;
  /** A symlink's target as stored; never followed. */
  symlinkTarget: string | null;
  /** The content is a recovery guess (a deleted FAT file), not what the file system maps. */
  bestEffort: boolean;
  /** File-system attributes without a POSIX mode bit (FAT: hidden, system, archive…); empty when none. */
  attributes: string[];
  /**
   * 'local': the file system stores local wall-clock times of the machine that wrote them (FAT); they
   * are shown as written, marked Z, and not converted. 'utc': real UTC instants.
   */
  timeBasis: 'utc' | 'local';
  /** Alternate data streams (NTFS named $DATA, e.g. Zone.Identifier) with their sizes; empty when none. */
  streams: { name: string; size: number }[];
}

/** A directory entry with its inode's metadata (null fields when a deleted entry's inode cannot be read). */
export interface ImageEntry {
  name: string;
  inode: number;
  type: 'file' | 'dir' | 'symlink' | 'other';
  deleted: boolean;
  size: number | null;
  mode: number | null;
  uid: number | null;
  gid: number | null;
  mtime: string | null;
  atime: string | null;
  ctime: string | null;
  crtime: string | null;
  symlinkTarget: string | null;
  /** Why the inode's metadata could not be read. */
  error: string | null;
}

/** A page of a directory listing. */
export interface ImageListing {
  partition: number | null;
  inode: number;
  total: number;
  offset: number;
  entries: ImageEntry[];
  /** As in ImageStat: 'local' for FAT's zone-less wall-clock times. */
  timeBasis: 'utc' | 'local';
}

/** Bytes of a file, partition or image, base64-encoded. */
export interface ImageBytes {
  offset: number;
  length: number;
  /** Size of the file, partition or image the bytes come from. */
  totalSize: number;
  base64: string;
}

const fileRef = { ...imageRef, partition, inode };
/** An alternate data stream of the file (NTFS named $DATA) instead of its main content; must be one `images.stat` lists. */
const stream = z.string().min(1).max(255).optional();
const readSlice = { offset, length: z.number().int().min(0).max(IMAGE_READ_MAX) };

export const imagesChannels = {
  'images.open': { input: z.object(imageRef), output: out<ImageOverview>() },
  'images.verify': { input: z.object(imageRef), output: out<{ jobId: string }>() },
  'images.list': {
    input: z.object({
      ...imageRef,
      partition,
      /** Default: the file system's root directory. */
      inode: inode.optional(),
      offset: z.number().int().min(0).max(100_000_000).default(0),
      limit: z.number().int().min(1).max(IMAGE_LIST_MAX).default(1000),
    }),
    output: out<ImageListing>(),
  },
  'images.stat': { input: z.object(fileRef), output: out<ImageStat>() },
  'images.readFile': { input: z.object({ ...fileRef, ...readSlice, stream }), output: out<ImageBytes>() },
  'images.readRaw': { input: z.object({ ...imageRef, partition, ...readSlice }), output: out<ImageBytes>() },
  'images.hashFile': { input: z.object({ ...fileRef, stream }), output: out<{ size: number; md5: string; sha1: string; sha256: string }>() },
  'images.resolvePath': { input: z.object({ ...imageRef, partition, path: imagePath }), output: out<{ inode: number; stat: ImageStat }>() },
  'images.export': {
    input: z.object({
      ...fileRef,
      /** The path the examiner browsed to, recorded as provenance; found by searching the tree when omitted. */
      path: imagePath.optional(),
      /** For a directory: export every regular file below it, one artifact each. */
      recursive: z.boolean().default(false),
      /** Export this alternate data stream of the file (not with recursive); the artifact is named `file.txt_stream`. */
      stream,
    }),
    output: out<{ jobId: string }>(),
  },
} as const;

/**
 * Snapshot imaging: download a completed EBS snapshot into a raw image through the EBS direct APIs,
 * every block checksum-verified, holes left sparse, MD5/SHA-1/SHA-256 in the same pass, resumable.
 * See docs/ebs-imaging.md.
 */
export type { BlockListing, BlockSource, FetchedBlock, ListedBlock, ListOptions } from './block-source.js';
export {
  AccessDeniedError,
  BlockChecksumError,
  BlockSourceError,
  ExpiredTokenError,
  NetworkError,
  RequestTimeoutError,
  ServerError,
  SnapshotNotCompletedError,
  SnapshotNotFoundError,
  ThrottledError,
} from './errors.js';
export { downloadSnapshot, type DownloadOptions, type DownloadProgress, type DownloadResult } from './download-snapshot.js';
export { ebsBlockSource, ebsClientSettings, type EbsBlockSourceOptions } from './ebs-block-source.js';
export { mapEbsError } from './ebs-errors.js';
export { BlockManifest, type ManifestSummary } from './manifest.js';

/**
 * The abstract source of a snapshot's blocks. The imaging engine depends only on this, so it can be
 * driven by the EBS direct APIs (ebs-block-source.ts), by an in-process fake in tests, or by anything
 * else that can list and return blocks with a SHA-256 checksum each.
 *
 * Implementations throw the typed errors of errors.ts so the engine can tell what to retry.
 */

/** One block a listing says has data; the token authorises one GetSnapshotBlock until the listing's expiry. */
export interface ListedBlock {
  index: number;
  token: string;
}

/** One page of ListSnapshotBlocks: blocks in ascending index order (possibly none, even with nextToken set). */
export interface BlockListing {
  blocks: ListedBlock[];
  /** Set while more pages follow. */
  nextToken?: string;
  /** When the tokens of this page stop working. */
  expiry: Date;
  /** Volume size in bytes (AWS reports GiB; adapters convert). */
  volumeSizeBytes: number;
  /** Block size in bytes (512 KiB on EBS). */
  blockSize: number;
}

/** A block's bytes with the checksum the service sent alongside them (not yet verified). */
export interface FetchedBlock {
  data: Buffer;
  /** Base64 SHA-256 of `data` as claimed by the service (x-amz-Checksum). */
  checksumB64: string;
  algorithm: 'SHA256';
}

/** Options for a listing call; `nextToken` wins over `startIndex`, as in the API. */
export interface ListOptions {
  startIndex?: number;
  nextToken?: string;
  signal: AbortSignal;
}

/** Options for reading one block. */
export interface GetOptions {
  signal: AbortSignal;
  /**
   * A buffer of exactly one block the source may fill and return as `data` instead of allocating
   * (the engine reuses block buffers); a source is free to ignore it.
   */
  buffer?: Buffer;
}

/** Lists and reads a snapshot's blocks. Both calls must honour `signal` (the engine also races it). */
export interface BlockSource {
  list(snapshotId: string, opts: ListOptions): Promise<BlockListing>;
  get(snapshotId: string, index: number, token: string, opts: GetOptions): Promise<FetchedBlock>;
}

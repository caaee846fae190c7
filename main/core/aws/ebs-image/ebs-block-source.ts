/**
 * BlockSource over the EBS direct APIs (@aws-sdk/client-ebs): ListSnapshotBlocks and
 * GetSnapshotBlock, with the SDK's errors mapped to the typed errors the engine acts on.
 *
 * Build the client with ebsClientSettings() (maxAttempts 1: the engine retries with its own backoff
 * and adaptive concurrency, and SDK retries underneath would hide throttling from it; and as many
 * sockets as the download's concurrency).
 * The SDK does not verify a block's checksum; the engine does.
 */
import type { Readable } from 'node:stream';
import { GetSnapshotBlockCommand, ListSnapshotBlocksCommand, type EBSClient } from '@aws-sdk/client-ebs';
import { AppError } from '../../../../shared/errors.js';
import type { BlockListing, BlockSource, FetchedBlock, GetOptions, ListOptions } from './block-source.js';
import { mapEbsError } from './ebs-errors.js';
import { NetworkError } from './errors.js';

const GiB = 1024 * 1024 * 1024;
/** The largest EBS volume (64 TiB); a bigger VolumeSize means the field was not in GiB. */
const MAX_VOLUME_GIB = 64 * 1024;
// When a listing carries no ExpiryTime the engine relies on re-listing when a token is refused.
const UNKNOWN_EXPIRY_MS = 60 * 60 * 1000;

/**
 * EBSClient settings the engine expects, to spread into the client's config with region,
 * credentials and endpoint: no SDK retries, and a socket for every concurrent request (the SDK's
 * default pool has 50).
 */
export function ebsClientSettings(concurrency = 64): { maxAttempts: number; requestHandler: Record<string, unknown> } {
  const agent = { keepAlive: true, maxSockets: concurrency };
  return { maxAttempts: 1, requestHandler: { httpAgent: agent, httpsAgent: agent } };
}

/** Settings of the adapter. */
export interface EbsBlockSourceOptions {
  /** Blocks per ListSnapshotBlocks page (AWS allows 100..10000). Default 1000. */
  maxResults?: number;
}

/** A BlockSource that reads a snapshot through the EBS direct APIs with `client`. */
export function ebsBlockSource(client: EBSClient, options: EbsBlockSourceOptions = {}): BlockSource {
  const maxResults = options.maxResults ?? 1000;
  return {
    async list(snapshotId: string, opts: ListOptions): Promise<BlockListing> {
      const action = 'ebs:ListSnapshotBlocks';
      try {
        const out = await client.send(
          new ListSnapshotBlocksCommand({
            SnapshotId: snapshotId,
            MaxResults: maxResults,
            ...(opts.nextToken ? { NextToken: opts.nextToken } : { StartingBlockIndex: opts.startIndex ?? 0 }),
          }),
          { abortSignal: opts.signal },
        );
        return toListing(snapshotId, out);
      } catch (err) {
        throw mapEbsError(err, snapshotId, action);
      }
    },

    async get(snapshotId: string, index: number, token: string, opts: GetOptions): Promise<FetchedBlock> {
      const action = 'ebs:GetSnapshotBlock';
      try {
        const out = await client.send(new GetSnapshotBlockCommand({ SnapshotId: snapshotId, BlockIndex: index, BlockToken: token }), {
          abortSignal: opts.signal,
        });
        const data = await readBody(out.BlockData, out.DataLength, opts.signal, opts.buffer);
        if (out.DataLength !== undefined && data.length !== out.DataLength) {
          throw new NetworkError(`block ${index}: the body had ${data.length} bytes, x-amz-Data-Length said ${out.DataLength}`);
        }
        if (!out.Checksum || out.ChecksumAlgorithm !== 'SHA256') {
          // Unverifiable: the marker never equals a base64 digest, so the engine counts a failed check and names why.
          return { data, checksumB64: `(no SHA256 checksum: algorithm ${out.ChecksumAlgorithm ?? 'none'})`, algorithm: 'SHA256' };
        }
        return { data, checksumB64: out.Checksum, algorithm: 'SHA256' };
      } catch (err) {
        throw mapEbsError(err, snapshotId, action);
      }
    },
  };
}

function toListing(
  snapshotId: string,
  out: { Blocks?: { BlockIndex?: number; BlockToken?: string }[]; ExpiryTime?: Date; VolumeSize?: number; BlockSize?: number; NextToken?: string },
): BlockListing {
  const { VolumeSize, BlockSize } = out;
  if (!VolumeSize || !BlockSize) {
    throw new AppError('UNREADABLE', `ListSnapshotBlocks for ${snapshotId} returned no VolumeSize or BlockSize.`);
  }
  if (VolumeSize > MAX_VOLUME_GIB) {
    throw new AppError('UNREADABLE', `ListSnapshotBlocks for ${snapshotId} gave VolumeSize ${VolumeSize}, more than EBS's 64 TiB in GiB; refusing to guess the unit.`);
  }
  const blocks = (out.Blocks ?? []).map((b) => {
    if (b.BlockIndex === undefined || !b.BlockToken) {
      throw new AppError('UNREADABLE', `ListSnapshotBlocks for ${snapshotId} returned a block without index or token.`);
    }
    return { index: b.BlockIndex, token: b.BlockToken };
  });
  const expiry = out.ExpiryTime instanceof Date ? out.ExpiryTime : new Date(Date.now() + UNKNOWN_EXPIRY_MS);
  return { blocks, expiry, volumeSizeBytes: VolumeSize * GiB, blockSize: BlockSize, ...(out.NextToken ? { nextToken: out.NextToken } : {}) };
}

/**
 * Reads the whole BlockData stream into one buffer: `into` when it has exactly DataLength bytes,
 * else a new one pre-sized from DataLength when that is known.
 */
export async function readBody(body: unknown, dataLength: number | undefined, signal: AbortSignal, into?: Buffer): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const stream = body as Readable;
  if (typeof (stream as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') {
    const bytes = await (body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  const onAbort = (): void => {
    stream.destroy?.(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const known = dataLength !== undefined && dataLength >= 0;
    const sized = known ? (into?.length === dataLength ? into : Buffer.allocUnsafe(dataLength)) : null;
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (sized) {
        if (length + chunk.length > sized.length) throw new NetworkError(`the body is longer than x-amz-Data-Length (${dataLength})`);
        chunk.copy(sized, length);
      } else {
        chunks.push(chunk);
      }
      length += chunk.length;
    }
    if (!sized) return Buffer.concat(chunks, length);
    if (length !== sized.length) throw new NetworkError(`the body had ${length} bytes, x-amz-Data-Length said ${dataLength}`);
    return sized;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Helpers for tests that use the fake: catching SDK errors, building disk images with known blocks. */
import fs from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { EBS_BLOCK_SIZE } from './block-source.js';

/** The parts of an AWS SDK error a test asserts on. */
export interface CaughtAwsError {
  name: string;
  message: string;
  status?: number;
  requestId?: string;
  /** EBS errors carry the model's Reason member. */
  reason?: string;
}

/** Awaits a call that must fail with an AWS service error and returns its code, status and message. */
export async function awsError(call: Promise<unknown>): Promise<CaughtAwsError> {
  try {
    await call;
  } catch (err) {
    const e = err as { name: string; message: string; Reason?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode, requestId: e.$metadata?.requestId, reason: e.Reason };
  }
  throw new Error('expected the AWS call to fail, but it succeeded');
}

/** Writes a sparse image of `sizeBytes` with 4 KiB of random data inside each listed block. */
export function makeSparseImage(file: string, sizeBytes: number, dataBlocks: Iterable<number>): number[] {
  fs.writeFileSync(file, '');
  fs.truncateSync(file, sizeBytes);
  const fd = fs.openSync(file, 'r+');
  const written: number[] = [];
  try {
    for (const index of dataBlocks) {
      const start = index * EBS_BLOCK_SIZE;
      if (start >= sizeBytes) continue;
      // Vary where inside the block the data sits so a misplaced read cannot pass by luck.
      const within = (index * 7919) % (EBS_BLOCK_SIZE - 4096);
      const len = Math.min(4096, sizeBytes - start - within);
      if (len <= 0) continue;
      fs.writeSync(fd, randomBytes(len), 0, len, start + within);
      written.push(index);
    }
  } finally {
    fs.closeSync(fd);
  }
  return written.sort((a, b) => a - b);
}

/** SHA-256 hex of a whole file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The bytes of one block of an image file, zero-padded past its end. */
export function imageBlock(file: string, index: number): Buffer {
  const buf = Buffer.alloc(EBS_BLOCK_SIZE);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, buf, 0, EBS_BLOCK_SIZE, index * EBS_BLOCK_SIZE);
  } finally {
    fs.closeSync(fd);
  }
  return buf;
}

/** Base64 SHA-256, the form of x-amz-Checksum. */
export function checksumOf(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('base64');
}

/** The contract's CloudTrail integrity validation operation (issue 4 item 2); merged into `channels` in contract.ts. */
import { z } from 'zod';
import { caseRef, id, out } from './contract-kit.js';

/** A UTC instant with a zone; a time without one would be a guess, so it is refused. */
const instant = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/, 'Time must be ISO-8601 with a zone, e.g. 2024-07-31T13:06:24Z')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'Not a valid time');
const bucket = z.string().min(1).max(255);
const key = z.string().min(1).max(1024);

/**
 * The validation report's shapes, defined once here; main/core/logs/cloudtrail/integrity-types.ts
 * derives the core's own types (the same results without artifact ids) from them.
 *
 * Log status — valid: hash matches a valid digest. invalid: it does not, or the file is unreadable as
 * gzip. missing: a valid digest lists it but it was not provided (or is not on disk). not-covered: no
 * digest lists it. not-verified: only digests that failed validation list it.
 */
export type LogIntegrityStatus = 'valid' | 'invalid' | 'missing' | 'not-covered' | 'not-verified';
export type DigestIntegrityStatus = 'valid' | 'invalid' | 'missing';

/** One log file's result; artifactId is null for a log a digest lists but that was not given. */
export interface LogIntegrityResult {
  artifactId: string | null;
  s3Bucket: string;
  s3Key: string;
  path: string | null;
  status: LogIntegrityStatus;
  reason: string | null;
  expectedSha256: string | null;
  /** SHA-256 of the uncompressed content as computed here. */
  computedSha256: string | null;
  /** Keys of the digests that list this log file. */
  digestKeys: string[];
  /** Hour (UTC) of delivery from the file name, for the hourly summary. */
  hour: string | null;
}

/** One digest file's result; artifactId is null for a digest the chain names but that was not given. */
export interface DigestIntegrityResult {
  artifactId: string | null;
  s3Bucket: string;
  s3Key: string;
  /** Null for a digest that is referenced but was not provided. */
  path: string | null;
  status: DigestIntegrityStatus;
  /** Why it is invalid or missing; null when valid. */
  reason: string | null;
  backfill: boolean;
  /** account/region/trail/home-region the digest belongs to (its chain). */
  stream: string;
  digestStartTime: string | null;
  digestEndTime: string | null;
  /** SHA-256 of the uncompressed digest bytes. */
  sha256: string | null;
  /** Where the signature checked came from: the S3 metadata, or the next digest's previousDigestSignature. */
  signatureSource: 'metadata' | 'next-digest' | null;
  publicKeyFingerprint: string | null;
  logFiles: number;
  /** Observations that do not make the digest invalid (chain edge, key validity, not linked). */
  notes: string[];
}

/**
 * restart: a digest starts a new chain (no previous digest) while older digests exist: CloudTrail
 * logging or validation was off in between. time: linked digests whose times do not meet.
 * before-first / after-last: the acquired range reaches beyond the first or last digest.
 */
export interface ChainGap {
  stream: string;
  kind: 'restart' | 'time' | 'before-first' | 'after-last';
  from: string;
  to: string;
  olderDigest: string | null;
  newerDigest: string | null;
  message: string;
}

export interface KeyProblem {
  fingerprint: string;
  problem: string;
}

export interface HourSummary {
  hour: string;
  logs: Record<LogIntegrityStatus, number>;
  digests: Record<DigestIntegrityStatus, number>;
  gap: boolean;
  ok: boolean;
}

/** The full report of logs.validate, as `aws cloudtrail validate-logs` would judge the same files. */
export interface LogsValidationReport {
  /** True only if every digest and log is valid, none is missing or uncovered, and there is no gap. */
  ok: boolean;
  validatedAt: string;
  counts: { digests: Record<DigestIntegrityStatus, number>; logs: Record<LogIntegrityStatus, number>; gaps: number };
  digests: DigestIntegrityResult[];
  logs: LogIntegrityResult[];
  gaps: ChainGap[];
  hours: HourSummary[];
  keyProblems: KeyProblem[];
  /** The logs.validated custody event that records this result. */
  custodySeq: number;
}

export const logsValidateChannels = {
  'logs.validate': {
    input: z
      .object({
        ...caseRef,
        logs: z.array(z.object({ artifactId: id, s3Bucket: bucket, s3Key: key }).strict()).max(100_000),
        digests: z
          .array(
            z
              .object({
                artifactId: id,
                s3Bucket: bucket,
                s3Key: key,
                /** x-amz-meta-signature; null when it was not kept (the next digest then supplies it). */
                signatureHex: z.string().regex(/^[0-9a-fA-F]*$/, 'Signature must be hex').max(4096).nullable(),
                signatureAlgorithm: z.string().min(1).max(64).nullable(),
                /** x-amz-meta-backfill-generation-timestamp; backfill digests only. */
                backfillGenerationTimestamp: z.string().min(1).max(40).nullable().optional(),
              })
              .strict(),
          )
          .min(1)
          .max(20_000),
        publicKeys: z
          .array(
            z
              .object({
                fingerprint: z.string().min(1).max(128),
                value: z.string().min(1).max(8192),
                validityStart: instant.nullable(),
                validityEnd: instant.nullable(),
              })
              .strict(),
          )
          .min(1)
          .max(100),
        range: z.object({ from: instant, to: instant }).strict().optional(),
      })
      .strict(),
    output: out<LogsValidationReport>(),
  },
} as const;

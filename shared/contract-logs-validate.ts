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

/** Statuses as main/core/logs/cloudtrail/integrity-types.ts defines them (shared cannot import main). */
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
  computedSha256: string | null;
  digestKeys: string[];
  hour: string | null;
}

/** One digest file's result; artifactId is null for a digest the chain names but that was not given. */
export interface DigestIntegrityResult {
  artifactId: string | null;
  s3Bucket: string;
  s3Key: string;
  path: string | null;
  status: DigestIntegrityStatus;
  reason: string | null;
  backfill: boolean;
  stream: string;
  digestStartTime: string | null;
  digestEndTime: string | null;
  sha256: string | null;
  signatureSource: 'metadata' | 'next-digest' | null;
  publicKeyFingerprint: string | null;
  logFiles: number;
  notes: string[];
}

/** The full report of logs.validate, as `aws cloudtrail validate-logs` would judge the same files. */
export interface LogsValidationReport {
  ok: boolean;
  validatedAt: string;
  counts: { digests: Record<DigestIntegrityStatus, number>; logs: Record<LogIntegrityStatus, number>; gaps: number };
  digests: DigestIntegrityResult[];
  logs: LogIntegrityResult[];
  gaps: { stream: string; kind: 'restart' | 'time' | 'before-first' | 'after-last'; from: string; to: string; olderDigest: string | null; newerDigest: string | null; message: string }[];
  hours: { hour: string; logs: Record<LogIntegrityStatus, number>; digests: Record<DigestIntegrityStatus, number>; gap: boolean; ok: boolean }[];
  keyProblems: { fingerprint: string; problem: string }[];
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

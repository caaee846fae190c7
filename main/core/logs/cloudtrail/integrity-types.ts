/** Inputs and report of offline CloudTrail log file integrity validation (validate-trail.ts). */

/** A delivered log file on disk, and where CloudTrail delivered it. */
export interface LocalLog {
  path: string;
  s3Bucket: string;
  s3Key: string;
}

/** A digest file on disk, where it was delivered, and its S3 object metadata. */
export interface LocalDigest {
  path: string;
  s3Bucket: string;
  s3Key: string;
  /** x-amz-meta-signature (hex); null if it was not kept (the next digest then supplies it). */
  signatureHex: string | null;
  /** x-amz-meta-signature-algorithm, e.g. SHA256withRSA. */
  signatureAlgorithm: string | null;
  /** x-amz-meta-backfill-generation-timestamp, present on backfill digests only. */
  backfillGenerationTimestamp?: string | null;
}

/** A CloudTrail public key as ListPublicKeys returns it. */
export interface PublicKey {
  fingerprint: string;
  /** Base64 of the DER-encoded PKCS#1 RSAPublicKey. */
  value: string;
  validityStart: string | Date | null;
  validityEnd: string | Date | null;
}

export interface ValidateTrailInput {
  logs: LocalLog[];
  digests: LocalDigest[];
  publicKeys: PublicKey[];
  /**
   * The period the examiner acquired (UTC ISO). A digest pointing to a previous digest from before
   * `start` is the edge of the acquisition, not a missing digest; without a range, the oldest
   * digest of each chain is taken as that edge.
   */
  range?: { start: string; end: string };
  signal?: AbortSignal;
  /** Called as log files are hashed. */
  onProgress?: (done: number, total: number) => void;
}

export type DigestStatus = 'valid' | 'invalid' | 'missing';

export interface DigestResult {
  s3Bucket: string;
  s3Key: string;
  /** Null for a digest that is referenced but was not provided. */
  path: string | null;
  status: DigestStatus;
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
 * valid: hash matches a valid digest. invalid: it does not, or the file is unreadable as gzip.
 * missing: a valid digest lists it but it was not provided (or is not on disk). not-covered: no
 * digest lists it. not-verified: only digests that failed validation list it.
 */
export type LogStatus = 'valid' | 'invalid' | 'missing' | 'not-covered' | 'not-verified';

export interface LogResult {
  s3Bucket: string;
  s3Key: string;
  path: string | null;
  status: LogStatus;
  reason: string | null;
  expectedSha256: string | null;
  /** SHA-256 of the uncompressed content as computed here. */
  computedSha256: string | null;
  /** Keys of the digests that list this log file. */
  digestKeys: string[];
  /** Hour (UTC) of delivery from the file name, for the hourly summary. */
  hour: string | null;
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
  logs: Record<LogStatus, number>;
  digests: Record<DigestStatus, number>;
  gap: boolean;
  ok: boolean;
}

export interface TrailValidationReport {
  /** True only if every digest and log is valid, none is missing or uncovered, and there is no gap. */
  ok: boolean;
  validatedAt: string;
  counts: { digests: Record<DigestStatus, number>; logs: Record<LogStatus, number>; gaps: number };
  digests: DigestResult[];
  logs: LogResult[];
  gaps: ChainGap[];
  hours: HourSummary[];
  keyProblems: KeyProblem[];
}

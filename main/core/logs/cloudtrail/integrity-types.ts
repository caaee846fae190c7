/** Inputs and report of offline CloudTrail log file integrity validation (validate-trail.ts). */
import type {
  ChainGap,
  DigestIntegrityResult,
  DigestIntegrityStatus,
  HourSummary,
  KeyProblem,
  LogIntegrityResult,
  LogIntegrityStatus,
  LogsValidationReport,
} from '../../../../shared/contract-logs-validate.js';

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

// The result shapes are the contract's (shared/contract-logs-validate.ts), minus the artifact ids
// that only the handler knows.
export type DigestStatus = DigestIntegrityStatus;
export type LogStatus = LogIntegrityStatus;
export type DigestResult = Omit<DigestIntegrityResult, 'artifactId'>;
export type LogResult = Omit<LogIntegrityResult, 'artifactId'>;
export type { ChainGap, HourSummary, KeyProblem };

export interface TrailValidationReport extends Omit<LogsValidationReport, 'digests' | 'logs' | 'custodySeq'> {
  digests: DigestResult[];
  logs: LogResult[];
}

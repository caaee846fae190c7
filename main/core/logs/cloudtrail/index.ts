/**
 * CloudTrail logs: streaming reader for delivered files and other tools' exports (read-file.ts),
 * the normalised record (record.ts), and offline log file integrity validation against digest
 * files (validate-trail.ts; rules in docs/cloudtrail-integrity.md).
 */
export { parseDigest, loadDigest, type DigestData, type DigestLogEntry, type LoadedDigest } from './digest-file.js';
export type * from './integrity-types.js';
export { hashLogContent } from './log-check.js';
export {
  readCloudTrailFile, CloudTrailFileReader, MAX_SKIP_DETAILS,
  type CloudTrailItem, type CloudTrailReadSummary, type ReadOptions, type SkipCode, type SkipDetail,
} from './read-file.js';
export { normaliseRecord, tryNormalise, toUtcIso, REQUIRED_FIELDS, type CloudTrailRecord, type RecordProblem } from './record.js';
export { parseDigestKey, parseLogKey, isBackfillKey, type DigestKeyInfo, type LogKeyInfo } from './s3-keys.js';
export { keyFingerprint, stringToSign, SIGNATURE_ALGORITHM } from './signature.js';
export { validateTrail } from './validate-trail.js';

/**
 * Maps what the AWS SDK throws for the EBS direct APIs onto the engine's typed errors. The SDK
 * gives modelled exceptions (by `name`), generic ones (ThrottlingException is not in EBS's model),
 * HTTP status in `$metadata`, and plain Node errors for broken connections.
 */
import { AppError } from '../../../../shared/errors.js';
import {
  AccessDeniedError,
  BlockSourceError,
  ExpiredTokenError,
  NetworkError,
  RequestTimeoutError,
  ServerError,
  SnapshotNotCompletedError,
  SnapshotNotFoundError,
  ThrottledError,
} from './errors.js';

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  Reason?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
}

const THROTTLE_NAMES = new Set(['ThrottlingException', 'RequestThrottledException', 'Throttling', 'TooManyRequestsException']);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
const NOT_COMPLETED = /\bpending\b|not (?:yet )?(?:in (?:a |the )?)?complete(?:d)?\b|still in progress|not completed/i;
const ACTION_IN_MESSAGE = /not authorized to perform:?\s*([a-z0-9-]+:[A-Za-z0-9]+)/;

/** The typed error for an SDK failure of `action` (e.g. ebs:GetSnapshotBlock) on `snapshotId`. */
export function mapEbsError(err: unknown, snapshotId: string, action: string): Error {
  if (err instanceof BlockSourceError) return err;
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as SdkErrorLike;
  const name = e.name ?? '';
  const message = e.message ?? String(err);
  const status = e.$metadata?.httpStatusCode;
  const options = { cause: err };
  // The engine aborted the request itself (timeout or cancellation) and already knows why.
  if (name === 'AbortError') return err as Error;

  if (THROTTLE_NAMES.has(name)) return new ThrottledError(name, options);
  if (status === 429 || status === 503) return new ThrottledError(`HTTP ${status}`, options);

  if (name === 'AccessDeniedException' || status === 403) {
    const named = ACTION_IN_MESSAGE.exec(message)?.[1];
    // DEPENDENCY_ACCESS_DENIED: EBS could not use the snapshot's KMS key on the caller's behalf.
    const missing = named ?? (e.Reason === 'DEPENDENCY_ACCESS_DENIED' ? 'kms:Decrypt (on the snapshot\'s KMS key)' : action);
    return new AccessDeniedError(missing, `AWS said: ${message}`, options);
  }

  if (NOT_COMPLETED.test(message) && ['ValidationException', 'ResourceNotFoundException', 'ConflictException'].includes(name)) {
    return new SnapshotNotCompletedError(snapshotId, message, options);
  }
  if (name === 'ValidationException') {
    if (e.Reason === 'INVALID_BLOCK_TOKEN' || e.Reason === 'INVALID_PAGE_TOKEN' || /token/i.test(message)) {
      return new ExpiredTokenError(message, options);
    }
    if (e.Reason === 'INVALID_SNAPSHOT_ID') return new SnapshotNotFoundError(snapshotId, message, options);
    return new AppError('INVALID_INPUT', `AWS rejected ${action} on ${snapshotId}: ${message}`, options);
  }
  if (name === 'ResourceNotFoundException') return new SnapshotNotFoundError(snapshotId, message, options);

  if (name === 'InternalServerException' || (status !== undefined && status >= 500) || e.$fault === 'server') {
    return new ServerError(status ?? 500, message, options);
  }
  if (name === 'TimeoutError' || e.code === 'ETIMEDOUT' || e.code === 'ESOCKETTIMEDOUT') {
    return new RequestTimeoutError(action, undefined, options);
  }
  if ((e.code && NETWORK_CODES.has(e.code)) || /socket hang up|aborted|premature close/i.test(message)) {
    return new NetworkError(message, options);
  }
  return new AppError('UNREADABLE', `${action} on ${snapshotId} failed: ${message}`, options);
}

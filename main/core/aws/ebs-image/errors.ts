/**
 * Typed errors a BlockSource throws, so the engine can decide: retry (throttling, 5xx, timeouts,
 * dropped connections), re-list (expired token), or stop and tell the examiner why (access denied,
 * snapshot not completed or missing). They are AppErrors, so whatever escapes reaches the examiner
 * as `{ code, message }`.
 */
import { AppError, type ErrorCode } from '../../../../shared/errors.js';

/** Base of every error a BlockSource throws; `retryable` says whether trying again may help. */
export abstract class BlockSourceError extends AppError {
  abstract readonly kind: string;
  readonly retryable: boolean;
  constructor(code: ErrorCode, message: string, retryable: boolean, options?: { cause?: unknown }) {
    super(code, message, options);
    this.retryable = retryable;
  }
}

/** ThrottlingException, RequestThrottledException, HTTP 429 or 503: slow down and retry. */
export class ThrottledError extends BlockSourceError {
  readonly kind = 'throttled';
  /** What the service said: the exception name or `HTTP 429` / `HTTP 503`. */
  readonly what: string;
  constructor(what: string, options?: { cause?: unknown }) {
    super('UNREADABLE', `AWS throttled the request (${what}).`, true, options);
    this.what = what;
  }
}

/** Any other 5xx (InternalServerException, 500, 502, 504): retry. */
export class ServerError extends BlockSourceError {
  readonly kind = 'server';
  readonly status: number;
  constructor(status: number, detail: string, options?: { cause?: unknown }) {
    super('UNREADABLE', `AWS answered with a server error (HTTP ${status}): ${detail}`, true, options);
    this.status = status;
  }
}

/** The request took longer than its timeout (the engine's own, or the transport's). */
export class RequestTimeoutError extends BlockSourceError {
  readonly kind = 'timeout';
  constructor(what: string, ms?: number, options?: { cause?: unknown }) {
    super('UNREADABLE', ms === undefined ? `${what} timed out.` : `${what} did not answer within ${ms} ms.`, true, options);
  }
}

/** The connection dropped, was refused or reset before a whole answer arrived: retry. */
export class NetworkError extends BlockSourceError {
  readonly kind = 'network';
  constructor(detail: string, options?: { cause?: unknown }) {
    super('UNREADABLE', `The connection to AWS failed: ${detail}`, true, options);
  }
}

/** A block token (or page token) has expired or is invalid: re-list from that block and carry on. */
export class ExpiredTokenError extends BlockSourceError {
  readonly kind = 'expired-token';
  constructor(detail: string, options?: { cause?: unknown }) {
    super('UNREADABLE', `The block token was refused as expired or invalid: ${detail}`, false, options);
  }
}

/** AWS refused the call; `action` names the permission that is missing (e.g. ebs:GetSnapshotBlock, kms:Decrypt). */
export class AccessDeniedError extends BlockSourceError {
  readonly kind = 'access-denied';
  readonly action: string;
  constructor(action: string, detail: string, options?: { cause?: unknown }) {
    super('FORBIDDEN', `AWS denied access: the credentials in use lack the permission ${action}. ${detail}`.trim(), false, options);
    this.action = action;
  }
}

/** The snapshot is still pending (or in error): the EBS direct APIs serve completed snapshots only. */
export class SnapshotNotCompletedError extends BlockSourceError {
  readonly kind = 'not-completed';
  constructor(snapshotId: string, detail: string, options?: { cause?: unknown }) {
    super(
      'CONFLICT',
      `Snapshot ${snapshotId} is not completed yet, and AWS serves only completed snapshots. Wait until it shows "completed", then start the image again. (${detail})`,
      false,
      options,
    );
  }
}

/** The snapshot does not exist in this account and region (or is not shared with it). */
export class SnapshotNotFoundError extends BlockSourceError {
  readonly kind = 'not-found';
  constructor(snapshotId: string, detail: string, options?: { cause?: unknown }) {
    super('NOT_FOUND', `Snapshot ${snapshotId} was not found in this account and region: ${detail}`, false, options);
  }
}

/** A block kept failing its SHA-256 check; the image cannot be trusted, so the job fails naming the block. */
export class BlockChecksumError extends AppError {
  readonly blockIndex: number;
  constructor(snapshotId: string, blockIndex: number, attempts: number, detail: string) {
    super(
      'UNREADABLE',
      `Block ${blockIndex} of snapshot ${snapshotId} failed checksum verification ${attempts} times (${detail}); the image is incomplete and was not recorded.`,
    );
    this.blockIndex = blockIndex;
  }
}

/**
 * Turns what the AWS SDK and the credential providers throw into AppErrors an examiner can act on:
 * credentials missing or refused (AWS_CREDENTIALS), endpoint unreachable (AWS_UNREACHABLE),
 * permission missing (FORBIDDEN, naming the permission when AWS does).
 */
import { AppError } from '../../../../shared/errors.js';

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  cause?: unknown;
}

const CREDENTIAL_CODES = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'AuthFailure',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationToken',
  'IncompleteSignature',
]);
const DENIED_CODES = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);
const PERMISSION_IN_MESSAGE = /not authorized to perform:?\s*([a-z0-9-]+:[A-Za-z0-9*]+)/;

/** The AWS error code of an SDK failure ('' when there is none). */
export function awsErrorCode(err: unknown): string {
  const e = (err ?? {}) as SdkErrorLike;
  return e.Code ?? e.name ?? '';
}

/** The permission an access-denied message names (ec2:CreateSnapshots), if any. */
export function missingPermission(message: string): string | undefined {
  return PERMISSION_IN_MESSAGE.exec(message)?.[1];
}

function networkCode(err: unknown): string | undefined {
  for (let e = err as SdkErrorLike | undefined, depth = 0; e && depth < 5; e = e.cause as SdkErrorLike | undefined, depth++) {
    if (e.code && NETWORK_CODES.has(e.code)) return e.code;
    if (e.name === 'TimeoutError') return 'timeout';
  }
  return undefined;
}

/** Removes anything that looks like a secret from an SDK message before it reaches an examiner or a log. */
export function scrub(message: string, secrets: readonly string[] = []): string {
  let out = message;
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  return out.replace(/(aws_secret_access_key|aws_session_token|SecretAccessKey|SessionToken)(["'\s:=]+)[^\s"',}]+/gi, '$1$2[redacted]');
}

/** An AppError for an SDK failure of `what` (e.g. "STS GetCallerIdentity with profile x"). */
export function mapAwsError(err: unknown, what: string, opts: { endpoint?: string | null; secrets?: readonly string[] } = {}): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as SdkErrorLike;
  const code = awsErrorCode(err);
  const message = scrub(e.message ?? String(err), opts.secrets);
  const options = { cause: err };
  if (code === 'CredentialsProviderError' || code === 'TokenProviderError' || /could not (load|resolve) credentials|profile .* (could not be found|not found)/i.test(message)) {
    const sso = /sso/i.test(message) ? ' For an SSO profile, sign in again with `aws sso login --profile NAME` and retry.' : '';
    return new AppError('AWS_CREDENTIALS', `No usable AWS credentials for ${what}: ${message}${sso}`, options);
  }
  if (CREDENTIAL_CODES.has(code)) {
    const why = /expired/i.test(code + message) ? 'have expired' : 'were refused';
    return new AppError('AWS_CREDENTIALS', `The AWS credentials for ${what} ${why} (${code}): ${message}`, options);
  }
  if (DENIED_CODES.has(code)) {
    const perm = missingPermission(message);
    return new AppError('FORBIDDEN', `AWS denied ${what}${perm ? `: the credentials lack ${perm}` : ''} (${code}). ${message}`, options);
  }
  const net = networkCode(err);
  if (net) {
    const where = opts.endpoint ? ` at ${opts.endpoint}` : '';
    return new AppError('AWS_UNREACHABLE', `AWS could not be reached${where} for ${what} (${net}). Check the network, proxy or endpoint override.`, options);
  }
  if (code === 'InvalidParameterValue' || code.endsWith('.Malformed') || code.endsWith('.NotFound') || code === 'NoSuchEntity') {
    return new AppError(code.endsWith('NotFound') || code === 'NoSuchEntity' ? 'NOT_FOUND' : 'INVALID_INPUT', `AWS: ${message} (${code}, ${what})`, options);
  }
  return new AppError('INTERNAL', `AWS failed ${what}${code ? ` (${code})` : ''}: ${message}`, options);
}

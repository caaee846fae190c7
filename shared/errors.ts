/** Error codes every door reports in the `{ code, message }` envelope. */
export const errorCodes = [
  'INVALID_INPUT',
  'FORBIDDEN',
  'NOT_FOUND',
  'EXISTS',
  'CONFLICT',
  'NO_PROFILE',
  'CASE_NOT_OPEN',
  'CASE_TOO_NEW',
  'CASE_CORRUPT',
  'FILE_MISSING',
  'NOT_A_FILE',
  'UNREADABLE',
  'FILE_CHANGED',
  'CANCELLED',
  'JOB_STATE',
  'AWS_CREDENTIALS',
  'AWS_UNREACHABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** The serialisable shape of an error as it crosses a door. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

/** An error whose code and message are meant for the examiner. */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

/** Converts anything thrown into the envelope's error shape without leaking internals. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  if (err && typeof err === 'object' && 'code' in err && 'message' in err) {
    const code = String((err as { code: unknown }).code);
    if ((errorCodes as readonly string[]).includes(code)) {
      return { code: code as ErrorCode, message: String((err as { message: unknown }).message) };
    }
  }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

/** Exhaustiveness guard for switches over unions keyed by `kind`. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}

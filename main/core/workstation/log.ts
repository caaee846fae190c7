/** Structured log lines (JSON) in the user-data folder; secrets are redacted before writing. */
import fs from 'node:fs';
import path from 'node:path';

const SECRET_KEYS = /secret|token|password|credential|session|authorization|accesskey/i;

/** Replaces values of secret-looking keys, recursively. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : redact(v)]));
  }
  return value;
}

export class Logger {
  private readonly file: string;

  constructor(userDataDir: string) {
    const dir = path.join(userDataDir, 'logs');
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, 'caseward.log');
  }

  write(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
    const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...(redact(fields) as object) });
    try {
      fs.appendFileSync(this.file, line + '\n');
    } catch {
      // Logging must never break evidence work.
    }
  }
}

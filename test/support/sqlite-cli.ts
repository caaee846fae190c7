/**
 * The sqlite3 command-line shell, used the way an attacker with access to a closed case folder
 * would use it: no Caseward code involved, so what it writes is exactly what the app must catch.
 */
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';

export const SQLITE3 = '/usr/bin/sqlite3';

/** Whether the sqlite3 shell is installed (Debian package sqlite3). */
export const haveSqlite3 = fs.existsSync(SQLITE3);

if (!haveSqlite3) console.warn(`Skipping tests that need the sqlite3 shell: ${SQLITE3} is not installed (apt-get install sqlite3)`);

export interface SqlRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs SQL through the sqlite3 shell; -bail stops at the first error and exits non-zero. */
export function sqlite3(file: string, sql: string): SqlRun {
  const r = spawnSync(SQLITE3, ['-bail', '-batch', file], { input: sql, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Like sqlite3(), but throws when the shell reports an error; returns its output. */
export function sqlite3Ok(file: string, sql: string): string {
  const r = sqlite3(file, sql);
  if (r.status !== 0) throw new Error(`sqlite3 failed (${r.status}): ${r.stderr.trim()}\nSQL: ${sql}`);
  return r.stdout;
}

/** SQL that removes a table's append-only triggers, as the schema names them. */
export function dropAppendOnly(table: 'custody_events' | 'notes' | 'note_revisions' | 'case_info' | 'artifacts'): string {
  return table === 'artifacts'
    ? 'DROP TRIGGER artifacts_final; DROP TRIGGER artifacts_no_delete;'
    : `DROP TRIGGER ${table}_no_update; DROP TRIGGER ${table}_no_delete;`;
}

/** Quotes a value as an SQL string literal. */
export function sqlText(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

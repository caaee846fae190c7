import { createHash } from 'node:crypto';

/** SHA-256 of a note revision: the title, a line feed, then the body, as UTF-8. */
export function noteRevisionHash(title: string, body: string): string {
  return createHash('sha256').update(`${title}\n${body}`, 'utf8').digest('hex');
}

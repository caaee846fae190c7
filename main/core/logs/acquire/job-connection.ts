/** The AWS connection an acquisition job runs with (found again after a restart), and a gzip check. */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { AppError } from '../../../../shared/errors.js';
import { getConnection, listConnections, type LiveConnection } from '../../aws/connect/connections.js';
import type { Workstation } from '../../workstation/workstation.js';

/** The job's connection, or an open one of the case to the same account (connections do not survive a restart). */
export function jobConnection(ws: Workstation, p: { caseId: string; connectionId: string; account: string }, what: string): LiveConnection {
  try {
    return getConnection(ws, p.caseId, p.connectionId);
  } catch {
    const same = listConnections(ws, p.caseId).find((c) => c.account === p.account);
    if (same) return getConnection(ws, p.caseId, same.connectionId);
    throw new AppError('NOT_FOUND', `No AWS connection to account ${p.account} is open for this case; connect again (aws.connect) to resume ${what}`);
  }
}

/** Checks a gzip file inflates to its end; returns null, or why it does not. */
export async function gzipProblem(file: string): Promise<string | null> {
  let inflated = 0;
  try {
    await pipeline(createReadStream(file), createGunzip(), async (src: AsyncIterable<Buffer>) => {
      for await (const chunk of src) inflated += chunk.length;
    });
    return null;
  } catch (err) {
    return `The gzip data is truncated or corrupt after ${inflated} inflated bytes (${(err as Error).message})`;
  }
}

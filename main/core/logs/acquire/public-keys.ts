/**
 * CloudTrail's public keys for a period (ListPublicKeys, per region), kept in the case as one JSON
 * artifact whose `publicKeys` array is exactly what offline validation (logs.validate) takes.
 */
import { ListPublicKeysCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { AppError } from '../../../../shared/errors.js';
import type { PublicKey } from '../cloudtrail/index.js';
import { requestIdOf } from './clients.js';

/** The keys file's content. */
export interface PublicKeysFile {
  source: 'cloudtrail:ListPublicKeys';
  startTime: string;
  endTime: string;
  regions: { region: string; requestIds: string[]; keys: number; error: string | null }[];
  publicKeys: PublicKey[];
}

/** Fetches the keys valid in [start, end] from each region (pages followed); a region that fails is recorded, not fatal. */
export async function fetchPublicKeys(
  clientFor: (region: string) => CloudTrailClient,
  regions: string[],
  start: Date,
  end: Date,
  describeError: (err: unknown, what: string) => AppError,
): Promise<PublicKeysFile> {
  const byFingerprint = new Map<string, PublicKey>();
  const out: PublicKeysFile = { source: 'cloudtrail:ListPublicKeys', startTime: start.toISOString(), endTime: end.toISOString(), regions: [], publicKeys: [] };
  for (const region of regions) {
    const client = clientFor(region);
    const entry = { region, requestIds: [] as string[], keys: 0, error: null as string | null };
    try {
      let token: string | undefined;
      do {
        const r = await client.send(new ListPublicKeysCommand({ StartTime: start, EndTime: end, NextToken: token }));
        entry.requestIds.push(requestIdOf(r) ?? '');
        for (const k of r.PublicKeyList ?? []) {
          if (!k.Value || !k.Fingerprint) continue;
          entry.keys++;
          byFingerprint.set(k.Fingerprint, {
            fingerprint: k.Fingerprint,
            value: Buffer.from(k.Value).toString('base64'),
            validityStart: k.ValidityStartTime?.toISOString() ?? null,
            validityEnd: k.ValidityEndTime?.toISOString() ?? null,
          });
        }
        token = r.NextToken;
      } while (token);
    } catch (err) {
      const rid = requestIdOf(err);
      if (rid) entry.requestIds.push(rid);
      entry.error = describeError(err, `CloudTrail ListPublicKeys in ${region}`).message;
    } finally {
      client.destroy();
    }
    out.regions.push(entry);
  }
  out.publicKeys = [...byFingerprint.values()].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));
  return out;
}

/** Reads a keys file written by fetchPublicKeys; refuses anything else with a clear error. */
export function parsePublicKeysFile(text: string, name: string): PublicKey[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('INVALID_INPUT', `${name} is not JSON; it is not a CloudTrail public keys file`);
  }
  const keys = (parsed as Partial<PublicKeysFile> | null)?.publicKeys;
  if ((parsed as Partial<PublicKeysFile> | null)?.source !== 'cloudtrail:ListPublicKeys' || !Array.isArray(keys)) {
    throw new AppError('INVALID_INPUT', `${name} is not a CloudTrail public keys file (no ListPublicKeys source and publicKeys list)`);
  }
  return keys;
}

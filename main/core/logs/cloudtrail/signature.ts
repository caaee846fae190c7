import { constants, createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { DigestData } from './digest-file.js';
import type { KeyProblem, PublicKey } from './integrity-types.js';

/** The only algorithm CloudTrail signs digests with (metadata x-amz-meta-signature-algorithm). */
export const SIGNATURE_ALGORITHM = 'SHA256withRSA';

/** A usable public key, indexed by the MD5 of its DER bytes (CloudTrail's fingerprint). */
export interface RingKey {
  fingerprint: string;
  key: KeyObject;
  validityStart: number | null;
  validityEnd: number | null;
}

export interface KeyRing {
  keys: Map<string, RingKey>;
  problems: KeyProblem[];
  /** Fingerprints that a supplied key claimed but does not have. */
  falseClaims: Map<string, string>;
}

/** CloudTrail's public key fingerprint: hex MD5 of the DER-encoded PKCS#1 RSAPublicKey. */
export function keyFingerprint(der: Buffer): string {
  return createHash('md5').update(der).digest('hex');
}

function toMs(v: string | Date | null): number | null {
  if (v === null) return null;
  const ms = v instanceof Date ? v.getTime() : Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Loads the supplied keys. A key is filed under the fingerprint computed from its bytes, never the
 * one it claims, so a list that pairs a fingerprint with the wrong key cannot vouch for a digest.
 */
export function buildKeyRing(publicKeys: PublicKey[]): KeyRing {
  const ring: KeyRing = { keys: new Map(), problems: [], falseClaims: new Map() };
  for (const pk of publicKeys) {
    const claimed = pk.fingerprint.toLowerCase();
    const der = Buffer.from(pk.value, 'base64');
    let key: KeyObject;
    try {
      key = createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
    } catch (err) {
      ring.problems.push({ fingerprint: claimed, problem: `not a PKCS#1 RSA public key (${(err as Error).message})` });
      continue;
    }
    const actual = keyFingerprint(der);
    if (actual !== claimed) {
      ring.problems.push({ fingerprint: claimed, problem: `the key listed under ${claimed} has fingerprint ${actual} (MD5 of its DER bytes)` });
      ring.falseClaims.set(claimed, actual);
    }
    ring.keys.set(actual, { fingerprint: actual, key, validityStart: toMs(pk.validityStart), validityEnd: toMs(pk.validityEnd) });
  }
  return ring;
}

/**
 * The string CloudTrail signs (AWS CloudTrail User Guide, "Custom implementations of CloudTrail
 * log file integrity validation"; aws-cli validation.py): digestEndTime, bucket/key, hex SHA-256
 * of the uncompressed digest, and the previous digest's signature or the word null.
 */
export function stringToSign(d: DigestData, digestSha256: string): string {
  return `${d.digestEndTime}\n${d.digestS3Bucket}/${d.digestS3Object}\n${digestSha256}\n${d.previousDigestSignature ?? 'null'}`;
}

/** Checks an RSA PKCS#1 v1.5 SHA-256 signature given as hex; false for malformed hex. */
export function verifyHexSignature(key: KeyObject, data: string, signatureHex: string): boolean {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(signatureHex)) return false;
  return verify('sha256', Buffer.from(data, 'utf8'), { key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(signatureHex, 'hex'));
}

/** Returns why a digest's signature does not check out with the ring, or null if it does. */
export function checkDigestSignature(
  d: DigestData,
  digestSha256: string,
  signatureHex: string,
  metadataAlgorithm: string | null,
  ring: KeyRing,
): { problem: string | null; warnings: string[] } {
  const warnings: string[] = [];
  const algorithm = metadataAlgorithm ?? d.digestSignatureAlgorithm;
  if (algorithm !== null && algorithm !== SIGNATURE_ALGORITHM) {
    return { problem: `unsupported signature algorithm ${algorithm}`, warnings };
  }
  const fp = d.digestPublicKeyFingerprint.toLowerCase();
  const rk = ring.keys.get(fp);
  if (!rk) {
    const claimedBy = [...ring.falseClaims.entries()].find(([claimed]) => claimed === fp);
    const note = claimedBy ? ` (a supplied key claims it, but that key's fingerprint is ${claimedBy[1]})` : '';
    return { problem: `public key not found for fingerprint ${fp}${note}`, warnings };
  }
  if (!verifyHexSignature(rk.key, stringToSign(d, digestSha256), signatureHex)) {
    return { problem: 'signature verification failed', warnings };
  }
  const end = Date.parse(d.digestEndTime);
  if (!Number.isNaN(end) && ((rk.validityStart !== null && end < rk.validityStart) || (rk.validityEnd !== null && end > rk.validityEnd))) {
    warnings.push(`signed with key ${fp} outside its validity period`);
  }
  return { problem: null, warnings };
}

/**
 * Recognises files that are not CloudTrail logs, so the examiner is told what the file looks like
 * instead of being shown a parse error or an empty result.
 */

const BINARY_MAGIC: Array<[number[], string]> = [
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive'],
  [[0x42, 0x5a, 0x68], 'a bzip2-compressed file'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'a zstd-compressed file'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'an xz-compressed file'],
  [[0x50, 0x41, 0x52, 0x31], 'a Parquet file (CloudTrail Lake or Athena export?)'],
  [[0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], 'an SQLite database'],
];

const FLOW_LOG_HEADER = /^version\s+account-id\s+interface-id\b/;
// A default-format (v2) flow log line: version account eni-id srcaddr dstaddr ...
const FLOW_LOG_LINE = /^\d+\s+(\d{12}|unknown)\s+(eni-[0-9a-f]+|-)\s/;

/** Says what a file whose (decompressed) content starts with `head` is, if it is not JSON. */
export function describeNonJson(head: Buffer): string {
  for (const [magic, what] of BINARY_MAGIC) {
    if (magic.every((b, i) => head[i] === b)) return `it is ${what}`;
  }
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (text.length === 0) return 'it is empty';
  if (FLOW_LOG_HEADER.test(text) || FLOW_LOG_LINE.test(text)) {
    return 'it looks like a VPC flow log (space-separated fields)';
  }
  const first = text.charCodeAt(0);
  if (first >= 0x20 && first < 0x7f) {
    return `it is not JSON: it starts with "${text.slice(0, 40).replace(/\s+/g, ' ')}"`;
  }
  return `it is not JSON: it starts with bytes ${head.subarray(0, 8).toString('hex')}`;
}

/**
 * Looks at a property name of the first top-level object and, if it belongs to another kind of
 * file, says which. CloudTrail records never carry these names at their top level.
 */
export function describeTopKey(key: string): string | null {
  switch (key) {
    case 'digestS3Object':
    case 'digestPublicKeyFingerprint':
    case 'digestSignatureAlgorithm':
    case 'previousDigestSignature':
      return 'it is a CloudTrail digest file (used to validate log integrity); add it as a digest instead';
    case 'Events':
      return 'it looks like LookupEvents output (aws cloudtrail lookup-events), not a delivered log file';
    case 'QueryResultRows':
      return 'it looks like CloudTrail Lake query results';
    case 'logEvents':
    case 'logStreamName':
    case 'searchedLogStreams':
      return 'it looks like a CloudWatch Logs export';
    default:
      return null;
  }
}

const CLOUDTRAIL_KEYS = ['eventVersion', 'eventTime', 'eventSource', 'eventName', 'eventID', 'userIdentity'];

/**
 * For the first element of a file: if it has none of CloudTrail's fields the file is of another
 * kind altogether, and reading on would only skip every element. Returns why, or null.
 */
export function describeForeignElement(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  if (keys.some((k) => CLOUDTRAIL_KEYS.includes(k))) return null;
  for (const k of keys) {
    const known = describeTopKey(k);
    if (known) return known;
  }
  const shown = keys.slice(0, 8).join(', ') + (keys.length > 8 ? ', …' : '');
  if (keys.includes('srcaddr') || keys.includes('dstaddr') || keys.includes('interface-id')) {
    return `its records look like VPC flow log records (fields: ${shown}), not CloudTrail events`;
  }
  return `its first record has none of CloudTrail's fields (it has: ${shown || 'no fields'})`;
}

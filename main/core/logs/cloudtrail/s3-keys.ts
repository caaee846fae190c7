/**
 * The S3 key layouts CloudTrail delivers to (AWS CloudTrail User Guide, "Finding your CloudTrail
 * log files" and "CloudTrail digest file structure"):
 *   [prefix/]AWSLogs/[o-org/]<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz
 *   [prefix/]AWSLogs/[o-org/]<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/<account>_CloudTrail-Digest_<region>_<trail>_<home-region>_<YYYYMMDDTHHmmssZ>[_backfill].json.gz
 */

export interface LogKeyInfo {
  prefix: string;
  orgId: string | null;
  accountId: string;
  region: string;
  /** From the file name: when CloudTrail delivered it (UTC ISO, minute precision). */
  deliveredAt: string;
  insight: boolean;
}

export interface DigestKeyInfo {
  prefix: string;
  orgId: string | null;
  accountId: string;
  /** Region the digest was delivered from, and the trail's home region (they differ for multi-region trails). */
  region: string;
  trailName: string;
  homeRegion: string;
  /** From the file name: the digest's end time (UTC ISO). */
  endTime: string;
  backfill: boolean;
}

const LOG_KEY =
  /^(?:(.*)\/)?AWSLogs\/(?:(o-[a-z0-9]+)\/)?(\d{12})\/CloudTrail(-Insight)?\/([a-z0-9-]+)\/\d{4}\/\d{2}\/\d{2}\/\3_CloudTrail(?:-Insight)?_\5_(\d{8}T\d{4}Z)_[A-Za-z0-9]+\.json\.gz$/;

const DIGEST_KEY =
  /^(?:(.*)\/)?AWSLogs\/(?:(o-[a-z0-9]+)\/)?(\d{12})\/CloudTrail-Digest\/([a-z0-9-]+)\/\d{4}\/\d{2}\/\d{2}\/\3_CloudTrail-Digest_\4_(.+)_([a-z0-9-]+)_(\d{8}T\d{6}Z)(_backfill)?\.json\.gz$/;

/** `20231015T2205Z` or `20231015T230404Z` → ISO with milliseconds. */
export function compactToIso(compact: string): string {
  const y = compact.slice(0, 4);
  const mo = compact.slice(4, 6);
  const d = compact.slice(6, 8);
  const h = compact.slice(9, 11);
  const mi = compact.slice(11, 13);
  const s = compact.length >= 16 ? compact.slice(13, 15) : '00';
  return `${y}-${mo}-${d}T${h}:${mi}:${s}.000Z`;
}

/** Parses a delivered log file's key, or null if it does not follow CloudTrail's layout. */
export function parseLogKey(key: string): LogKeyInfo | null {
  const m = LOG_KEY.exec(key);
  if (!m) return null;
  return {
    prefix: m[1] ?? '',
    orgId: m[2] ?? null,
    accountId: m[3]!,
    insight: m[4] !== undefined,
    region: m[5]!,
    deliveredAt: compactToIso(m[6]!),
  };
}

/** Parses a digest file's key, or null if it does not follow CloudTrail's layout. */
export function parseDigestKey(key: string): DigestKeyInfo | null {
  const m = DIGEST_KEY.exec(key);
  if (!m) return null;
  return {
    prefix: m[1] ?? '',
    orgId: m[2] ?? null,
    accountId: m[3]!,
    region: m[4]!,
    trailName: m[5]!,
    homeRegion: m[6]!,
    endTime: compactToIso(m[7]!),
    backfill: m[8] !== undefined,
  };
}

/** True for the key of a backfill digest (delivered late for logs an hourly digest missed). */
export function isBackfillKey(key: string): boolean {
  return key.endsWith('_backfill.json.gz');
}

/** The hour (UTC ISO, on the hour) that an ISO time falls in. */
export function hourOf(iso: string): string {
  return `${iso.slice(0, 13)}:00:00.000Z`;
}

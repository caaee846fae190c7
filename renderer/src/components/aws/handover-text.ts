/**
 * Plain words for the snapshot hand-over dialogs (re-encrypted copy, share, lock): what each changes in
 * the account, line by line, and the checks done before the contract sees the input. Pure functions.
 */
import { awsShareChannels } from '../../../../shared/contract-aws-share.js';

/** A completed snapshot as the discovery table or a snapshot job knows it. */
export interface HandoverTarget {
  snapshotId: string;
  region: string;
  sizeGiB: number | null;
  encrypted: boolean;
  kmsKeyId: string | null;
  volumeId: string | null;
}

/** Which hand-over dialog to open. */
export type HandoverAction = 'copy' | 'share' | 'lock';

/** The button text of each action; the ellipsis says a dialog follows. */
export const HANDOVER_LABEL: Record<HandoverAction, string> = { copy: 'Copy re-encrypted…', share: 'Share…', lock: 'Lock…' };

// The contract's own field schemas, so the dialogs accept exactly what main will.
const copyShape = awsShareChannels['aws.snapshotCopy'].input.shape;
const shareShape = awsShareChannels['aws.snapshotShare'].input.shape;

/** True when the text is a KMS key id, key ARN, alias name or alias ARN that CopySnapshot takes. */
export function isKmsKey(text: string): boolean {
  return copyShape.kmsKeyId.safeParse(text.trim()).success;
}

/** True for a 12-digit AWS account id. */
export function isAccountId(text: string): boolean {
  return shareShape.accountId.safeParse(text.trim()).success;
}

/** True when the KMS key is the AWS managed EBS key by its alias (the only form the renderer can recognise without KMS). */
export function isDefaultEbsAlias(text: string): boolean {
  return /(^|:)alias\/aws\/ebs$/.test(text.trim());
}

/** The encryption of a snapshot in a few words. */
export function encryptionWords(t: Pick<HandoverTarget, 'encrypted' | 'kmsKeyId'>): string {
  if (!t.encrypted) return 'not encrypted';
  return t.kmsKeyId ? `encrypted with KMS key ${t.kmsKeyId}` : 'encrypted (key not named by AWS)';
}

/** What a re-encrypted copy will create, one line per fact. */
export function copyChanges(t: HandoverTarget, choice: { kmsKeyId: string; region: string; description: string }, account: string, caseNumber: string): string[] {
  const where = choice.region === t.region ? `region ${t.region} (same region)` : `region ${choice.region} (copied across from ${t.region})`;
  return [
    `Create a new EBS snapshot in account ${account}, ${where}: a copy of ${t.snapshotId} (${t.sizeGiB ?? '?'} GiB, ${encryptionWords(t)}) (CopySnapshot).`,
    `Encrypt the copy with KMS key ${choice.kmsKeyId.trim()}.`,
    `Tag it CasewardCase=${caseNumber}, CasewardEvidence=true and CasewardSourceSnapshot=${t.snapshotId}.`,
    `Description: ${choice.description.trim() || `Caseward case ${caseNumber}: copy of ${t.snapshotId} (${t.region})`}.`,
    `The copy is kept in the account: Caseward never deletes it. ${t.snapshotId} itself is not changed.`,
  ];
}

/** What sharing will change. */
export function shareChanges(t: HandoverTarget, accountId: string, ownAccount: string): string[] {
  const lines = [
    `Add account ${accountId.trim()} to the create-volume permissions of ${t.snapshotId} in account ${ownAccount}, region ${t.region} (ModifySnapshotAttribute).`,
    `Account ${accountId.trim()} can then create volumes from the snapshot and copy it: it can read all of its data. The snapshot itself is not changed.`,
  ];
  if (t.encrypted) {
    lines.push(
      `The snapshot is ${encryptionWords(t)}: the other account can use it only if that key's policy (or a grant) allows it kms:DescribeKey, kms:CreateGrant, kms:Decrypt, kms:ReEncrypt* and kms:GenerateDataKey*. Caseward does not change key policies.`,
    );
  }
  return lines;
}

/** The lock the examiner chose: a duration in days or an end date, and for compliance mode an optional cool-off. */
export interface LockChoice {
  mode: 'governance' | 'compliance';
  period: 'days' | 'until';
  days: string;
  until: string;
  coolOffHours: string;
}

const DAY_MS = 86_400_000;

/** A whole number in [min, max], or null. */
export function intIn(text: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= min && n <= max ? n : null;
}

/** "2026-12-31" (midnight UTC) or a full ISO time with Z, as the ISO string with Z; null when not a future time. */
export function untilIso(text: string, now: number): string | null {
  const s = text.trim();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00.000Z` : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/.test(s) ? s : null;
  if (!iso) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t) || t <= now) return null;
  return new Date(t).toISOString();
}

/** The lock fields of aws.snapshotLock for the choice, or a sentence saying what is missing. */
export function lockInput(c: LockChoice, now: number): { ok: true; value: { mode: LockChoice['mode']; durationDays?: number; expirationDate?: string; coolOffHours?: number } } | { ok: false; reason: string } {
  const coolOff = c.mode === 'compliance' && c.coolOffHours.trim() ? intIn(c.coolOffHours, 1, 72) : undefined;
  if (coolOff === null) return { ok: false, reason: 'The cool-off period is a whole number of hours from 1 to 72 (or empty for none).' };
  const extra = coolOff === undefined ? {} : { coolOffHours: coolOff };
  if (c.period === 'days') {
    const days = intIn(c.days, 1, 36500);
    if (days === null) return { ok: false, reason: 'The duration is a whole number of days from 1 to 36500.' };
    return { ok: true, value: { mode: c.mode, durationDays: days, ...extra } };
  }
  const until = untilIso(c.until, now);
  if (!until) return { ok: false, reason: 'The end date is a future date (YYYY-MM-DD, midnight UTC) or time (YYYY-MM-DDThh:mmZ).' };
  if (Date.parse(until) - now > 36500 * DAY_MS) return { ok: false, reason: 'A lock can last at most 36500 days.' };
  return { ok: true, value: { mode: c.mode, expirationDate: until, ...extra } };
}

/** "2026-11-29 00:06:53 UTC" from an ISO time. */
export function utcWords(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** What the lock will change, for the confirmation step. */
export function lockChanges(t: HandoverTarget, v: { mode: LockChoice['mode']; durationDays?: number; expirationDate?: string; coolOffHours?: number }, account: string, now: number): string[] {
  const end = utcWords(v.expirationDate ?? new Date(now + (v.durationDays ?? 0) * DAY_MS).toISOString());
  const period = v.durationDays !== undefined ? `for ${v.durationDays} day${v.durationDays === 1 ? '' : 's'} (until about ${end})` : `until ${end}`;
  const lines = [`Lock ${t.snapshotId} in account ${account}, region ${t.region}, in ${v.mode} mode ${period} (LockSnapshot).`, 'Until the lock expires nobody can delete the snapshot.'];
  if (v.mode === 'governance') {
    lines.push('Governance mode: a user with ec2:UnlockSnapshot can still remove the lock or shorten it. Caseward never unlocks.');
  } else {
    lines.push(
      v.coolOffHours
        ? `Compliance mode with a ${v.coolOffHours}-hour cool-off: during the cool-off a user with permission can still remove or change the lock; after it, nobody can, not even the account's root user.`
        : "Compliance mode without a cool-off: from now on nobody can remove or shorten the lock, not even the account's root user.",
    );
  }
  return lines;
}

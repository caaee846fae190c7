// The snapshot hand-over dialogs' words and checks: the confirmation names exactly what changes, lock input maps to the contract.
import { describe, expect, it } from 'vitest';
import { awsShareChannels } from '../../shared/contract-aws-share.js';
import {
  copyChanges,
  isAccountId,
  isDefaultEbsAlias,
  isKmsKey,
  lockChanges,
  lockInput,
  shareChanges,
  untilIso,
  type HandoverTarget,
  type LockChoice,
} from '../../renderer/src/components/aws/handover-text.js';

const now = Date.parse('2026-11-28T00:00:00.000Z');
const cmk = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const target: HandoverTarget = { snapshotId: 'snap-0a1b2c3d4e5f60031', region: 'us-east-1', sizeGiB: 16, encrypted: true, kmsKeyId: cmk, volumeId: 'vol-0a1b2c3d4e5f60011' };
const choice = (c: Partial<LockChoice>): LockChoice => ({ mode: 'governance', period: 'days', days: '30', until: '', coolOffHours: '', ...c });

describe('field checks follow the contract', () => {
  it('accepts KMS key ids, ARNs and aliases; flags the aws/ebs alias; account ids are 12 digits', () => {
    for (const k of [cmk, '1234abcd-12ab-34cd-56ef-1234567890ab', 'alias/forensic-evidence', 'arn:aws:kms:us-east-1:444455556666:alias/forensic']) expect(isKmsKey(k)).toBe(true);
    for (const k of ['', 'forensic', 'key/123', 'arn:aws:s3:::bucket']) expect(isKmsKey(k)).toBe(false);
    expect(isDefaultEbsAlias('alias/aws/ebs')).toBe(true);
    expect(isDefaultEbsAlias('arn:aws:kms:us-east-1:111122223333:alias/aws/ebs')).toBe(true);
    expect(isDefaultEbsAlias('alias/aws/ebs-copy')).toBe(false);
    expect(isAccountId('444455556666')).toBe(true);
    expect(isAccountId(' 444455556666 ')).toBe(true);
    expect(isAccountId('44445555666')).toBe(false);
  });
});

describe('confirmation lines', () => {
  it('copy names account, regions, key, tags and that the copy is kept', () => {
    const lines = copyChanges(target, { kmsKeyId: ' alias/forensic ', region: 'eu-west-1', description: '' }, '111122223333', 'CW-1').join('\n');
    expect(lines).toContain('account 111122223333, region eu-west-1 (copied across from us-east-1): a copy of snap-0a1b2c3d4e5f60031 (16 GiB');
    expect(lines).toContain('Encrypt the copy with KMS key alias/forensic.');
    expect(lines).toContain('CasewardCase=CW-1, CasewardEvidence=true and CasewardSourceSnapshot=snap-0a1b2c3d4e5f60031');
    expect(lines).toContain('Description: Caseward case CW-1: copy of snap-0a1b2c3d4e5f60031 (us-east-1).');
    expect(lines).toContain('never deletes it');
    expect(copyChanges(target, { kmsKeyId: cmk, region: 'us-east-1', description: 'mine' }, '1', 'CW-1').join('\n')).toContain('region us-east-1 (same region)');
  });

  it('share names the account and the KMS grants only for encrypted snapshots', () => {
    const enc = shareChanges(target, '444455556666', '111122223333').join('\n');
    expect(enc).toContain('Add account 444455556666 to the create-volume permissions of snap-0a1b2c3d4e5f60031 in account 111122223333');
    expect(enc).toContain('kms:CreateGrant');
    expect(shareChanges({ ...target, encrypted: false, kmsKeyId: null }, '444455556666', '111122223333').join('\n')).not.toContain('kms:');
  });

  it('lock says governance can be removed and compliance cannot, with or without cool-off', () => {
    expect(lockChanges(target, { mode: 'governance', durationDays: 1 }, '111122223333', now).join('\n')).toMatch(/governance mode for 1 day \(until about 2026-11-29 00:00:00 UTC\)[\s\S]*ec2:UnlockSnapshot can still remove/);
    expect(lockChanges(target, { mode: 'compliance', expirationDate: '2027-01-01T00:00:00.000Z' }, '1', now).join('\n')).toMatch(/until 2027-01-01 00:00:00 UTC[\s\S]*nobody can remove or shorten/);
    expect(lockChanges(target, { mode: 'compliance', durationDays: 7, coolOffHours: 24 }, '1', now).join('\n')).toContain('24-hour cool-off');
  });
});

describe('lock input', () => {
  const schema = awsShareChannels['aws.snapshotLock'].input;
  const base = { caseId: 'c1', connectionId: 'k1', region: 'us-east-1', snapshotId: target.snapshotId, confirm: true as const };

  it('maps days, dates and cool-off to input the contract accepts', () => {
    const days = lockInput(choice({ days: '1' }), now);
    expect(days).toEqual({ ok: true, value: { mode: 'governance', durationDays: 1 } });
    const until = lockInput(choice({ mode: 'compliance', period: 'until', until: '2027-06-30', coolOffHours: '12' }), now);
    expect(until).toEqual({ ok: true, value: { mode: 'compliance', expirationDate: '2027-06-30T00:00:00.000Z', coolOffHours: 12 } });
    for (const r of [days, until]) {
      if (!r.ok) throw new Error(r.reason);
      expect(schema.safeParse({ ...base, ...r.value, typedConfirmation: target.snapshotId }).success).toBe(true);
    }
  });

  it('ignores a cool-off typed for governance and refuses bad numbers and past dates', () => {
    expect(lockInput(choice({ coolOffHours: '5' }), now)).toEqual({ ok: true, value: { mode: 'governance', durationDays: 30 } });
    expect(lockInput(choice({ days: '0' }), now).ok).toBe(false);
    expect(lockInput(choice({ days: '1.5' }), now).ok).toBe(false);
    expect(lockInput(choice({ days: '36501' }), now).ok).toBe(false);
    expect(lockInput(choice({ mode: 'compliance', coolOffHours: '73' }), now).ok).toBe(false);
    expect(lockInput(choice({ period: 'until', until: '2026-11-01' }), now).ok).toBe(false);
    expect(lockInput(choice({ period: 'until', until: '2126-11-28T00:00Z' }), now).ok).toBe(false);
    expect(untilIso('2027-01-02T03:04Z', now)).toBe('2027-01-02T03:04:00.000Z');
    expect(untilIso('2027-01-02T03:04', now)).toBeNull();
    expect(untilIso('tomorrow', now)).toBeNull();
  });
});

/**
 * aws.snapshotShare: lets a forensic account create volumes from (and copy) a snapshot, by adding
 * it to the snapshot's createVolumePermission. AWS refuses snapshots under the AWS managed key
 * aws/ebs (OperationNotPermitted); Caseward explains why and offers the re-encrypted copy.
 */
import { DescribeSnapshotAttributeCommand, ModifySnapshotAttributeCommand, type ModifySnapshotAttributeCommandOutput } from '@aws-sdk/client-ec2';
import type { AwsShareResult } from '../../../../shared/contract-aws-share.js';
import { AppError } from '../../../../shared/errors.js';
import type { Workstation } from '../../workstation/workstation.js';
import { mapAwsError } from '../connect/aws-errors.js';
import type { Ec2Command } from '../preserve/guarded-call.js';
import { awsFailure, describeSnapshot, preflight, recordSnapshotEvent, withSnapshotCtx, type SnapshotCtx } from './snapshot-call.js';

/** What to share, with whom. */
export interface ShareRequest {
  caseId: string;
  connectionId: string;
  region: string;
  snapshotId: string;
  accountId: string;
}

const API = 'ec2:ModifySnapshotAttribute';

/** The KMS permissions the forensic account needs on the key of an encrypted shared snapshot. */
export const KMS_GRANTS_NEEDED = ['kms:DescribeKey', 'kms:CreateGrant', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];

function kmsNote(kmsKeyId: string | null, accountId: string): string {
  return (
    `The snapshot is encrypted with KMS key ${kmsKeyId ?? '(not named by AWS)'}: account ${accountId} can use the share only if that key's policy ` +
    `(or a grant) allows it ${KMS_GRANTS_NEEDED.join(', ')}. Caseward does not change key policies; ask the key's administrator, ` +
    'or make a copy re-encrypted with a key the forensic account may use (aws.snapshotCopy) and share that.'
  );
}

function defaultKeyExplanation(snapshotId: string): string {
  return (
    `Snapshots encrypted with the AWS managed key aws/ebs cannot be shared with another account: that key's policy belongs to AWS and cannot ` +
    `grant another account. Nothing was changed. Make a copy of ${snapshotId} re-encrypted with a customer managed KMS key whose policy grants ` +
    'the forensic account (aws.snapshotCopy, CLI aws-snapshot-copy --kms-key …), then share the copy.'
  );
}

async function permissions(c: SnapshotCtx, snapshotId: string): Promise<{ ids: string[]; requestId: string | null }> {
  try {
    const out = await c.ec2.send(new DescribeSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: 'createVolumePermission' }));
    const ids = (out.CreateVolumePermissions ?? []).map((p) => p.UserId ?? p.Group ?? '').filter(Boolean).sort();
    return { ids, requestId: out.$metadata.requestId ?? null };
  } catch (err) {
    throw mapAwsError(err, `EC2 DescribeSnapshotAttribute ${snapshotId} in ${c.region}`, { endpoint: c.conn.info.endpoint });
  }
}

/** DryRuns, shares and records the share; refusals and denials change nothing and say why. */
export async function shareSnapshot(ws: Workstation, req: ShareRequest): Promise<AwsShareResult> {
  const result = await withSnapshotCtx(ws, req, async (c): Promise<AwsShareResult> => {
    if (req.accountId === c.conn.info.account) {
      throw new AppError('INVALID_INPUT', `Account ${req.accountId} is the snapshot's own account (this connection's); share with the forensic account instead`);
    }
    const { snap } = await describeSnapshot(c, req.snapshotId);
    if (snap.OwnerId && snap.OwnerId !== c.conn.info.account) {
      throw new AppError('INVALID_INPUT', `Snapshot ${req.snapshotId} belongs to account ${snap.OwnerId}; only its owner can share it (this connection is ${c.conn.info.account})`);
    }
    const encrypted = snap.Encrypted ?? false;
    const kmsKeyId = snap.KmsKeyId ?? null;
    const base = { snapshotId: req.snapshotId, region: req.region, accountId: req.accountId, encrypted, kmsKeyId };
    const before = await permissions(c, req.snapshotId);
    if (before.ids.includes(req.accountId)) {
      return { ...base, outcome: 'already', message: `${req.snapshotId} is already shared with ${req.accountId}; nothing was changed.${encrypted ? ` ${kmsNote(kmsKeyId, req.accountId)}` : ''}`, requestId: null, permissions: { before: before.ids, after: before.ids } };
    }
    const make: Ec2Command = (DryRun) =>
      new ModifySnapshotAttributeCommand({ DryRun, SnapshotId: req.snapshotId, Attribute: 'createVolumePermission', CreateVolumePermission: { Add: [{ UserId: req.accountId }] } });
    const denied = await preflight(c, 'share', API, req.snapshotId, make);
    if (denied) return { ...base, outcome: 'denied', ...denied, requestId: null, permissions: { before: before.ids, after: before.ids } };
    let out: ModifySnapshotAttributeCommandOutput;
    try {
      out = await c.ec2.send(make(false) as ModifySnapshotAttributeCommand);
    } catch (err) {
      const f = awsFailure(err);
      if (f.code !== 'OperationNotPermitted') throw mapAwsError(err, `${API} ${req.snapshotId}`, { endpoint: c.conn.info.endpoint });
      // AWS's refusal is a fact of the case too: an attempted change that did not happen.
      recordSnapshotEvent(c, 'aws.snapshot-share-refused', req.snapshotId, { api: API, requestId: f.requestId, errorCode: f.code, awsMessage: f.message, accountId: req.accountId, encrypted, kmsKeyId });
      const defaultKey = /default key/i.test(f.message);
      return {
        ...base,
        outcome: 'refused',
        errorCode: f.code,
        message: `AWS refused to share ${req.snapshotId} (${f.code}: ${f.message}). ${defaultKey ? defaultKeyExplanation(req.snapshotId) : 'Nothing was changed.'}`,
        requestId: f.requestId,
        permissions: { before: before.ids, after: before.ids },
        offer: { channel: 'aws.snapshotCopy', sourceSnapshotId: req.snapshotId, sourceRegion: req.region, reason: defaultKey ? 'encrypted with the AWS managed key aws/ebs' : f.message },
      };
    }
    const requestId = out.$metadata.requestId ?? null;
    const after = await permissions(c, req.snapshotId);
    recordSnapshotEvent(c, 'aws.snapshot-shared', req.snapshotId, {
      api: API,
      requestId,
      accountId: req.accountId,
      encrypted,
      kmsKeyId,
      before: { createVolumePermission: before.ids },
      after: { createVolumePermission: after.ids },
      attributeRequestId: after.requestId,
    });
    const message = `${req.snapshotId} is shared with ${req.accountId}.${encrypted ? ` ${kmsNote(kmsKeyId, req.accountId)}` : ' It is unencrypted: that account can read all of its data.'}`;
    return { ...base, outcome: 'shared', message, requestId, permissions: { before: before.ids, after: after.ids } };
  });
  ws.emit({ kind: 'case.changed', caseId: req.caseId, what: 'custody' });
  return result;
}

/** Image a completed EBS snapshot into the case through the EBS direct APIs (read-only in AWS). */
import { useState } from 'react';
import type { AwsConnection } from '../../../../shared/contract-aws.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { useSubmit } from '../../lib/use-submit.js';
import { Dialog } from '../Dialog.js';
import { TextField } from '../Field.js';
import { FormFooter } from '../FormFooter.js';

/** The snapshot to image, as the discovery table or a snapshot job knows it. */
export interface ImageTarget {
  snapshotId: string;
  region: string;
  sizeGiB: number | null;
  encrypted: boolean;
  volumeId: string | null;
}

interface Props {
  caseId: string;
  connection: AwsConnection;
  target: ImageTarget;
  onClose: () => void;
}

/** The dialog: concurrency (default 64), what will be written, then the job starts. */
export function ImageDialog({ caseId, connection, target, onClose }: Props) {
  const { api } = useBridge();
  const [concurrency, setConcurrency] = useState('64');
  const n = Number(concurrency);
  const valid = Number.isInteger(n) && n >= 1 && n <= 256;
  const { submit, busy, error } = useSubmit(async () => {
    await unwrap(api.aws.image({ caseId, connectionId: connection.connectionId, region: target.region, snapshotId: target.snapshotId, concurrency: n }));
    onClose();
  });

  return (
    <Dialog title={`Image ${target.snapshotId}`} onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <p className="small">
          Downloads the snapshot{target.volumeId ? ` of ${target.volumeId}` : ''} ({target.sizeGiB ?? '?'} GiB{target.encrypted ? ', encrypted' : ''}) block by
          block into the case as a raw image, <code>{target.snapshotId}.raw</code>. Every block's checksum is verified; blocks AWS does not list
          stay sparse zeros. MD5, SHA-1 and SHA-256 are computed as it is written. Nothing changes in AWS.
        </p>
        <p className="small">
          Needs <code>ebs:ListSnapshotBlocks</code> and <code>ebs:GetSnapshotBlock</code>
          {target.encrypted ? <> and <code>kms:Decrypt</code> on the snapshot's key</> : null}; these have no DryRun and are checked when the job
          starts. The case folder needs room for up to {target.sizeGiB ?? '?'} GiB.
        </p>
        <TextField
          label="Concurrent block requests"
          type="number"
          min={1}
          max={256}
          value={concurrency}
          onChange={(e) => setConcurrency(e.target.value)}
          hint="Default 64. Caseward lowers it by itself when AWS throttles."
        />
        <FormFooter error={error} busy={busy} label="Start imaging" busyLabel="Starting…" disabled={!valid} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

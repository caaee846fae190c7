/** Capture an instance's context (console output first, then screenshot and configuration), each part a hashed artifact. */
import { useState } from 'react';
import type { AwsConnection, AwsInstanceDetail } from '../../../../shared/contract-aws.js';
import { awsContextParts, type AwsContextPart } from '../../../../shared/contract-aws-context.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { useSubmit } from '../../lib/use-submit.js';
import { Dialog } from '../Dialog.js';
import { FormFooter } from '../FormFooter.js';

const PART_LABEL: Record<AwsContextPart, string> = {
  'console-output': 'Console output (AWS keeps only the last 64 KiB: captured first)',
  screenshot: 'Console screenshot (JPEG)',
  describe: 'DescribeInstances record',
  attributes: 'Instance attributes',
  'user-data': 'User data (decoded)',
  volumes: 'Attached volumes',
  'security-groups': 'Security groups and rules',
  'network-interfaces': 'Network interfaces',
  iam: 'IAM instance profile and role policies',
};

interface Props {
  caseId: string;
  connection: AwsConnection;
  detail: AwsInstanceDetail;
  onClose: () => void;
}

/** Read-only in AWS; queues the aws.context job. */
export function ContextDialog({ caseId, connection, detail, onClose }: Props) {
  const { api } = useBridge();
  const [chosen, setChosen] = useState<Set<AwsContextPart>>(() => new Set(awsContextParts));
  const { submit, busy, error } = useSubmit(async () => {
    const parts = awsContextParts.filter((p) => chosen.has(p));
    await unwrap(
      api.aws.captureContext({ caseId, connectionId: connection.connectionId, region: detail.region, instanceId: detail.instanceId, ...(parts.length === awsContextParts.length ? {} : { parts }) }),
    );
    onClose();
  });
  const toggle = (p: AwsContextPart): void =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (next.has(p)) next.delete(p);
      else next.add(p);
      return next;
    });

  return (
    <Dialog title="Capture instance context" onClose={onClose} wide>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <p className="small">
          Each part is saved as its own artifact, hashed and recorded in custody. Only reads: nothing changes in AWS. A part AWS refuses (IAM often)
          is reported and the others continue.
        </p>
        <fieldset className="choice-group">
          <legend>Parts of {detail.instanceId}</legend>
          {awsContextParts.map((p) => (
            <label key={p} className="choice">
              <input type="checkbox" checked={chosen.has(p)} onChange={() => toggle(p)} />
              <span>{PART_LABEL[p]}</span>
            </label>
          ))}
        </fieldset>
        <FormFooter error={error} busy={busy} label={`Capture ${chosen.size} part${chosen.size === 1 ? '' : 's'}`} busyLabel="Queuing…" disabled={chosen.size === 0} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

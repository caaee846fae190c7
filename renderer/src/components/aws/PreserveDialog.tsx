/** Preserve an instance: choose actions, confirm the exact changes, then see each action's result with request ids. */
import { useState } from 'react';
import type { AwsConnection, AwsInstanceDetail, AwsPreflight } from '../../../../shared/contract-aws.js';
import type { AwsPreserveResult } from '../../../../shared/contract-aws-preserve.js';
import type { CaseSummary } from '../../../../shared/types.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { useSubmit } from '../../lib/use-submit.js';
import { Dialog } from '../Dialog.js';
import { CloseFooter, FormFooter } from '../FormFooter.js';
import { preserveChanges, PRESERVE_CHOICES, type PreserveChoice } from './aws-text.js';
import { CallsResult } from './CallsResult.js';
import { IdText } from '../IdText.js';

const PREFLIGHT_OF = { tag: 'tag', terminationProtection: 'protect', deleteOnTerminationFalse: 'protect' } as const;

interface Props {
  summary: CaseSummary;
  connection: AwsConnection;
  detail: AwsInstanceDetail;
  preflight: AwsPreflight | null;
  onClose: () => void;
  onDone: () => void;
}

/** The dialog; nothing is sent to AWS before the examiner confirms the list of changes. */
export function PreserveDialog({ summary, connection, detail, preflight, onClose, onDone }: Props) {
  const { api } = useBridge();
  const [choice, setChoice] = useState<PreserveChoice>({ tag: true, terminationProtection: true, deleteOnTerminationFalse: true, isolate: { kind: 'none' } });
  const [step, setStep] = useState<'choose' | 'confirm'>('choose');
  const [result, setResult] = useState<AwsPreserveResult | null>(null);
  const denied = (a: string) => preflight?.results.find((r) => r.action === a)?.outcome === 'denied';
  const changes = preserveChanges(choice, detail, summary.number);
  const badGroup = choice.isolate.kind === 'existing' && !/^sg-[0-9a-f]{8,17}$/.test(choice.isolate.groupId);

  const apply = useSubmit(
    async () => {
      const isolate = choice.isolate.kind === 'create' ? { create: true as const } : choice.isolate.kind === 'existing' ? { securityGroupId: choice.isolate.groupId } : undefined;
      const r = await unwrap(
        api.aws.preserve({
          caseId: summary.id,
          connectionId: connection.connectionId,
          region: detail.region,
          instanceId: detail.instanceId,
          actions: { tag: choice.tag, terminationProtection: choice.terminationProtection, deleteOnTerminationFalse: choice.deleteOnTerminationFalse, ...(isolate ? { isolate } : {}) },
          confirm: true,
        }),
      );
      setResult(r);
      onDone();
    },
    { releaseOnSuccess: true },
  );

  if (result) {
    return (
      <Dialog title="Preservation result" onClose={onClose} wide>
        <CallsResult results={result.results.map((r) => ({ name: r.action, ...r }))} />
        <CloseFooter onClose={onClose} />
      </Dialog>
    );
  }

  return (
    <Dialog title={step === 'choose' ? 'Preserve the instance' : 'Confirm changes to the AWS account'} onClose={onClose} wide>
      {step === 'choose' ? (
        <form className="form" onSubmit={(e) => (e.preventDefault(), setStep('confirm'))}>
          <fieldset className="choice-group">
            <legend>Actions on {detail.instanceId}</legend>
            {PRESERVE_CHOICES.map((c) => (
              <label key={c.action} className="choice">
                <input type="checkbox" checked={choice[c.action]} onChange={(e) => setChoice({ ...choice, [c.action]: e.target.checked })} />
                <span>
                  {c.label}
                  <span className="hint">{c.explain}</span>
                  {denied(PREFLIGHT_OF[c.action]) && <span className="error-text small">The permission check said this will be denied.</span>}
                </span>
              </label>
            ))}
          </fieldset>
          <fieldset className="choice-group">
            <legend>Isolate (containment)</legend>
            <p className="hint">
              Moves the instance into a security group that lets no traffic in or out. The groups it had are recorded in custody, so Restore
              groups can undo it. Instances with more than one network interface are not isolated.
            </p>
            <label className="choice">
              <input type="radio" name="isolate" checked={choice.isolate.kind === 'none'} onChange={() => setChoice({ ...choice, isolate: { kind: 'none' } })} />
              <span>Do not isolate</span>
            </label>
            <label className="choice">
              <input type="radio" name="isolate" checked={choice.isolate.kind === 'create'} onChange={() => setChoice({ ...choice, isolate: { kind: 'create' } })} />
              <span>Create an isolation group with no rules (caseward-isolation-{summary.number})</span>
            </label>
            <label className="choice">
              <input
                type="radio"
                name="isolate"
                checked={choice.isolate.kind === 'existing'}
                onChange={() => setChoice({ ...choice, isolate: { kind: 'existing', groupId: '' } })}
              />
              <span>Use an existing group</span>
            </label>
            {choice.isolate.kind === 'existing' && (
              <input
                aria-label="Isolation security group id"
                placeholder="sg-…"
                value={choice.isolate.groupId}
                onChange={(e) => setChoice({ ...choice, isolate: { kind: 'existing', groupId: e.target.value.trim() } })}
              />
            )}
            {choice.isolate.kind !== 'none' && denied('isolate') && <p className="error-text small">The permission check said isolation will be denied.</p>}
          </fieldset>
          <FormFooter error={null} busy={false} label="Review changes…" busyLabel="" disabled={changes.length === 0 || badGroup} onCancel={onClose} />
        </form>
      ) : (
        <form className="form" onSubmit={(e) => void apply.submit(e)}>
          <p>
            These changes will be made in account <span className="mono">{connection.account}</span>, region {detail.region}, as{' '}
            <span className="mono">{connection.arn}</span>. Each call is tried with DryRun first and recorded in the custody log with its AWS request id.
          </p>
          <ol className="aws-changes">
            {changes.map((c) => (
              <li key={c}>
                <IdText text={c} />
              </li>
            ))}
          </ol>
          <FormFooter error={apply.error} busy={apply.busy} label={`Apply ${changes.length} change${changes.length === 1 ? '' : 's'}`} busyLabel="Applying…" onCancel={() => setStep('choose')} />
        </form>
      )}
    </Dialog>
  );
}

/**
 * Lock a completed snapshot against deletion (LockSnapshot): governance or compliance explained, a duration or end date,
 * the cool-off, then a confirmation (a compliance lock also needs the snapshot id typed) and AWS's answer with the request id.
 */
import { useState } from 'react';
import type { AwsConnection } from '../../../../shared/contract-aws.js';
import type { AwsLockResult } from '../../../../shared/contract-aws-share.js';
import type { CaseSummary } from '../../../../shared/types.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { formatTimeWithZone } from '../../lib/format.js';
import { useSubmit } from '../../lib/use-submit.js';
import { Dialog } from '../Dialog.js';
import { TextField } from '../Field.js';
import { CloseFooter, FormFooter } from '../FormFooter.js';
import { outcomeClass } from './aws-text.js';
import { lockChanges, lockInput, type HandoverTarget, type LockChoice } from './handover-text.js';
import { IdText } from '../IdText.js';

interface Props {
  summary: CaseSummary;
  connection: AwsConnection;
  target: HandoverTarget;
  onClose: () => void;
}

/** The dialog; nothing is sent before the examiner confirms, and a compliance lock not before the id is typed. */
export function LockSnapshotDialog({ summary, connection, target, onClose }: Props) {
  const { api } = useBridge();
  const [choice, setChoice] = useState<LockChoice>({ mode: 'governance', period: 'days', days: '30', until: '', coolOffHours: '' });
  const [step, setStep] = useState<'choose' | 'confirm'>('choose');
  const [typed, setTyped] = useState('');
  const [now, setNow] = useState(() => Date.now());
  const [result, setResult] = useState<AwsLockResult | null>(null);
  const parsed = lockInput(choice, now);
  const compliance = choice.mode === 'compliance';
  const typedOk = !compliance || typed.trim() === target.snapshotId;
  const set = (patch: Partial<LockChoice>): void => setChoice({ ...choice, ...patch });

  const lock = useSubmit(
    async () => {
      if (!parsed.ok) return;
      setResult(
        await unwrap(
          api.aws.snapshotLock({
            caseId: summary.id,
            connectionId: connection.connectionId,
            region: target.region,
            snapshotId: target.snapshotId,
            ...parsed.value,
            ...(compliance ? { typedConfirmation: typed.trim() } : {}),
            confirm: true,
          }),
        ),
      );
    },
    { releaseOnSuccess: true },
  );

  if (result) {
    const l = result.lock;
    return (
      <Dialog title={result.outcome === 'locked' ? 'Snapshot locked' : 'Lock denied'} onClose={onClose} wide>
        <div className="form">
          <p>
            <span className={outcomeClass(result.outcome === 'locked' ? 'done' : 'denied')}>{result.outcome}</span> <span data-testid="aws-lock-message">{result.message}</span>
          </p>
          <p className="small">
            LockSnapshot · request id <span className="mono" data-testid="aws-request-id">{result.requestId ?? '—'}</span>
          </p>
          {l && (
            <dl className="kv compact">
              <dt>Mode / state</dt>
              <dd>
                {l.lockMode} ({l.lockState ?? '?'})
              </dd>
              <dt>Expires</dt>
              <dd>{formatTimeWithZone(l.lockExpiresOn, summary.timeZone)}</dd>
              {l.coolOffPeriodExpiresOn && (
                <>
                  <dt>Cool-off ends</dt>
                  <dd>{formatTimeWithZone(l.coolOffPeriodExpiresOn, summary.timeZone)}</dd>
                </>
              )}
            </dl>
          )}
          <CloseFooter onClose={onClose} />
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={step === 'choose' ? `Lock ${target.snapshotId}` : 'Confirm the lock'} onClose={onClose} wide>
      {step === 'choose' ? (
        <form className="form" onSubmit={(e) => (e.preventDefault(), setNow(Date.now()), setStep('confirm'))}>
          <p className="small">
            A snapshot lock stops anyone from deleting <span className="mono">{target.snapshotId}</span> until the lock expires, so the evidence
            outlives a clean-up by the attacker or a colleague. Needs <code>ec2:LockSnapshot</code> (checked by DryRun first). Caseward never unlocks.
          </p>
          <fieldset className="choice-group">
            <legend>Mode</legend>
            <label className="choice">
              <input type="radio" name="lock-mode" checked={!compliance} onChange={() => set({ mode: 'governance', coolOffHours: '' })} />
              <span>
                Governance
                <span className="hint">A user with ec2:UnlockSnapshot can remove the lock or shorten it. Suits a case that is still under way.</span>
              </span>
            </label>
            <label className="choice">
              <input type="radio" name="lock-mode" checked={compliance} onChange={() => set({ mode: 'compliance' })} />
              <span>
                Compliance
                <span className="hint">
                  Nobody can remove or shorten the lock, not even the account's root user, and the snapshot cannot be deleted until it expires;
                  it can only be extended. This cannot be undone. You will type the snapshot id to confirm.
                </span>
              </span>
            </label>
          </fieldset>
          <fieldset className="choice-group">
            <legend>How long</legend>
            <label className="choice">
              <input type="radio" name="lock-period" checked={choice.period === 'days'} onChange={() => set({ period: 'days' })} />
              <span>For a number of days</span>
            </label>
            {choice.period === 'days' && <TextField label="Days (1–36500)" type="number" min={1} max={36500} value={choice.days} onChange={(e) => set({ days: e.target.value })} />}
            <label className="choice">
              <input type="radio" name="lock-period" checked={choice.period === 'until'} onChange={() => set({ period: 'until' })} />
              <span>Until a date</span>
            </label>
            {choice.period === 'until' && (
              <TextField label="Until (UTC)" value={choice.until} onChange={(e) => set({ until: e.target.value })} placeholder="2027-06-30 or 2027-06-30T12:00Z" hint="A date means midnight UTC at its start." />
            )}
          </fieldset>
          {compliance && (
            <TextField
              label="Cool-off period in hours (optional, 1–72)"
              type="number"
              min={1}
              max={72}
              value={choice.coolOffHours}
              onChange={(e) => set({ coolOffHours: e.target.value })}
              hint="During the cool-off a user with permission can still remove or change a compliance lock, to catch a mistake; after it, nobody can. Without one the lock is final at once."
            />
          )}
          {!parsed.ok && <p className="error-text small">{parsed.reason}</p>}
          <FormFooter error={null} busy={false} label="Review…" busyLabel="" disabled={!parsed.ok} onCancel={onClose} />
        </form>
      ) : (
        <form className="form" onSubmit={(e) => void lock.submit(e)}>
          <p>
            This changes account <span className="mono">{connection.account}</span>, as <span className="mono">{connection.arn}</span>:
          </p>
          <ol className="aws-changes">{parsed.ok && lockChanges(target, parsed.value, connection.account, now).map((l) => (
                <li key={l}>
                  <IdText text={l} />
                </li>
              ))}</ol>
          {compliance && (
            <TextField
              label={`Type ${target.snapshotId} to confirm a lock nobody can undo`}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          )}
          <p className="small">The call is tried with DryRun first; the lock before and after and the request id are recorded in custody.</p>
          <FormFooter error={lock.error} busy={lock.busy} label={compliance ? 'Lock in compliance mode' : 'Lock in governance mode'} busyLabel="Locking…" disabled={!typedOk} onCancel={() => setStep('choose')} />
        </form>
      )}
    </Dialog>
  );
}

/**
 * Acquire logs for the connection in use: CloudTrail from S3, CloudTrail event history, VPC flow logs
 * (CloudWatch Logs or S3). All three only read from AWS, so each form says what it will download and
 * starts its job without a confirmation dialog; results appear under "Acquisitions in this case".
 */
import { useEffect, useRef, useState } from 'react';
import type { AwsConnection } from '../../../../shared/contract-aws.js';
import { CwlFlowsForm } from './CwlFlowsForm.js';
import { LookupForm } from './LookupForm.js';
import { S3LogsForm } from './S3LogsForm.js';

type Source = 'cloudtrail-s3' | 'lookup' | 'flows';

const SOURCES: { source: Source; label: string }[] = [
  { source: 'cloudtrail-s3', label: 'CloudTrail from S3' },
  { source: 'lookup', label: 'CloudTrail event history' },
  { source: 'flows', label: 'VPC flow logs' },
];

interface Props {
  caseId: string;
  connection: AwsConnection;
  timeZone: string;
}

/** The panel; closed until the examiner picks a source, so discovery keeps the room. */
export function AcquireLogsPanel({ caseId, connection, timeZone }: Props) {
  const [source, setSource] = useState<Source | null>(null);
  const [flowFrom, setFlowFrom] = useState<'cwl' | 's3'>('cwl');
  const [started, setStarted] = useState<string | null>(null);
  // The form closes once its job is queued so the acquisitions list above, where the result appears, stays in view.
  const onStarted = (_jobId: string, what: string): void => {
    setStarted(what);
    setSource(null);
  };
  const common = { caseId, connection, timeZone, onStarted };
  const startedRef = useRef<HTMLParagraphElement>(null);
  // The submit button is gone with its form: keyboard focus moves to the sentence that replaced it.
  useEffect(() => {
    if (started) startedRef.current?.focus();
  }, [started]);

  return (
    <section className="aws-logs card" aria-labelledby="aws-logs-title">
      <div className="aws-logs-head">
        <h3 id="aws-logs-title">Acquire logs</h3>
        <div className="toolbar" role="group" aria-label="Log source">
          {SOURCES.map((s) => (
            <button
              key={s.source}
              type="button"
              aria-pressed={source === s.source}
              onClick={() => {
                setSource(source === s.source ? null : s.source);
                setStarted(null);
              }}
            >
              {s.label}
            </button>
          ))}
        </div>
        <span className="muted small">Read-only in account {connection.account}: nothing is changed in AWS.</span>
      </div>
      {started && (
        <p className="aws-logs-started small" role="status" tabIndex={-1} ref={startedRef}>
          Started: {started}. Follow it in the Jobs drawer; when it finishes, what was acquired is listed under “Acquisitions in this case”, with
          the next steps.
        </p>
      )}
      {source === 'cloudtrail-s3' && <S3LogsForm key={`ct-${connection.connectionId}`} kind="cloudtrail" {...common} />}
      {source === 'lookup' && <LookupForm key={connection.connectionId} {...common} />}
      {source === 'flows' && (
        <>
          <fieldset className="choice-group aws-logs-flowsrc">
            <legend>Where the flow log publishes</legend>
            <label className="choice">
              <input type="radio" name="flow-src" checked={flowFrom === 'cwl'} onChange={() => setFlowFrom('cwl')} />
              <span>CloudWatch Logs (a log group)</span>
            </label>
            <label className="choice">
              <input type="radio" name="flow-src" checked={flowFrom === 's3'} onChange={() => setFlowFrom('s3')} />
              <span>S3 (a bucket, AWSLogs/…/vpcflowlogs/)</span>
            </label>
          </fieldset>
          {flowFrom === 'cwl' ? (
            <CwlFlowsForm key={connection.connectionId} {...common} />
          ) : (
            <S3LogsForm key={`fl-${connection.connectionId}`} kind="vpcflowlogs" {...common} />
          )}
        </>
      )}
    </section>
  );
}

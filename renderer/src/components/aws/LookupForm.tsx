/** CloudTrail event history (LookupEvents): a region, a time range and at most one attribute, paced at AWS's 2 requests per second. */
import { useState } from 'react';
import type { AwsConnection } from '../../../../shared/contract-aws.js';
import { ApiError, unwrap, useBridge } from '../../lib/bridge-context.js';
import { useSubmit } from '../../lib/use-submit.js';
import { TextField } from '../Field.js';
import { FormFooter } from '../FormFooter.js';
import { LogRangeFields, RegionSelect } from './LogRangeFields.js';
import { rangeFromWall } from './logs-acquire-text.js';

/** The attributes LookupEvents filters on; AWS takes one at a time. */
const ATTRIBUTES = ['EventName', 'Username', 'AccessKeyId', 'EventSource', 'ResourceName', 'ResourceType', 'ReadOnly', 'EventId'] as const;
type Attribute = (typeof ATTRIBUTES)[number];

interface Props {
  caseId: string;
  connection: AwsConnection;
  timeZone: string;
  onStarted: (jobId: string, what: string) => void;
}

/** Read-only in AWS; queues logs.acquire-lookup. */
export function LookupForm({ caseId, connection, timeZone, onStarted }: Props) {
  const { api } = useBridge();
  const [region, setRegion] = useState(connection.regions[0] ?? '');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [attrKey, setAttrKey] = useState<Attribute | ''>('');
  const [attrValue, setAttrValue] = useState('');
  const [tried, setTried] = useState(false);
  const check = rangeFromWall(from, to, timeZone);
  const attributeOk = attrKey === '' || attrValue.trim() !== '';

  const { submit, busy, error } = useSubmit(
    async () => {
      setTried(true);
      if (!check.range) throw new ApiError({ code: 'INVALID_INPUT', message: 'Enter the time range as YYYY-MM-DD HH:MM in the case’s zone' });
      const attribute = attrKey ? { attribute: { key: attrKey, value: attrValue.trim() } } : {};
      const { jobId } = await unwrap(api.logs.acquireLookup({ caseId, connectionId: connection.connectionId, region, ...check.range, ...attribute, requestsPerSecond: 2 }));
      onStarted(jobId, 'CloudTrail event history');
    },
    { releaseOnSuccess: true },
  );

  return (
    <form className="form aws-logs-form" onSubmit={(e) => void submit(e)} aria-label="CloudTrail event history">
      <div className="form-grid">
        <RegionSelect label="Region" value={region} regions={connection.regions} onChange={setRegion} hint="Event history is kept per region: one region per acquisition." />
        <LogRangeFields from={from} to={to} onFrom={setFrom} onTo={setTo} check={check} timeZone={timeZone} showProblems={tried} />
        <div className="field">
          <label htmlFor="lk-attr">Only events with (optional)</label>
          <select id="lk-attr" value={attrKey} onChange={(e) => setAttrKey(e.target.value as Attribute | '')}>
            <option value="">all events</option>
            {ATTRIBUTES.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <TextField
          label="Attribute value"
          value={attrValue}
          onChange={(e) => setAttrValue(e.target.value)}
          disabled={attrKey === ''}
          spellCheck={false}
          placeholder={attrKey === 'ReadOnly' ? 'false' : attrKey === 'EventName' ? 'ConsoleLogin' : ''}
          hint="LookupEvents takes one attribute; for more, acquire everything and filter in the Timeline."
        />
      </div>
      <section className="aws-logs-plan small" aria-label="What will be downloaded">
        <h4>What will be downloaded</h4>
        <p>
          CloudTrail's event history for the last 90 days of management events in {region || 'the region'}: every event in the range
          {attrKey ? ` whose ${attrKey} is “${attrValue.trim() || '…'}”` : ''}, saved as one JSON file (each event's record exactly as AWS returns it),
          hashed and recorded in custody with every request id. Nothing changes in AWS; it needs <code>cloudtrail:LookupEvents</code>.
        </p>
        <p className="warning">
          AWS allows only 2 LookupEvents requests per second per account and region, 50 events each: at best about 100 events a second, so a
          busy day can take many minutes. Caseward keeps under that limit and retries when throttled. The job shows the events received and an
          estimate of the time left in the Jobs drawer. Trails delivered to S3 are faster and complete, with data events and integrity digests.
        </p>
      </section>
      <FormFooter error={error} busy={busy} label="Acquire event history" busyLabel="Starting…" disabled={!check.range || !attributeOk} />
    </form>
  );
}

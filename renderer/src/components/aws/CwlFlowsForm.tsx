/** VPC flow logs published to CloudWatch Logs: the log group, optional streams, the range and the flow log's format. */
import { useState } from 'react';
import type { AwsConnection } from '../../../../shared/contract-aws.js';
import { ApiError, unwrap, useBridge } from '../../lib/bridge-context.js';
import { useSubmit } from '../../lib/use-submit.js';
import { TextField } from '../Field.js';
import { FormFooter } from '../FormFooter.js';
import { LogRangeFields, RegionSelect } from './LogRangeFields.js';
import { rangeFromWall } from './logs-acquire-text.js';

interface Props {
  caseId: string;
  connection: AwsConnection;
  timeZone: string;
  onStarted: (jobId: string, what: string) => void;
}

/** Read-only in AWS; queues flows.acquire-cwl. */
export function CwlFlowsForm({ caseId, connection, timeZone, onStarted }: Props) {
  const { api } = useBridge();
  const [region, setRegion] = useState(connection.regions[0] ?? '');
  const [group, setGroup] = useState('');
  const [streams, setStreams] = useState('');
  const [fields, setFields] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [tried, setTried] = useState(false);
  const check = rangeFromWall(from, to, timeZone);
  const streamList = [...new Set(streams.split(/[\s,]+/).filter(Boolean))];

  const { submit, busy, error } = useSubmit(
    async () => {
      setTried(true);
      if (!check.range) throw new ApiError({ code: 'INVALID_INPUT', message: 'Enter the time range as YYYY-MM-DD HH:MM in the case’s zone' });
      const { jobId } = await unwrap(
        api.flows.acquireCwl({
          caseId, connectionId: connection.connectionId, region, logGroupName: group.trim(), ...check.range,
          ...(streamList.length ? { logStreamNames: streamList } : {}), ...(fields.trim() ? { fields: fields.trim() } : {}),
        }),
      );
      onStarted(jobId, 'VPC flow logs from CloudWatch Logs');
    },
    { releaseOnSuccess: true },
  );

  return (
    <form className="form aws-logs-form" onSubmit={(e) => void submit(e)} aria-label="VPC flow logs from CloudWatch Logs">
      <div className="form-grid">
        <TextField label="Log group" value={group} onChange={(e) => setGroup(e.target.value)} required spellCheck={false} placeholder="/aws/vpc/flow-logs" />
        <RegionSelect label="Region" value={region} regions={connection.regions} onChange={setRegion} />
        <TextField
          label="Log streams (optional)"
          value={streams}
          onChange={(e) => setStreams(e.target.value)}
          spellCheck={false}
          placeholder="all streams"
          hint="Flow logs write one stream per network interface (eni-…-all); separate several with commas."
        />
        <LogRangeFields from={from} to={to} onFrom={setFrom} onTo={setTo} check={check} timeZone={timeZone} showProblems={tried} />
        <TextField
          label="Flow log format (optional)"
          value={fields}
          onChange={(e) => setFields(e.target.value)}
          spellCheck={false}
          placeholder="version 2 default format"
          hint="The flow log's custom format, e.g. ${version} ${srcaddr} …, if it is not the default."
        />
      </div>
      <section className="aws-logs-plan small" aria-label="What will be downloaded">
        <h4>What will be downloaded</h4>
        <p>
          Every record of {group.trim() ? <code>{group.trim()}</code> : 'the log group'} in {region || 'the region'} in the range (FilterLogEvents,
          all pages), saved as one flow log file with a header line naming the fields, hashed and recorded in custody with every request id.
          Nothing changes in AWS; it needs <code>logs:FilterLogEvents</code>.
        </p>
      </section>
      <FormFooter error={error} busy={busy} label="Acquire flow logs" busyLabel="Starting…" disabled={!check.range || !group.trim()} />
    </form>
  );
}

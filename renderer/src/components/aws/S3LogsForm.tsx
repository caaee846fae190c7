/** CloudTrail (logs, digests, public keys) or VPC flow logs delivered to S3: where to look, which accounts, regions and times. */
import { useState } from 'react';
import type { AwsConnection } from '../../../../shared/contract-aws.js';
import { ApiError, unwrap, useBridge } from '../../lib/bridge-context.js';
import { useSubmit } from '../../lib/use-submit.js';
import { TextField } from '../Field.js';
import { FormFooter } from '../FormFooter.js';
import { parseRegions } from './aws-text.js';
import { LogRangeFields, RegionSelect } from './LogRangeFields.js';
import { plural, rangeFromWall, s3DayFolders, s3KeyTemplates } from './logs-acquire-text.js';

interface Props {
  caseId: string;
  connection: AwsConnection;
  timeZone: string;
  kind: 'cloudtrail' | 'vpcflowlogs';
  onStarted: (jobId: string, what: string) => void;
}

/** Shown in the panel; the job is read-only in AWS, so it starts without a confirmation dialog. */
export function S3LogsForm({ caseId, connection, timeZone, kind, onStarted }: Props) {
  const { api } = useBridge();
  const [region, setRegion] = useState(connection.regions[0] ?? '');
  const [bucket, setBucket] = useState('');
  const [prefix, setPrefix] = useState('');
  const [orgId, setOrgId] = useState('');
  const [accounts, setAccounts] = useState(connection.account);
  const [trailRegions, setTrailRegions] = useState(connection.regions.join(', '));
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [tried, setTried] = useState(false);
  const check = rangeFromWall(from, to, timeZone);
  const accountList = parseRegions(accounts);
  const regionList = parseRegions(trailRegions);
  const query = { bucket: bucket.trim(), prefix, orgId: orgId.trim() || null, accounts: accountList, regions: regionList, kind };
  const folders = check.range ? s3DayFolders({ ...query, ...check.range }) : [];
  const ready = Boolean(check.range && query.bucket && accountList.length && regionList.length);
  const what = kind === 'cloudtrail' ? 'CloudTrail from S3' : 'VPC flow logs from S3';

  const { submit, busy, error } = useSubmit(
    async () => {
      setTried(true);
      if (!check.range) throw new ApiError({ code: 'INVALID_INPUT', message: 'Enter the time range as YYYY-MM-DD HH:MM in the case’s zone' });
      const { jobId } = await unwrap(
        api.logs.acquireS3({
          caseId, connectionId: connection.connectionId, region, bucket: query.bucket, prefix: prefix.trim(), orgId: query.orgId,
          accounts: accountList, regions: regionList, ...check.range, kind,
        }),
      );
      onStarted(jobId, what);
    },
    { releaseOnSuccess: true },
  );

  return (
    <form className="form aws-logs-form" onSubmit={(e) => void submit(e)} aria-label={what}>
      <div className="form-grid">
        <TextField label="S3 bucket" value={bucket} onChange={(e) => setBucket(e.target.value)} required spellCheck={false} placeholder="org-trail-bucket" />
        <RegionSelect label="Bucket region" value={region} regions={connection.regions} onChange={setRegion} hint="The region the bucket lives in; one of this connection's regions." />
        <TextField label="Key prefix (optional)" value={prefix} onChange={(e) => setPrefix(e.target.value)} spellCheck={false} placeholder="none" hint="The trail's S3 key prefix, the part before AWSLogs/." />
        <TextField
          label="Organisation ID (optional)"
          value={orgId}
          onChange={(e) => setOrgId(e.target.value)}
          spellCheck={false}
          placeholder="o-exampleorgid"
          hint={kind === 'cloudtrail' ? 'Organisation trails deliver under AWSLogs/o-…/.' : 'Only if the flow logs deliver under AWSLogs/o-…/.'}
        />
        <TextField label="Accounts" value={accounts} onChange={(e) => setAccounts(e.target.value)} required spellCheck={false} hint="12-digit account ids, separated by commas." />
        <TextField
          label={kind === 'cloudtrail' ? 'Trail regions' : 'Flow log regions'}
          value={trailRegions}
          onChange={(e) => setTrailRegions(e.target.value)}
          required
          spellCheck={false}
          hint="The regions whose files to fetch, separated by commas."
        />
        <LogRangeFields from={from} to={to} onFrom={setFrom} onTo={setTo} check={check} timeZone={timeZone} showProblems={tried} />
      </div>
      <section className="aws-logs-plan small" aria-label="What will be downloaded">
        <h4>What will be downloaded</h4>
        <p>Caseward follows the key layout AWS delivers to, and lists only the day folders of the range (never the whole bucket):</p>
        <ul className="mono">
          {s3KeyTemplates(query).map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ul>
        {kind === 'cloudtrail' ? (
          <p>
            Log files named with a delivery time from From to one hour after To (CloudTrail delivers 5–15 minutes late), the digest files
            covering the range (up to two hours after To), and CloudTrail's public keys for the period (ListPublicKeys), so the integrity can be
            validated offline.
          </p>
        ) : (
          <p>Flow log files (.log.gz) named with a time from From to one hour after To.</p>
        )}
        <p>
          {check.range
            ? `${plural(folders.length, 'day folder')} will be listed (ListObjectsV2), for ${plural(accountList.length, 'account')} in ${plural(regionList.length, 'region')}. `
            : 'Enter the range to see how many day folders will be listed. '}
          Each file is saved as it is in S3, made read-only, hashed (MD5, SHA-1, SHA-256) and recorded in custody with its ETag and request id. A file
          already in the case with the same ETag is skipped. Nothing changes in AWS: it needs only <code>s3:ListBucket</code>, <code>s3:GetObject</code>
          {kind === 'cloudtrail' ? <> and <code>cloudtrail:ListPublicKeys</code></> : null}.
        </p>
      </section>
      <FormFooter error={error} busy={busy} label={`Acquire ${kind === 'cloudtrail' ? 'CloudTrail' : 'flow logs'} from S3`} busyLabel="Starting…" disabled={!ready} />
    </form>
  );
}

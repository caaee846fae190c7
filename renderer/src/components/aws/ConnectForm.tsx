/** Connect the case to an AWS account: a profile from the AWS files (or the environment), regions, an optional endpoint. */
import { useEffect, useState } from 'react';
import type { AwsConnection, AwsProfileInfo } from '../../../../shared/contract-aws.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { useQuery } from '../../lib/use-query.js';
import { useSubmit } from '../../lib/use-submit.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { TextField } from '../Field.js';
import { FormFooter } from '../FormFooter.js';
import { parseRegions } from './aws-text.js';

const KIND_WORDS: Record<AwsProfileInfo['kind'], string> = {
  static: 'access keys',
  sso: 'SSO',
  'assume-role': 'assumed role',
  'credential-process': 'credential process',
  'web-identity': 'web identity',
  env: 'environment / instance role',
  other: 'other',
};

function describeProfile(p: AwsProfileInfo): string {
  const extra = p.roleArn ?? (p.ssoAccountId ? `${p.ssoAccountId} ${p.ssoRoleName ?? ''}` : '');
  return `${p.name} — ${KIND_WORDS[p.kind]}${p.region ? `, ${p.region}` : ''}${extra ? `, ${extra}` : ''}`;
}

/** The form; onConnected receives the new connection (its identity is shown by the caller). */
export function ConnectForm({ caseId, onConnected, onCancel }: { caseId: string; onConnected: (c: AwsConnection) => void; onCancel?: () => void }) {
  const { api } = useBridge();
  const profiles = useQuery(() => api.aws.profiles({}), []);
  const list = profiles.data?.profiles ?? [];
  const choices = list.some((p) => p.name === 'environment')
    ? list
    : [...list, { name: 'environment', kind: 'env', source: 'environment' } satisfies AwsProfileInfo];
  const [profile, setProfile] = useState('');
  const [regions, setRegions] = useState('');
  const [endpoint, setEndpoint] = useState('');

  // The first profile and its region are the likely choice; the examiner changes them before connecting.
  useEffect(() => {
    if (profile || !profiles.data) return;
    const first = profiles.data.profiles[0];
    setProfile(first?.name ?? 'environment');
    if (!regions) setRegions(first?.region ?? 'us-east-1');
  }, [profiles.data, profile, regions]);

  const pick = (name: string): void => {
    setProfile(name);
    const region = choices.find((p) => p.name === name)?.region;
    if (region) setRegions(region);
  };

  const { submit, busy, error } = useSubmit(
    async () => {
      const conn = await unwrap(
        api.aws.connect({ caseId, profile, regions: parseRegions(regions), ...(endpoint.trim() ? { endpoint: endpoint.trim() } : {}) }),
      );
      onConnected(conn);
    },
    { releaseOnSuccess: true },
  );

  return (
    <form className="form card aws-connect" onSubmit={(e) => void submit(e)} aria-labelledby="aws-connect-title">
      <h2 id="aws-connect-title">Connect to an AWS account</h2>
      <p className="small muted">
        Credentials stay in Caseward's main process; they are never written to the case, the logs or this window. The identity Caseward
        acts as (account and ARN) is recorded in the custody log, so your own calls can be told apart in CloudTrail.
      </p>
      <ErrorMessage error={profiles.error} />
      <div className="field">
        <label htmlFor="aws-profile">Profile</label>
        <select id="aws-profile" value={profile} onChange={(e) => pick(e.target.value)} aria-describedby="aws-profile-hint">
          {choices.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name === 'environment' ? 'environment — AWS_* variables, then the instance or container role' : describeProfile(p)}
            </option>
          ))}
        </select>
        <p id="aws-profile-hint" className="hint">
          From {profiles.data ? <code>{profiles.data.configFile}</code> : 'the AWS config file'} and the credentials file. For SSO, run{' '}
          <code>aws sso login --profile NAME</code> first.
        </p>
      </div>
      <TextField label="Regions" value={regions} onChange={(e) => setRegions(e.target.value)} required hint="One or more, separated by commas, e.g. us-east-1, eu-west-1." />
      <TextField
        label="Endpoint override (optional)"
        value={endpoint}
        onChange={(e) => setEndpoint(e.target.value)}
        placeholder="https://vpce-….ec2.us-east-1.vpce.amazonaws.com"
        hint="For VPC or FIPS endpoints; http:// only to 127.0.0.1 (emulators). Used for STS, EC2, EBS and IAM."
      />
      <FormFooter error={error} busy={busy} label="Connect" busyLabel="Connecting…" disabled={!profile || parseRegions(regions).length === 0} onCancel={onCancel} />
    </form>
  );
}

/** The connection in use, always visible in the AWS tab: account, ARN, profile, regions, endpoint. */
import type { AwsConnection } from '../../../../shared/contract-aws.js';
import { formatTimeWithZone } from '../../lib/format.js';

interface Props {
  connection: AwsConnection;
  all: AwsConnection[];
  timeZone: string;
  onSwitch: (connectionId: string) => void;
  onNew: () => void;
  onDisconnect: () => void;
}

/** One line of identity plus the actions on the connection. */
export function ConnectionBar({ connection: c, all, timeZone, onSwitch, onNew, onDisconnect }: Props) {
  return (
    <section className="aws-connection" aria-label="AWS connection in use">
      <dl className="aws-identity">
        <div>
          <dt>Account</dt>
          <dd className="mono" data-testid="aws-account">
            {c.account}
          </dd>
        </div>
        <div className="aws-identity-arn">
          <dt>Acting as</dt>
          <dd className="mono" data-testid="aws-arn" title={`user id ${c.userId}`}>
            {c.arn}
          </dd>
        </div>
        <div>
          <dt>Profile</dt>
          <dd>{c.profile}</dd>
        </div>
        <div>
          <dt>Regions</dt>
          <dd>{c.regions.join(', ')}</dd>
        </div>
        <div>
          <dt>Endpoint</dt>
          <dd className="mono">{c.endpoint ?? 'AWS default'}</dd>
        </div>
        <div>
          <dt>Connected</dt>
          <dd>{formatTimeWithZone(c.connectedAt, timeZone)}</dd>
        </div>
      </dl>
      <div className="toolbar">
        {all.length > 1 && (
          <label className="toolbar-label">
            Use{' '}
            <select value={c.connectionId} onChange={(e) => onSwitch(e.target.value)} aria-label="Connection in use">
              {all.map((x) => (
                <option key={x.connectionId} value={x.connectionId}>
                  {x.profile} · {x.account} · {x.regions.join(', ')}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" onClick={onNew}>
          Connect another…
        </button>
        <button type="button" onClick={onDisconnect}>
          Disconnect
        </button>
      </div>
    </section>
  );
}

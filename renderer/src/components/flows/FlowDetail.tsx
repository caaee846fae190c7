/** One flow record in full, with the file line it came from. */
import { Fragment } from 'react';
import { formatTimeWithZone } from '../../lib/format.js';
import type { ShownFlow } from './use-flow-pages.js';

/** The side panel for the selected flow. */
export function FlowDetail({ flow: f, timeZone, onClose }: { flow: ShownFlow; timeZone: string; onClose: () => void }) {
  const rows: [string, string | number | null][] = [
    ['Start', formatTimeWithZone(f.startTime, timeZone)],
    ['Start (UTC)', f.startTime],
    ['End (UTC)', f.endTime],
    ['Version', f.version],
    ['Account', f.accountId],
    ['Interface', f.interfaceId],
    ['Source', f.srcaddr === null ? null : `${f.srcaddr}${f.srcport === null ? '' : ` port ${f.srcport}`}`],
    ['Destination', f.dstaddr === null ? null : `${f.dstaddr}${f.dstport === null ? '' : ` port ${f.dstport}`}`],
    ['Protocol', f.protocol === null ? null : `${f.protocol}${f.protocolName ? ` (${f.protocolName})` : ''}`],
    ['Packets', f.packets],
    ['Bytes', f.bytes],
    ['Action', f.action],
    ['Log status', f.logStatus],
    ['VPC', f.vpcId],
    ['Subnet', f.subnetId],
    ['Instance', f.instanceId],
    ['Direction', f.flowDirection],
    ...Object.entries(f.extra).map(([k, v]): [string, string | null] => [k, v]),
  ];
  return (
    <aside className="detail-panel tl-detail" aria-label="Flow detail">
      <div className="detail-head">
        <h2>
          {f.srcaddr ?? '?'} → {f.dstaddr ?? '?'}
        </h2>
        <button type="button" className="icon-button" aria-label="Close flow detail" onClick={onClose}>
          ×
        </button>
      </div>
      {f.matchedAddress && (
        <p className="result-box small">
          {f.matchedAddress} made {f.cloudTrailEvents ?? 0} CloudTrail call{f.cloudTrailEvents === 1 ? '' : 's'} in this case.
        </p>
      )}
      <dl className="kv compact">
        {rows.map(([k, v]) => (
          <Fragment key={k}>
            <dt>{k}</dt>
            <dd className={v === null ? 'muted' : 'mono'}>{v ?? '—'}</dd>
          </Fragment>
        ))}
      </dl>
      <h3>Flow log file</h3>
      <dl className="kv compact">
        <dt>Artifact</dt>
        <dd className="mono">{f.source.artifactId}</dd>
        <dt>SHA-256</dt>
        <dd>
          <code className="hash hash-full">{f.source.sha256}</code>
        </dd>
        <dt>Line</dt>
        <dd className="mono">{f.source.line.toLocaleString('en-US')} (of the uncompressed file; the header is line 1)</dd>
      </dl>
    </aside>
  );
}

/** Discover instances, volumes and snapshots in the connection's regions; filter by text and tag; open an instance. */
import { useMemo } from 'react';
import type { AwsConnection, AwsDiscovery, AwsDiscoverKind, AwsSnapshotSummary } from '../../../../shared/contract-aws.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { formatTimeWithZone } from '../../lib/format.js';
import { useSubmit } from '../../lib/use-submit.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { instanceColumns, snapshotColumns, volumeColumns, type Regional } from './resource-columns.js';
import { ResourceTable } from './ResourceTable.js';
import { HandoverButtons, type OnHandover } from './SnapshotHandover.js';

/** What the panel shows; kept by the tab so it survives opening an instance. */
export interface DiscoverState {
  result: AwsDiscovery | null;
  kind: AwsDiscoverKind;
  text: string;
  tag: string;
}

export const initialDiscover: DiscoverState = { result: null, kind: 'instances', text: '', tag: '' };

const KIND_LABEL: Record<AwsDiscoverKind, string> = { instances: 'Instances', volumes: 'Volumes', snapshots: 'Snapshots' };

interface Props {
  caseId: string;
  connection: AwsConnection;
  timeZone: string;
  state: DiscoverState;
  onState: (s: DiscoverState) => void;
  onOpenInstance: (region: string, instanceId: string) => void;
  onImage: (s: Regional<AwsSnapshotSummary>) => void;
  /** Copy re-encrypted, share or lock a completed snapshot. */
  onHandover?: OnHandover;
}

function flatten<K extends AwsDiscoverKind>(d: AwsDiscovery | null, kind: K) {
  type Item = NonNullable<AwsDiscovery['regions'][number][K]>['items'][number];
  return (d?.regions ?? []).flatMap((r) => (r[kind]?.items ?? []).map((i) => ({ ...(i as Item), region: r.region })));
}

/** The panel: filter form, kind switch, the table of the chosen kind. */
export function DiscoverPanel({ caseId, connection, timeZone, state, onState, onOpenInstance, onImage, onHandover }: Props) {
  const { api } = useBridge();
  const { result } = state;
  const { submit, busy, error } = useSubmit(
    async () => {
      const [key, ...rest] = state.tag.split('=');
      const tagKey = key?.trim();
      const filter = {
        ...(state.text.trim() ? { text: state.text.trim() } : {}),
        ...(tagKey ? { tag: rest.length > 0 ? { key: tagKey, value: rest.join('=').trim() } : { key: tagKey } } : {}),
      };
      const d = await unwrap(api.aws.discover({ caseId, connectionId: connection.connectionId, kinds: ['instances', 'volumes', 'snapshots'], limit: 1000, filter: Object.keys(filter).length ? filter : undefined }));
      onState({ ...state, result: d });
    },
    { releaseOnSuccess: true },
  );

  const instances = useMemo(() => flatten(result, 'instances'), [result]);
  const volumes = useMemo(() => flatten(result, 'volumes'), [result]);
  const snapshots = useMemo(() => flatten(result, 'snapshots'), [result]);
  const counts: Record<AwsDiscoverKind, number> = { instances: instances.length, volumes: volumes.length, snapshots: snapshots.length };
  const problems = (result?.regions ?? []).flatMap((r) => r.errors.map((e) => ({ ...e, region: r.region })));
  const truncated = (result?.regions ?? []).filter((r) => r[state.kind]?.truncated).map((r) => r.region);
  const imageButton = (s: Regional<AwsSnapshotSummary>) =>
    s.state === 'completed' ? (
      <>
        <button type="button" className="small" onClick={() => onImage(s)} aria-label={`Image ${s.snapshotId}`}>
          Image…
        </button>
        {onHandover && (
          <HandoverButtons
            target={{ snapshotId: s.snapshotId, region: s.region, sizeGiB: s.volumeSizeGiB, encrypted: s.encrypted, kmsKeyId: s.kmsKeyId, volumeId: s.volumeId }}
            onHandover={onHandover}
          />
        )}
      </>
    ) : null;

  return (
    <section className="aws-discover" aria-label="Discovery">
      <form className="aws-filters" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="aws-text">Text filter</label>
          <input id="aws-text" value={state.text} onChange={(e) => onState({ ...state, text: e.target.value })} placeholder="id, name, IP, key…" />
        </div>
        <div className="field">
          <label htmlFor="aws-tag">Tag filter</label>
          <input id="aws-tag" value={state.tag} onChange={(e) => onState({ ...state, tag: e.target.value })} placeholder="Key or Key=Value" />
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Discovering…' : result ? 'Discover again' : 'Discover'}
        </button>
        {result && (
          <span className="muted small">
            Listed {formatTimeWithZone(result.discoveredAt, timeZone)} in {result.regions.map((r) => r.region).join(', ')}
          </span>
        )}
      </form>
      <ErrorMessage error={error} />
      {problems.map((p) => (
        <p key={`${p.region}-${p.kind}`} className="warning small" role="status">
          {KIND_LABEL[p.kind]} in {p.region} could not be listed ({p.code}): {p.message}
        </p>
      ))}
      {!result ? (
        <p className="muted">
          Discovery lists what the account holds; it changes nothing. Each listing is recorded in the custody log with its request ids.
        </p>
      ) : (
        <>
          <div className="image-segmented" role="group" aria-label="Resource kind">
            {(Object.keys(KIND_LABEL) as AwsDiscoverKind[]).map((k) => (
              <button key={k} type="button" aria-pressed={state.kind === k} onClick={() => onState({ ...state, kind: k })}>
                {KIND_LABEL[k]} ({counts[k]})
              </button>
            ))}
          </div>
          {state.kind === 'instances' && instances.length > 0 && <p className="muted small">Enter or a click opens an instance with everything AWS says about it.</p>}
          {truncated.length > 0 && <p className="warning small">More existed in {truncated.join(', ')} than the 1,000 listed; narrow the filters.</p>}
          {state.kind === 'instances' && (
            <ResourceTable label="Instances" rows={instances} columns={instanceColumns(timeZone)} rowKey={(r) => `${r.region}/${r.instanceId}`} onOpen={(r) => onOpenInstance(r.region, r.instanceId)} />
          )}
          {state.kind === 'volumes' && <ResourceTable label="Volumes" rows={volumes} columns={volumeColumns(timeZone)} rowKey={(r) => `${r.region}/${r.volumeId}`} />}
          {state.kind === 'snapshots' && (
            <ResourceTable label="Snapshots" rows={snapshots} columns={snapshotColumns(timeZone, imageButton)} rowKey={(r) => `${r.region}/${r.snapshotId}`} />
          )}
        </>
      )}
    </section>
  );
}

/**
 * The AWS tab: connect, discover, open an instance (preflight, preserve, snapshot, context), image and hand over (copy, share, lock)
 * completed snapshots, acquire logs. The connection lives in main; this tab only names which one is in use.
 */
import { useState } from 'react';
import type { AwsConnection } from '../../../../shared/contract-aws.js';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { CaseSummary } from '../../../../shared/types.js';
import { toDisplayError, unwrap, useBridge } from '../../lib/bridge-context.js';
import { useQuery } from '../../lib/use-query.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { AcquireLogsPanel } from './AcquireLogsPanel.js';
import { AcquisitionList } from './AcquisitionList.js';
import { ConnectForm } from './ConnectForm.js';
import { ConnectionBar } from './ConnectionBar.js';
import { DiscoverPanel, initialDiscover, type DiscoverState } from './DiscoverPanel.js';
import { ImageDialog, type ImageTarget } from './ImageDialog.js';
import { InstanceDetail } from './InstanceDetail.js';
import { HandoverDialog, type Handover } from './SnapshotHandover.js';

/** The tab. */
export function AwsTab({ summary }: { summary: CaseSummary }) {
  const { api } = useBridge();
  const caseId = summary.id;
  const connections = useQuery(() => api.aws.connections({ caseId }), [caseId]);
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [discover, setDiscover] = useState<DiscoverState>(initialDiscover);
  const [instance, setInstance] = useState<{ region: string; instanceId: string } | null>(null);
  const [imageTarget, setImageTarget] = useState<ImageTarget | null>(null);
  const [handover, setHandover] = useState<Handover | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const all = connections.data ?? [];
  // The newest connection is the one in use unless the examiner picked another.
  const conn: AwsConnection | undefined = all.find((c) => c.connectionId === chosenId) ?? all[all.length - 1];

  const connected = (c: AwsConnection): void => {
    setChosenId(c.connectionId);
    setAdding(false);
    setDiscover(initialDiscover);
    setInstance(null);
    connections.reload();
  };

  const disconnect = async (): Promise<void> => {
    if (!conn) return;
    setError(null);
    try {
      await unwrap(api.aws.disconnect({ caseId, connectionId: conn.connectionId }));
      setChosenId(null);
      setDiscover(initialDiscover);
      setInstance(null);
      connections.reload();
    } catch (err) {
      setError(toDisplayError(err));
    }
  };

  if (!connections.data) {
    return (
      <div className="aws-tab">
        <ErrorMessage error={connections.error} />
        {connections.loading && <p className="muted">Loading connections…</p>}
      </div>
    );
  }

  if (!conn || adding) {
    return (
      <div className="aws-tab">
        <ConnectForm caseId={caseId} onConnected={connected} onCancel={conn ? () => setAdding(false) : undefined} />
        <AcquisitionList summary={summary} />
      </div>
    );
  }

  return (
    <div className="aws-tab">
      <ConnectionBar
        connection={conn}
        all={all}
        timeZone={summary.timeZone}
        onSwitch={(id) => {
          setChosenId(id);
          setDiscover(initialDiscover);
          setInstance(null);
        }}
        onNew={() => setAdding(true)}
        onDisconnect={() => void disconnect()}
      />
      <ErrorMessage error={error} onDismiss={() => setError(null)} />
      <AcquisitionList summary={summary} onImage={setImageTarget} onHandover={setHandover} />
      {!instance && <AcquireLogsPanel caseId={caseId} connection={conn} timeZone={summary.timeZone} />}
      {instance ? (
        <InstanceDetail
          key={`${conn.connectionId}/${instance.region}/${instance.instanceId}`}
          summary={summary}
          connection={conn}
          region={instance.region}
          instanceId={instance.instanceId}
          onBack={() => setInstance(null)}
        />
      ) : (
        <DiscoverPanel
          caseId={caseId}
          connection={conn}
          timeZone={summary.timeZone}
          state={discover}
          onState={setDiscover}
          onOpenInstance={(region, instanceId) => setInstance({ region, instanceId })}
          onImage={(s) => setImageTarget({ snapshotId: s.snapshotId, region: s.region, sizeGiB: s.volumeSizeGiB, encrypted: s.encrypted, volumeId: s.volumeId })}
          onHandover={setHandover}
        />
      )}
      {imageTarget && <ImageDialog caseId={caseId} connection={conn} target={imageTarget} onClose={() => setImageTarget(null)} />}
      {handover && <HandoverDialog summary={summary} connection={conn} connections={all} handover={handover} onChange={setHandover} />}
    </div>
  );
}

/** The hand-over actions of a completed snapshot (re-encrypted copy, share, lock) and the one dialog open at a time. */
import type { AwsConnection } from '../../../../shared/contract-aws.js';
import type { CaseSummary } from '../../../../shared/types.js';
import { CopySnapshotDialog } from './CopySnapshotDialog.js';
import { HANDOVER_LABEL, type HandoverAction, type HandoverTarget } from './handover-text.js';
import { LockSnapshotDialog } from './LockSnapshotDialog.js';
import { ShareSnapshotDialog } from './ShareSnapshotDialog.js';

/** The dialog to show: which action on which snapshot. */
export interface Handover {
  action: HandoverAction;
  target: HandoverTarget;
}

/** Called by a button with its action and snapshot. */
export type OnHandover = (h: Handover) => void;

const ARIA: Record<HandoverAction, (id: string) => string> = {
  copy: (id) => `Copy ${id} re-encrypted`,
  share: (id) => `Share ${id}`,
  lock: (id) => `Lock ${id}`,
};

/** Three small buttons; render them only for a completed snapshot. */
export function HandoverButtons({ target, onHandover }: { target: HandoverTarget; onHandover: OnHandover }) {
  return (
    <>
      {(['copy', 'share', 'lock'] as const).map((action) => (
        <button key={action} type="button" className="small" aria-label={ARIA[action](target.snapshotId)} onClick={() => onHandover({ action, target })}>
          {HANDOVER_LABEL[action]}
        </button>
      ))}
    </>
  );
}

interface Props {
  summary: CaseSummary;
  connection: AwsConnection;
  /** The case's connections, whose other accounts are offered as share targets. */
  connections: AwsConnection[];
  handover: Handover;
  onChange: (h: Handover | null) => void;
}

/** The open dialog; a refused share switches to the copy dialog of the same snapshot. */
export function HandoverDialog({ summary, connection, connections, handover, onChange }: Props) {
  const close = (): void => onChange(null);
  const { action, target } = handover;
  // Keyed by action and snapshot so that switching from share to copy starts a fresh dialog.
  const key = `${action}/${target.region}/${target.snapshotId}`;
  switch (action) {
    case 'copy':
      return <CopySnapshotDialog key={key} summary={summary} connection={connection} target={target} onClose={close} />;
    case 'share': {
      const others = [...new Set(connections.map((c) => c.account).filter((a) => a !== connection.account))];
      return (
        <ShareSnapshotDialog key={key} summary={summary} connection={connection} target={target} otherAccounts={others} onClose={close} onCopyInstead={(t) => onChange({ action: 'copy', target: t })} />
      );
    }
    case 'lock':
      return <LockSnapshotDialog key={key} summary={summary} connection={connection} target={target} onClose={close} />;
  }
}

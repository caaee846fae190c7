/** The AWS request id of a hand-over call, read back from the custody event main recorded for it. */
import type { DomainApi } from '../../../../shared/bridge.js';
import { unwrap } from '../../lib/bridge-context.js';

const RECENT = 50;

/** The request id of the newest `action` event naming `snapshotId`, or null when there is none. */
export async function requestIdOf(api: DomainApi, caseId: string, action: string, snapshotId: string): Promise<string | null> {
  const { total } = await unwrap(api.custody.list({ caseId, offset: 0, limit: 1 }));
  // The event was appended moments ago, so it is among the last few.
  const { events } = await unwrap(api.custody.list({ caseId, offset: Math.max(0, total - RECENT), limit: RECENT }));
  const hit = events.filter((e) => e.action === action && e.details.snapshotId === snapshotId).at(-1);
  const id = hit?.details.requestId;
  return typeof id === 'string' ? id : null;
}

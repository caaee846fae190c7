/** Which app events should make a view refetch its snapshot. */
import type { AppEvent } from '../../../shared/events.js';
import { useAppEvents } from './bridge-context.js';

export type Topic = 'artifacts' | 'custody' | 'notes' | 'jobs' | 'case';

/**
 * True when the event may have changed what a view shows about topic. A job's state change can
 * add custody events and change artifacts (hashes, verification), so it counts for those too,
 * whether or not a case.changed event follows it.
 */
export function touches(event: AppEvent, caseId: string, topic: Topic): boolean {
  if (event.caseId !== caseId) return false;
  switch (event.kind) {
    case 'case.changed':
      return event.what === topic || event.what === 'case';
    case 'job.changed':
      return topic !== 'notes';
    case 'job.progress':
      return false;
  }
}

/** Calls reload whenever an event touches one of the topics for this case. */
export function useCaseRefresh(caseId: string, topics: readonly Topic[], reload: () => void): void {
  useAppEvents((event) => {
    if (topics.some((t) => touches(event, caseId, t))) reload();
  });
}

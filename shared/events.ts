/** Events main pushes to every door's listeners. */
import type { Job, Progress } from './types.js';

export type AppEvent =
  | { kind: 'job.progress'; caseId: string; jobId: string; progress: Progress }
  | { kind: 'job.changed'; caseId: string; job: Job }
  | { kind: 'case.changed'; caseId: string; what: 'artifacts' | 'custody' | 'notes' | 'jobs' | 'case' };

export type AppEventKind = AppEvent['kind'];

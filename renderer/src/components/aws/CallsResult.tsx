/** Outcomes of AWS changes: per action done / denied / failed, each call with its request id and before → after. */
import type { AwsPreserveCall } from '../../../../shared/contract-aws-preserve.js';
import { outcomeClass } from './aws-text.js';

const ACTION_WORDS: Record<string, string> = {
  tag: 'Tagged with the case',
  terminationProtection: 'Termination protection',
  deleteOnTerminationFalse: 'Volumes kept on termination',
  isolate: 'Isolation',
};

export interface ActionOutcome {
  name: string;
  outcome: string;
  missingPermission?: string;
  message?: string;
  calls: AwsPreserveCall[];
}

const brief = (v: unknown): string => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** The list, as shown after a preservation or a restore. */
export function CallsResult({ results }: { results: ActionOutcome[] }) {
  return (
    <ul className="aws-outcomes" aria-label="Results">
      {results.map((r) => (
        <li key={r.name}>
          <span className={outcomeClass(r.outcome)}>{r.outcome}</span> <strong>{ACTION_WORDS[r.name] ?? r.name}</strong>
          {r.outcome === 'denied' && (
            <span className="small"> Nothing changed: the credentials lack {r.missingPermission ?? 'the permission'}.</span>
          )}
          {r.message && r.outcome !== 'done' && <span className="small"> {r.message}</span>}
          {r.calls.length > 0 && (
            <ul className="aws-calls small">
              {r.calls.map((c, i) => (
                <li key={i}>
                  {c.api} · request id <span className="mono" data-testid="aws-request-id">{c.requestId ?? '—'}</span>
                  {(c.before !== undefined || c.after !== undefined) && (
                    <span className="muted mono aws-wrap">
                      {' '}
                      {brief(c.before)} → {brief(c.after)}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

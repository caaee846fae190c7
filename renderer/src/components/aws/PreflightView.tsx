/** The permission preflight's answer: each action allowed or denied, with the missing permission in plain words. */
import type { AwsPreflight } from '../../../../shared/contract-aws.js';
import { outcomeClass, PREFLIGHT_LABEL, preflightSentence } from './aws-text.js';

/** A list of actions with a badge and a sentence each; the DryRun request ids in small print. */
export function PreflightView({ preflight }: { preflight: AwsPreflight }) {
  return (
    <section className="aws-preflight" aria-label="Permission check">
      <h3>Permission check (EC2 DryRun, nothing changed)</h3>
      <ul className="aws-outcomes">
        {preflight.results.map((r) => (
          <li key={r.action}>
            <span className={outcomeClass(r.outcome)}>{r.action === 'image' ? 'checked at start' : r.outcome}</span>{' '}
            <strong>{PREFLIGHT_LABEL[r.action]}</strong>
            <span className="small"> {preflightSentence(r)}</span>
            {r.calls.some((c) => c.requestId) && (
              <span className="small muted mono"> {r.calls.map((c) => c.requestId).filter(Boolean).join(', ')}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The outcome of Verify chain, in plain words: intact, or where it first breaks and what else is wrong. */
import type { ChainVerification } from '../../../../shared/types.js';
import { InlineHash } from '../HashText.js';

/** The result panel. */
export function ChainResult({ result, onDismiss }: { result: ChainVerification; onDismiss: () => void }) {
  return (
    <div className={result.ok ? 'result-box result-ok' : 'result-box result-bad'} role="status">
      <button type="button" className="icon-button" aria-label="Dismiss chain result" onClick={onDismiss}>
        ×
      </button>
      {result.ok ? (
        <p>
          <strong>✓ Chain intact.</strong> All {result.eventCount} events recorded when the check ran link and hash correctly; the
          head was event #{result.headSeq}, hash <InlineHash label="head event hash" hash={result.headHash} id="chain-head-hash" />.
          Events recorded since (this check's own record among them) are covered by the next check.
        </p>
      ) : (
        <p>
          <strong>✗ Chain broken.</strong>{' '}
          {result.firstBreak
            ? `The first break is at event #${result.firstBreak.seq}: ${result.firstBreak.reason}. Events from #${result.firstBreak.seq} on cannot be relied on until this is explained.`
            : 'The events link, but evidence checks failed (see below).'}
        </p>
      )}
      {result.problems.length > 0 && (
        <ul className="problems">
          {result.problems.map((p, i) => (
            <li key={i}>{p.kind === 'event' ? `Event #${p.seq}: ${p.reason}` : `Artifact “${p.name}”: ${p.reason}`}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

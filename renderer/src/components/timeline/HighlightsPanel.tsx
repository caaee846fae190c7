/** Rule hits over the filtered timeline, grouped by rule: severity, ATT&CK techniques, count. A click focuses the timeline on them. */
import type { TimelineHighlights } from '../../../../shared/contract-highlights.js';
import type { ErrorInfo } from '../../../../shared/errors.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { groupHits, severityTone, type RuleGroup } from './highlight-groups.js';

export type { RuleGroup };

interface Props {
  data: TimelineHighlights | undefined;
  loading: boolean;
  error: ErrorInfo | null;
  activeRuleId: string | null;
  onPick: (group: RuleGroup) => void;
  onClear: () => void;
}

/** The left column while highlights are shown. */
export function HighlightsPanel({ data, loading, error, activeRuleId, onPick, onClear }: Props) {
  const groups = data ? groupHits(data.hits) : [];
  return (
    <nav className="tl-facets tl-highlights" aria-label="Highlights">
      <h3>Highlights</h3>
      <ErrorMessage error={error} />
      {loading && !data && <p className="muted small">Running the rules…</p>}
      {data && (
        <p className="muted small">
          {data.hits.length.toLocaleString('en-US')} hit{data.hits.length === 1 ? '' : 's'} from {data.rulesEvaluated} rules over{' '}
          {data.eventsScanned.toLocaleString('en-US')} events matching the filters.
        </p>
      )}
      {data?.truncated && <p className="warning small">Stopped at the hit limit; narrow the filters to see the rest.</p>}
      {data && groups.length === 0 && <p className="small">No rule fired on these events.</p>}
      <ul>
        {groups.map((g) => (
          <li key={g.ruleId}>
            <button
              type="button"
              className="tl-hl-rule"
              aria-pressed={activeRuleId === g.ruleId}
              title="Show exactly the events this rule flagged in the timeline"
              onClick={() => onPick(g)}
            >
              <span className="tl-hl-title">
                <span className={severityTone(g.severity)}>{g.severity}</span> {g.title}
              </span>
              <span className="tl-hl-count">{g.hits.length.toLocaleString('en-US')}</span>
              {g.mitre.map((m) => (
                <span key={m.techniqueId} className="tl-hl-mitre small">
                  <code>{m.techniqueId}</code> {m.techniqueName}
                </span>
              ))}
            </button>
          </li>
        ))}
      </ul>
      {activeRuleId && (
        <button type="button" className="link-button small" onClick={onClear}>
          Stop focusing on the rule
        </button>
      )}
    </nav>
  );
}

/** Counts per value for a few fields; a click adds the value to that field's filter. */
import type { TimelineFacets } from '../../../../shared/types.js';
import type { ListField } from './timeline-filters.js';

export const FACETS: { field: ListField; label: string }[] = [
  { field: 'eventName', label: 'Event name' },
  { field: 'eventSource', label: 'Event source' },
  { field: 'sourceIp', label: 'Source IP' },
  { field: 'identityArn', label: 'Identity ARN' },
  { field: 'errorCode', label: 'Error code' },
  { field: 'region', label: 'Region' },
];

interface Props {
  facets: Partial<Record<ListField, TimelineFacets>>;
  onPick: (field: ListField, value: string) => void;
}

/** One group per field; a null value (field absent) is shown but cannot be filtered on. */
export function FacetList({ facets, onPick }: Props) {
  return (
    <nav className="tl-facets" aria-label="Facets">
      {FACETS.map(({ field, label }) => {
        const f = facets[field];
        return (
          <section key={field} className="tl-facet" aria-label={`${label} counts`}>
            <h3>{label}</h3>
            {!f && <p className="muted small">…</p>}
            {f && f.values.length === 0 && <p className="muted small">none</p>}
            <ul>
              {f?.values.map((v) => (
                <li key={String(v.value)}>
                  {v.value === null || typeof v.value === 'boolean' ? (
                    <span className="tl-facet-value muted" title="Events without this field">
                      <span className="tl-facet-name">(none)</span>
                      <span className="tl-facet-count">{v.count.toLocaleString('en-US')}</span>
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="tl-facet-value"
                      title={`Filter ${label}: ${v.value}`}
                      onClick={() => onPick(field, String(v.value))}
                    >
                      <span className="tl-facet-name">{String(v.value)}</span>
                      <span className="tl-facet-count">{v.count.toLocaleString('en-US')}</span>
                    </button>
                  )}
                </li>
              ))}
            </ul>
            {f && f.otherValues > 0 && <p className="muted small">+{f.otherValues.toLocaleString('en-US')} more values</p>}
          </section>
        );
      })}
    </nav>
  );
}

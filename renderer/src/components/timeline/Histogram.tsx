/** Events over time as plain bars (divs with heights as React style props; the CSP allows no <style>). */
import type { TimelineHistogram } from '../../../../shared/types.js';
import { formatTime } from '../../lib/format.js';

function widthLabel(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1).replace(/\.0$/, '')} h`;
  return `${(ms / 86_400_000).toFixed(1).replace(/\.0$/, '')} d`;
}

/** The histogram; a bar's title gives its start in the case's zone and its count. */
export function Histogram({ data, timeZone }: { data: TimelineHistogram | undefined; timeZone: string }) {
  if (!data || data.buckets.length === 0 || !data.from) {
    return <div className="tl-histogram tl-histogram-empty muted small">No events to chart.</div>;
  }
  const max = Math.max(1, ...data.buckets.map((b) => b.count));
  const total = data.buckets.reduce((n, b) => n + b.count, 0);
  return (
    <figure className="tl-histogram" aria-label="Events over time">
      <div className="tl-bars" role="img" aria-label={`${total.toLocaleString('en-US')} events in ${data.buckets.length} bars of ${widthLabel(data.bucketMs)}; busiest bar ${max.toLocaleString('en-US')}`}>
        {data.buckets.map((b) => (
          <div key={b.start} className="tl-bar" title={`${formatTime(b.start, timeZone)}: ${b.count.toLocaleString('en-US')} events`}>
            <div className="tl-bar-fill" style={{ height: b.count === 0 ? 0 : `${Math.max(4, (b.count / max) * 100)}%` }} />
          </div>
        ))}
      </div>
      <figcaption className="tl-axis small muted">
        <span className="mono">{formatTime(data.from, timeZone)}</span>
        <span>
          each bar {widthLabel(data.bucketMs)} · highest {max.toLocaleString('en-US')}
        </span>
        <span className="mono">{formatTime(data.to, timeZone)}</span>
      </figcaption>
    </figure>
  );
}

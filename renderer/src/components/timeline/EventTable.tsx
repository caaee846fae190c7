/** The events table: virtualised, rows arrive page by page (keyset cursor) as the examiner scrolls. */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { TimelineEventSummary } from '../../../../shared/types.js';
import { formatTime } from '../../lib/format.js';
import { useRowNavigation } from '../../lib/use-row-navigation.js';

const ROW_HEIGHT = 32;
/** Rows from the end at which the next page is asked for, so scrolling rarely waits. */
const PREFETCH_ROWS = 60;

interface Props {
  events: TimelineEventSummary[];
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  selectedId: number | null;
  onSelect: (e: TimelineEventSummary) => void;
  timeZone: string;
  /** eventId → titles of the highlight rules that flagged it (empty while highlights are off). */
  marks?: Map<string, string[]>;
}

/** Arrow keys move between rows; the selection opens the event's detail. */
export function EventTable({ events, hasMore, loadingMore, onLoadMore, selectedId, onSelect, timeZone, marks }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLTableSectionElement>(null);
  const [headHeight, setHeadHeight] = useState(0);
  useLayoutEffect(() => setHeadHeight(headRef.current?.offsetHeight ?? 0), []);
  const virtualizer = useVirtualizer({
    count: events.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
    scrollMargin: headHeight,
    scrollPaddingStart: headHeight,
  });
  const selectedIndex = Math.max(0, events.findIndex((e) => e.id === selectedId));
  const setActive = useCallback((i: number) => events[i] && onSelect(events[i]), [events, onSelect]);
  const scrollToIndex = useCallback((i: number) => virtualizer.scrollToIndex(i), [virtualizer]);
  const nav = useRowNavigation<HTMLTableSectionElement>({
    count: events.length,
    active: selectedIndex,
    setActive,
    onActivate: setActive,
    scrollToIndex,
    pageSize: 15,
  });

  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= events.length - PREFETCH_ROWS) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, events.length, onLoadMore]);

  const tabbable = items.some((i) => i.index === selectedIndex) ? selectedIndex : (items[0]?.index ?? 0);
  const padTop = items[0] ? items[0].start - headHeight : 0;
  const padBottom = virtualizer.getTotalSize() + headHeight - (items[items.length - 1]?.end ?? headHeight);

  return (
    <div className="table-scroll tl-table-scroll" ref={scrollRef}>
      <table className="data-table compact tl-table" aria-rowcount={events.length + 1}>
        <caption className="visually-hidden">CloudTrail events. Arrow keys move between rows and show the event.</caption>
        <thead ref={headRef}>
          <tr>
            <th scope="col" className="tl-col-time">Time ({timeZone})</th>
            <th scope="col" className="tl-col-source">Source</th>
            <th scope="col" className="tl-col-name">Event name</th>
            <th scope="col" className="tl-col-actor">Actor</th>
            <th scope="col" className="tl-col-ip">Source IP</th>
            <th scope="col" className="tl-col-region">Region</th>
            <th scope="col" className="tl-col-error">Error</th>
          </tr>
        </thead>
        <tbody ref={nav.ref} onKeyDown={nav.onKeyDown}>
          {padTop > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={7} style={{ height: padTop }} />
            </tr>
          )}
          {items.map((item) => {
            const e = events[item.index]!;
            const selected = e.id === selectedId;
            const flagged = marks?.get(e.eventId);
            return (
              <tr
                key={e.id}
                data-row-index={item.index}
                aria-rowindex={item.index + 2}
                aria-current={selected ? 'true' : undefined}
                tabIndex={item.index === tabbable ? 0 : -1}
                className={`row${selected ? ' selected' : ''}${flagged ? ' flagged' : ''}`}
                onClick={() => onSelect(e)}
                onFocus={() => !selected && onSelect(e)}
              >
                <td className="mono" title={`${e.eventTime} (UTC)`}>
                  {formatTime(e.eventTime, timeZone)}
                </td>
                <td title={e.eventSource}>{e.eventSource.replace(/\.amazonaws\.com$/, '')}</td>
                <td title={flagged ? `${e.eventName}. Highlight: ${flagged.join('; ')}` : e.eventName}>
                  {flagged && (
                    <span className="tl-hl-mark" aria-label={`Highlight: ${flagged.join('; ')}`}>
                      ⚑
                    </span>
                  )}
                  {e.eventName}
                </td>
                <td title={e.identityArn ?? e.actor ?? ''}>{e.actor ?? <span className="muted">—</span>}</td>
                <td className="mono" title={e.sourceIp ?? ''}>
                  {e.sourceIp ?? <span className="muted">—</span>}
                </td>
                <td>{e.awsRegion ?? <span className="muted">—</span>}</td>
                <td title={e.errorCode ?? ''}>{e.errorCode ? <span className="tl-error">{e.errorCode}</span> : ''}</td>
              </tr>
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={7} style={{ height: padBottom }} />
            </tr>
          )}
        </tbody>
      </table>
      {loadingMore && <p className="muted small tl-loading">Loading more events…</p>}
    </div>
  );
}

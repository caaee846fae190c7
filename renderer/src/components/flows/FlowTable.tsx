/** The flow records table: virtualised, pages arrive as the examiner scrolls, arrow keys move the selection. */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { formatTime } from '../../lib/format.js';
import { useRowNavigation } from '../../lib/use-row-navigation.js';
import type { ShownFlow } from './use-flow-pages.js';

const ROW_HEIGHT = 30;
const PREFETCH_ROWS = 60;

interface Props {
  flows: ShownFlow[];
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  selectedId: number | null;
  onSelect: (f: ShownFlow) => void;
  timeZone: string;
  /** Adds the column naming the address that made CloudTrail calls. */
  touching: boolean;
}

const dash = <span className="muted">—</span>;
const num = (n: number | null): string => (n === null ? '' : n.toLocaleString('en-US'));

/** One row per flow record. */
export function FlowTable({ flows, hasMore, loadingMore, onLoadMore, selectedId, onSelect, timeZone, touching }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLTableSectionElement>(null);
  const [headHeight, setHeadHeight] = useState(0);
  useLayoutEffect(() => setHeadHeight(headRef.current?.offsetHeight ?? 0), []);
  const virtualizer = useVirtualizer({
    count: flows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
    scrollMargin: headHeight,
    scrollPaddingStart: headHeight,
  });
  const selectedIndex = Math.max(0, flows.findIndex((f) => f.id === selectedId));
  const setActive = useCallback((i: number) => flows[i] && onSelect(flows[i]), [flows, onSelect]);
  const scrollToIndex = useCallback((i: number) => virtualizer.scrollToIndex(i), [virtualizer]);
  const nav = useRowNavigation<HTMLTableSectionElement>({ count: flows.length, active: selectedIndex, setActive, onActivate: setActive, scrollToIndex, pageSize: 15 });

  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= flows.length - PREFETCH_ROWS) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, flows.length, onLoadMore]);

  const tabbable = items.some((i) => i.index === selectedIndex) ? selectedIndex : (items[0]?.index ?? 0);
  const padTop = items[0] ? items[0].start - headHeight : 0;
  const padBottom = virtualizer.getTotalSize() + headHeight - (items[items.length - 1]?.end ?? headHeight);
  const cols = touching ? 12 : 11;

  return (
    <div className="table-scroll fl-table-scroll" ref={scrollRef}>
      <table className="data-table compact fl-table" aria-rowcount={flows.length + 1}>
        <caption className="visually-hidden">VPC flow records. Arrow keys move between rows and show the record.</caption>
        <thead ref={headRef}>
          <tr>
            <th scope="col" className="fl-col-time">Start ({timeZone})</th>
            <th scope="col" className="fl-col-if">Interface</th>
            <th scope="col" className="fl-col-addr">Source</th>
            <th scope="col" className="fl-col-port num">Port</th>
            <th scope="col" className="fl-col-addr">Destination</th>
            <th scope="col" className="fl-col-port num">Port</th>
            <th scope="col" className="fl-col-proto">Protocol</th>
            <th scope="col" className="fl-col-action">Action</th>
            <th scope="col" className="fl-col-num num">Packets</th>
            <th scope="col" className="fl-col-num num">Bytes</th>
            <th scope="col" className="fl-col-status">Status</th>
            {touching && <th scope="col" className="fl-col-addr">In CloudTrail</th>}
          </tr>
        </thead>
        <tbody ref={nav.ref} onKeyDown={nav.onKeyDown}>
          {padTop > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={cols} style={{ height: padTop }} />
            </tr>
          )}
          {items.map((item) => {
            const f = flows[item.index]!;
            const selected = f.id === selectedId;
            return (
              <tr
                key={f.id}
                data-row-index={item.index}
                aria-rowindex={item.index + 2}
                aria-current={selected ? 'true' : undefined}
                tabIndex={item.index === tabbable ? 0 : -1}
                className={selected ? 'row selected' : 'row'}
                onClick={() => onSelect(f)}
                onFocus={() => !selected && onSelect(f)}
              >
                <td className="mono" title={`${f.startTime} (UTC)`}>
                  {/* Flow times are whole seconds. */}
                  {formatTime(f.startTime, timeZone).replace(/\.000$/, '')}
                </td>
                <td className="mono">{f.interfaceId ?? dash}</td>
                <td className="mono">{f.srcaddr ?? dash}</td>
                <td className="mono num">{f.srcport ?? ''}</td>
                <td className="mono">{f.dstaddr ?? dash}</td>
                <td className="mono num">{f.dstport ?? ''}</td>
                <td>{f.protocolName ?? (f.protocol === null ? dash : String(f.protocol))}</td>
                <td>{f.action ? <span className={f.action === 'REJECT' ? 'fl-reject' : undefined}>{f.action}</span> : dash}</td>
                <td className="num">{num(f.packets)}</td>
                <td className="num">{num(f.bytes)}</td>
                <td>{f.logStatus ?? dash}</td>
                {touching && (
                  <td className="mono" title={`${f.cloudTrailEvents ?? 0} CloudTrail events from this address`}>
                    {f.matchedAddress ?? dash}
                  </td>
                )}
              </tr>
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={cols} style={{ height: padBottom }} />
            </tr>
          )}
        </tbody>
      </table>
      {loadingMore && <p className="muted small tl-loading">Loading more flows…</p>}
    </div>
  );
}

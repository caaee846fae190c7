/** A virtualised, keyboard-navigable table of discovered AWS resources (instances, volumes or snapshots). */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useRowNavigation } from '../../lib/use-row-navigation.js';

const ROW_HEIGHT = 32;

/** One column: its header and how a row renders in it. */
export interface Column<T> {
  id: string;
  header: string;
  cell: (row: T) => ReactNode;
  /** Full text for the tooltip when the cell is cut off. */
  title?: (row: T) => string | undefined;
  className?: string;
}

interface Props<T> {
  label: string;
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  /** Enter or a click on a row; rows without it only take focus. */
  onOpen?: (row: T) => void;
}

/** Arrow keys, Page Up/Down, Home/End move between rows; Enter opens the row when onOpen is given. */
export function ResourceTable<T>({ label, rows, columns, rowKey, onOpen }: Props<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLTableSectionElement>(null);
  const [headHeight, setHeadHeight] = useState(0);
  const [active, setActive] = useState(0);
  useLayoutEffect(() => setHeadHeight(headRef.current?.offsetHeight ?? 0), []);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: headHeight,
    scrollPaddingStart: headHeight,
  });
  const scrollToIndex = useCallback((i: number) => virtualizer.scrollToIndex(i), [virtualizer]);
  const nav = useRowNavigation<HTMLTableSectionElement>({
    count: rows.length,
    active,
    setActive,
    onActivate: (i) => rows[i] && onOpen?.(rows[i]),
    scrollToIndex,
    pageSize: 12,
  });

  const items = virtualizer.getVirtualItems();
  const current = Math.min(active, Math.max(0, rows.length - 1));
  const tabbable = items.some((i) => i.index === current) ? current : (items[0]?.index ?? 0);
  const padTop = items[0] ? items[0].start - headHeight : 0;
  const padBottom = virtualizer.getTotalSize() + headHeight - (items[items.length - 1]?.end ?? headHeight);

  return (
    <div className="table-scroll aws-table-scroll" ref={scrollRef}>
      <table className="data-table compact aws-table" aria-label={label} aria-rowcount={rows.length + 1}>
        <thead ref={headRef}>
          <tr>
            {columns.map((c) => (
              <th key={c.id} scope="col" className={c.className}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody ref={nav.ref} onKeyDown={nav.onKeyDown}>
          {padTop > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={columns.length} style={{ height: padTop }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <tr
                key={rowKey(row)}
                data-row-index={item.index}
                aria-rowindex={item.index + 2}
                tabIndex={item.index === tabbable ? 0 : -1}
                className={item.index === current ? 'row selected' : 'row'}
                onClick={() => {
                  setActive(item.index);
                  onOpen?.(row);
                }}
                onFocus={() => setActive(item.index)}
              >
                {columns.map((c) => (
                  <td key={c.id} className={c.className} title={c.title?.(row)}>
                    {c.cell(row)}
                  </td>
                ))}
              </tr>
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={columns.length} style={{ height: padBottom }} />
            </tr>
          )}
        </tbody>
      </table>
      {rows.length === 0 && <p className="muted small aws-empty">Nothing found with these filters in the chosen regions.</p>}
    </div>
  );
}

/** The artifacts table, virtualised so a case with many thousands of files stays responsive. */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { Artifact } from '../../../../shared/types.js';
import { formatBytes } from '../../lib/format.js';
import { useRowNavigation } from '../../lib/use-row-navigation.js';
import { ShortHash } from '../HashText.js';
import { StateBadge, VerificationBadge } from './VerificationBadge.js';

const ROW_HEIGHT = 38;

function storageLabel(a: Artifact): string {
  if (a.kind === 'cloud-ref') return 'AWS snapshot (reference)';
  return a.storage === 'copied' ? 'copied' : 'in place';
}

/** Files show their SHA-256; a cloud reference has none, so its resource id and region stand there. */
function Fingerprint({ a }: { a: Artifact }) {
  if (!a.cloud) return <ShortHash hash={a.hashes?.sha256} />;
  return (
    <span className="mono" title={`${a.cloud.resourceId} in ${a.cloud.region}, account ${a.cloud.account} (no hash: nothing is stored in the case)`}>
      <span className="cloud-id">{a.cloud.resourceId}</span> <span className="muted">{a.cloud.region}</span>
    </span>
  );
}

function sizeCell(a: Artifact): { text: string; title: string } {
  if (a.kind === 'cloud-ref') {
    const gib = a.cloud?.metadata.sizeGiB;
    return { text: typeof gib === 'number' ? `${gib} GiB vol.` : '—', title: 'Volume size reported by AWS; no bytes are stored in the case' };
  }
  return { text: formatBytes(a.size), title: `${a.size ?? '?'} bytes` };
}

interface Props {
  artifacts: Artifact[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  timeZone: string;
}

/** Rows are selectable with mouse or keyboard; the selection opens the detail panel. */
export function ArtifactTable({ artifacts, selectedId, onSelect, timeZone }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLTableSectionElement>(null);
  const [headHeight, setHeadHeight] = useState(0);
  useLayoutEffect(() => setHeadHeight(headRef.current?.offsetHeight ?? 0), []);
  const virtualizer = useVirtualizer({
    count: artifacts.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Rows start below the header, and the sticky header covers the top of the scroller.
    scrollMargin: headHeight,
    scrollPaddingStart: headHeight,
  });
  const selectedIndex = Math.max(0, artifacts.findIndex((a) => a.id === selectedId));
  const setActive = useCallback((i: number) => artifacts[i] && onSelect(artifacts[i].id), [artifacts, onSelect]);
  const scrollToIndex = useCallback((i: number) => virtualizer.scrollToIndex(i), [virtualizer]);
  const nav = useRowNavigation<HTMLTableSectionElement>({
    count: artifacts.length,
    active: selectedIndex,
    setActive,
    onActivate: setActive,
    scrollToIndex,
  });

  const items = virtualizer.getVirtualItems();
  // Roving tabindex needs a rendered row: if the selected one is scrolled out of the DOM, the first
  // rendered row takes the tab stop (otherwise Chromium would focus the bare scroller instead).
  const tabbable = items.some((i) => i.index === selectedIndex) ? selectedIndex : (items[0]?.index ?? 0);
  const padTop = items[0] ? items[0].start - headHeight : 0;
  const padBottom = virtualizer.getTotalSize() + headHeight - (items[items.length - 1]?.end ?? headHeight);

  return (
    <div className="table-scroll" ref={scrollRef}>
      <table className="data-table artifacts-table" aria-rowcount={artifacts.length + 1}>
        <caption className="visually-hidden">Artifacts. Use the arrow keys to move between rows.</caption>
        <thead ref={headRef}>
          <tr>
            <th scope="col" className="col-name">Name</th>
            <th scope="col" className="col-storage">Storage</th>
            <th scope="col" className="col-size num">Size</th>
            <th scope="col" className="col-hash">SHA-256 / resource</th>
            <th scope="col" className="col-state">State</th>
            <th scope="col" className="col-verify">Last verification</th>
          </tr>
        </thead>
        <tbody ref={nav.ref} onKeyDown={nav.onKeyDown}>
          {padTop > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={6} style={{ height: padTop }} />
            </tr>
          )}
          {items.map((item) => {
            const a = artifacts[item.index]!;
            const selected = a.id === selectedId;
            const size = sizeCell(a);
            return (
              <tr
                key={a.id}
                data-row-index={item.index}
                aria-rowindex={item.index + 2}
                aria-current={selected ? 'true' : undefined}
                tabIndex={item.index === tabbable ? 0 : -1}
                className={selected ? 'row selected' : 'row'}
                onClick={() => onSelect(a.id)}
                onFocus={() => !selected && onSelect(a.id)}
              >
                <td className="cell-name" title={a.segments ? `${a.name} and its ${a.segments.length - 1} other segments, one artifact` : a.name}>
                  {a.name}
                  {a.segments && <span className="muted"> · {a.segments.length} segments</span>}
                </td>
                <td>{storageLabel(a)}</td>
                <td className="num" title={size.title}>
                  {size.text}
                </td>
                <td>
                  <Fingerprint a={a} />
                </td>
                <td>
                  <StateBadge state={a.state} />
                </td>
                <td>
                  <VerificationBadge artifact={a} timeZone={timeZone} />
                </td>
              </tr>
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={6} style={{ height: padBottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** One page of custody events; a row expands to its full details JSON and hashes. */
import { Fragment, useState } from 'react';
import type { Artifact, CustodyEvent } from '../../../../shared/types.js';
import { formatTime, summariseDetails } from '../../lib/format.js';
import { useRowNavigation } from '../../lib/use-row-navigation.js';

interface Props {
  events: CustodyEvent[];
  artifacts: Artifact[];
  timeZone: string;
}

/** The events table. */
export function CustodyTable({ events, artifacts, timeZone }: Props) {
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const [active, setActive] = useState(0);
  const toggle = (seq: number): void =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });
  const nav = useRowNavigation<HTMLTableSectionElement>({
    count: events.length,
    active,
    setActive,
    onActivate: (i) => events[i] && toggle(events[i].seq),
  });
  const names = new Map(artifacts.map((a) => [a.id, a.name]));

  return (
    <div className="table-scroll">
      <table className="data-table custody-table">
        <caption className="visually-hidden">Custody events. Arrow keys move between rows; Enter shows an event's details.</caption>
        <thead>
          <tr>
            <th scope="col" className="col-seq">#</th>
            <th scope="col" className="col-time">Time ({timeZone})</th>
            <th scope="col" className="col-examiner">Examiner</th>
            <th scope="col" className="col-ws">Workstation</th>
            <th scope="col" className="col-action">Action</th>
            <th scope="col" className="col-artifact">Artifact</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody ref={nav.ref} onKeyDown={nav.onKeyDown}>
          {events.map((e, i) => {
            const open = expanded.has(e.seq);
            return (
              <Fragment key={e.seq}>
                <tr
                  data-row-index={i}
                  tabIndex={i === active ? 0 : -1}
                  className={open ? 'row expanded' : 'row'}
                  onClick={() => {
                    setActive(i);
                    toggle(e.seq);
                  }}
                  onFocus={() => setActive(i)}
                >
                  <td className="num">
                    {/* Out of the tab order (the row is the stop, Enter toggles); still a real control for assistive tech. */}
                    <button
                      type="button"
                      className="disclosure"
                      tabIndex={-1}
                      aria-expanded={open}
                      aria-label={`Details of event ${e.seq}`}
                      onClick={(ev) => {
                        ev.stopPropagation();
                        setActive(i);
                        toggle(e.seq);
                      }}
                    >
                      {open ? '▾' : '▸'}
                    </button>{' '}
                    {e.seq}
                  </td>
                  <td className="mono" title={`${e.at} (UTC)`}>
                    {formatTime(e.at, timeZone)}
                  </td>
                  <td title={e.examiner}>{e.examiner}</td>
                  <td title={e.workstation}>{e.workstation}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td className="cell-name" title={e.artifactId ?? undefined}>
                    {e.artifactId ? (names.get(e.artifactId) ?? e.artifactId) : <span className="muted">—</span>}
                  </td>
                  <td className="cell-details">{summariseDetails(e.details)}</td>
                </tr>
                {open && (
                  <tr className="detail-row">
                    <td colSpan={7}>
                      <dl className="kv">
                        <dt>Recorded (UTC)</dt>
                        <dd className="mono">{e.at}</dd>
                        <dt>Event hash</dt>
                        <dd>
                          <code className="hash hash-full">{e.hash}</code>
                        </dd>
                        <dt>Previous hash</dt>
                        <dd>
                          <code className="hash hash-full">{e.prevHash}</code>
                        </dd>
                        <dt>Details</dt>
                        <dd>
                          <pre className="json">{JSON.stringify(e.details, null, 2)}</pre>
                        </dd>
                      </dl>
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

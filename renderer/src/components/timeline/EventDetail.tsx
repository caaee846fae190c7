/** One event in full: every stored field, the log file it came from, the raw record, and Pin to note. */
import { Fragment, useMemo, useState } from 'react';
import type { Note, TimelineEventDetail } from '../../../../shared/types.js';
import { formatTimeWithZone } from '../../lib/format.js';
import { useBridge } from '../../lib/bridge-context.js';
import { useQuery } from '../../lib/use-query.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { PinDialog } from './PinDialog.js';

function prettyJson(text: string | null): string | null {
  if (text === null) return null;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Shown as stored: the raw record is evidence and must be visible even if it does not parse.
    return text;
  }
}

function yesNo(v: boolean | null): string {
  return v === null ? '—' : v ? 'yes' : 'no';
}

/** The side panel for the selected row. */
export function EventDetail({
  caseId,
  eventId,
  timeZone,
  highlights,
  onClose,
}: {
  caseId: string;
  eventId: string;
  timeZone: string;
  /** Titles of the highlight rules that flagged this event, when highlights are shown. */
  highlights?: string[] | undefined;
  onClose: () => void;
}) {
  const { api } = useBridge();
  const detail = useQuery(() => api.timeline.event({ caseId, eventId }), [caseId, eventId]);
  const [pinning, setPinning] = useState(false);
  const [pinned, setPinned] = useState<Note | null>(null);
  const e = detail.data;
  const raw = useMemo(() => (e ? prettyJson(e.raw) : null), [e]);

  const rows = (ev: TimelineEventDetail): [string, string | null][] => [
    ['Time (UTC)', ev.eventTime],
    ['Event source', ev.eventSource],
    ['Event name', ev.eventName],
    ['Event type', ev.eventType],
    ['Category', ev.eventCategory],
    ['Read-only', yesNo(ev.readOnly)],
    ['Region', ev.awsRegion],
    ['Account', ev.accountId],
    ['Identity type', ev.identityType],
    ['Identity ARN', ev.identityArn],
    ['User name', ev.userName],
    ['Principal ID', ev.principalId],
    ['Access key ID', ev.accessKeyId],
    ['Session issuer', ev.sessionIssuerArn],
    ['MFA', yesNo(ev.mfaAuthenticated)],
    ['Source IP', ev.sourceIp],
    ['User agent', ev.userAgent],
    ['Error code', ev.errorCode],
    ['Error message', ev.errorMessage],
    ['Request ID', ev.requestId],
    ['Resources', ev.resources.length ? ev.resources.join('\n') : null],
  ];

  return (
    <aside className="detail-panel tl-detail" aria-label="Event detail">
      <div className="detail-head">
        <h2>{e ? e.eventName : 'Event'}</h2>
        <button type="button" className="icon-button" aria-label="Close event detail" onClick={onClose}>
          ×
        </button>
      </div>
      <ErrorMessage error={detail.error} />
      {e && (
        <>
          <p className="small">
            <span className="mono">{formatTimeWithZone(e.eventTime, timeZone)}</span>
          </p>
          <div className="detail-badges">
            <code className="small" title="Event ID">
              {e.eventId}
            </code>
            <button type="button" className="primary" onClick={() => setPinning(true)}>
              Pin to note…
            </button>
          </div>
          {highlights && highlights.length > 0 && (
            <p className="tl-detail-highlights small">
              {highlights.map((t) => (
                <span key={t} className="badge badge-warn">
                  ⚑ Highlight: {t}
                </span>
              ))}
            </p>
          )}
          {pinned && (
            <p className="result-box result-ok small" role="status">
              Pinned to note “{pinned.title}” (revision {pinned.revision}).
            </p>
          )}
          <dl className="kv compact tl-fields">
            {rows(e).map(([k, v]) => (
              <Fragment key={k}>
                <dt>{k}</dt>
                <dd className={v === null ? 'muted' : 'mono'}>{v ?? '—'}</dd>
              </Fragment>
            ))}
          </dl>
          <h3>Log file</h3>
          <dl className="kv compact">
            <dt>Name</dt>
            <dd>{e.source.name}</dd>
            <dt>SHA-256</dt>
            <dd>
              <code className="hash hash-full">{e.source.sha256}</code>
            </dd>
            <dt>Record offset</dt>
            <dd className="mono">{e.source.offset.toLocaleString('en-US')} (uncompressed bytes)</dd>
          </dl>
          {(
            [
              ['Request parameters', e.requestParameters],
              ['Response elements', e.responseElements],
              ['Additional event data', e.additionalEventData],
            ] as const
          ).map(([label, value]) =>
            value && value !== 'null' ? (
              <details key={label}>
                <summary>{label}</summary>
                <pre className="json">{prettyJson(value)}</pre>
              </details>
            ) : null,
          )}
          <h3>Raw record</h3>
          <pre className="json tl-raw" aria-label="Raw record JSON" tabIndex={0}>
            {raw}
          </pre>
        </>
      )}
      {pinning && e && (
        <PinDialog
          caseId={caseId}
          event={e}
          onClose={() => setPinning(false)}
          onPinned={(note) => {
            setPinned(note);
            setPinning(false);
          }}
        />
      )}
    </aside>
  );
}

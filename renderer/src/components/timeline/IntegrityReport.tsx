/** The result of logs.validate as a report: verdict, counts, hour by hour, gaps, key problems and every file. */
import { useMemo, useState } from 'react';
import type { LogsValidationReport } from '../../../../shared/contract-logs-validate.js';
import { formatTimeWithZone } from '../../lib/format.js';
import { IntegrityFileTable, type FileRow } from './IntegrityFileTable.js';
import { countWords, DIGEST_MEANING, DIGEST_STATUS, headline, hourVerdict, keyName, LOG_MEANING, LOG_STATUS } from './integrity-words.js';

interface Props {
  report: LogsValidationReport;
  timeZone: string;
  onClose: () => void;
}

/** Problems listed in full above the table; the table holds every file. */
const PROBLEM_LIST_CAP = 200;

const GAP_KIND: Record<LogsValidationReport['gaps'][number]['kind'], string> = {
  restart: 'The chain starts again: logging or validation was off in between',
  time: 'Consecutive digests do not meet in time',
  'before-first': 'The chain starts after the start of the range',
  'after-last': 'The range reaches past the newest digest',
};

/** The report panel; "only problems" hides what is valid. */
export function IntegrityReport({ report: r, timeZone, onClose }: Props) {
  const [onlyProblems, setOnlyProblems] = useState(!r.ok);
  const files = useMemo<FileRow[]>(
    () => [
      ...r.digests.map((d) => ({ kind: 'digest' as const, s3Key: d.s3Key, hour: d.digestStartTime, status: d.status, reason: d.reason, notes: d.notes })),
      ...r.logs.map((l) => ({ kind: 'log' as const, s3Key: l.s3Key, hour: l.hour, status: l.status, reason: l.reason, notes: [] })),
    ].sort((a, b) => (a.hour ?? '').localeCompare(b.hour ?? '') || a.kind.localeCompare(b.kind) || a.s3Key.localeCompare(b.s3Key)),
    [r],
  );
  const problems = files.filter((f) => f.status !== 'valid');
  const shownFiles = onlyProblems ? files.filter((f) => f.status !== 'valid') : files;
  const hours = onlyProblems ? r.hours.filter((h) => !h.ok) : r.hours;
  const { logs: l, digests: d } = r.counts;
  const counts: [string, number, boolean][] = [
    ['Valid log files', l.valid, false],
    ['Invalid log files', l.invalid, true],
    ['Missing log files', l.missing, true],
    ['Not covered by any digest', l['not-covered'], true],
    ['Not verified', l['not-verified'], true],
    ['Valid digest files', d.valid, false],
    ['Invalid digest files', d.invalid, true],
    ['Missing digest files', d.missing, true],
    ['Gaps in the digest chain', r.counts.gaps, true],
  ];

  return (
    <section className="iv-report" aria-labelledby="iv-title">
      <div className="section-head">
        <h2 id="iv-title">CloudTrail integrity report</h2>
        <button type="button" onClick={onClose}>
          Back to events
        </button>
      </div>
      <p className="small muted">
        Validated {formatTimeWithZone(r.validatedAt, timeZone)}
        {timeZone === 'UTC' ? '' : ` (${r.validatedAt} UTC)`} from the case's copies, offline. Recorded in
        custody as event #{r.custodySeq} (logs.validated).
      </p>
      <p className={r.ok ? 'result-box result-ok iv-verdict' : 'result-box result-bad iv-verdict'} role="status">
        {headline(r)}
      </p>
      <dl className="iv-counts">
        {counts.map(([label, n, bad]) => (
          <div key={label} className={bad && n > 0 ? 'iv-count bad' : 'iv-count'}>
            <dt>{label}</dt>
            <dd>{n.toLocaleString('en-US')}</dd>
          </div>
        ))}
      </dl>
      <label className="choice iv-only">
        <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} />
        <span>Show only problems</span>
      </label>

      {problems.length > 0 && (
        <>
          <h3>Files with a problem</h3>
          <ol className="iv-list iv-problems">
            {problems.slice(0, PROBLEM_LIST_CAP).map((f) => {
              const status = f.kind === 'log' ? LOG_STATUS[f.status as keyof typeof LOG_STATUS] : DIGEST_STATUS[f.status as keyof typeof DIGEST_STATUS];
              const meaning = f.kind === 'log' ? LOG_MEANING[f.status as keyof typeof LOG_MEANING] : DIGEST_MEANING[f.status as keyof typeof DIGEST_MEANING];
              return (
                <li key={`${f.kind}:${f.s3Key}`}>
                  {f.kind === 'log' ? 'Log file' : 'Digest file'} <code>{keyName(f.s3Key)}</code>: <strong>{status}</strong>. {meaning}
                  {f.reason && <span className="iv-reason"> Detail: {f.reason}.</span>}
                  <br />
                  <span className="muted small mono">{f.s3Key}</span>
                </li>
              );
            })}
          </ol>
          {problems.length > PROBLEM_LIST_CAP && (
            <p className="muted small">The first {PROBLEM_LIST_CAP} are listed; the table below holds all {problems.length}.</p>
          )}
        </>
      )}

      {r.keyProblems.length > 0 && (
        <>
          <h3>Public key problems</h3>
          <ul className="iv-list">
            {r.keyProblems.map((k) => (
              <li key={k.fingerprint}>
                <code>{k.fingerprint}</code>: {k.problem}
              </li>
            ))}
          </ul>
        </>
      )}

      {r.gaps.length > 0 && (
        <>
          <h3>Gaps in the digest chain</h3>
          <ul className="iv-list">
            {r.gaps.map((g) => (
              <li key={`${g.stream}:${g.from}:${g.kind}`}>
                <strong>{GAP_KIND[g.kind]}</strong>: from {g.from} to {g.to} UTC ({g.stream}). {g.message}
              </li>
            ))}
          </ul>
        </>
      )}

      <h3>Hour by hour (UTC)</h3>
      {hours.length === 0 ? (
        <p className="muted small">{onlyProblems ? 'No hour has a problem.' : 'No hours covered.'}</p>
      ) : (
        <div className="table-scroll iv-hours-scroll" tabIndex={0} aria-label="Hours and their integrity">
          <table className="data-table compact iv-hours">
            <thead>
              <tr>
                <th scope="col">Hour (UTC)</th>
                <th scope="col">Log files</th>
                <th scope="col">Digest files</th>
                <th scope="col">Chain</th>
                <th scope="col">Verdict</th>
              </tr>
            </thead>
            <tbody>
              {hours.map((h) => (
                <tr key={h.hour} className={h.ok ? 'row' : 'row iv-bad-hour'}>
                  <td className="mono">{h.hour.slice(0, 13).replace('T', ' ')}:00</td>
                  <td>{countWords(h.logs, LOG_STATUS)}</td>
                  <td>{countWords(h.digests, DIGEST_STATUS)}</td>
                  <td>{h.gap ? <span className="badge badge-bad">gap</span> : 'linked'}</td>
                  <td>
                    <span className={h.ok ? 'badge badge-ok' : 'badge badge-bad'}>{hourVerdict(h)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3>
        Files ({shownFiles.length.toLocaleString('en-US')}
        {onlyProblems ? ` with a problem, of ${files.length.toLocaleString('en-US')}` : ''})
      </h3>
      <IntegrityFileTable rows={shownFiles} />
    </section>
  );
}

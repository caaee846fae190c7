/** The time range and region fields the three log acquisition forms share. Times are typed in the case's zone. */
import { useId } from 'react';
import { TextField } from '../Field.js';
import type { RangeCheck } from './logs-acquire-text.js';

interface RangeProps {
  from: string;
  to: string;
  onFrom: (v: string) => void;
  onTo: (v: string) => void;
  check: RangeCheck;
  timeZone: string;
  /** Only flag problems once the examiner has tried to submit or typed something. */
  showProblems: boolean;
}

/** From and To, each with its problem or its UTC reading underneath. */
export function LogRangeFields({ from, to, onFrom, onTo, check, timeZone, showProblems }: RangeProps) {
  const utc = (side: 'from' | 'to'): string | undefined => {
    if (check.range) return `${check.range[side]} in UTC`;
    return undefined;
  };
  const problem = (side: 'from' | 'to', value: string): string | undefined => (showProblems || value ? check.problems[side] : undefined);
  return (
    <>
      <TextField
        label={`From (${timeZone})`}
        value={from}
        onChange={(e) => onFrom(e.target.value)}
        placeholder="2024-03-01 10:00"
        required
        spellCheck={false}
        aria-invalid={problem('from', from) ? true : undefined}
        hint={problem('from', from) ?? utc('from') ?? 'YYYY-MM-DD HH:MM[:SS], inclusive'}
      />
      <TextField
        label={`To (${timeZone})`}
        value={to}
        onChange={(e) => onTo(e.target.value)}
        placeholder="2024-03-01 13:00"
        required
        spellCheck={false}
        aria-invalid={problem('to', to) ? true : undefined}
        hint={problem('to', to) ?? utc('to') ?? 'YYYY-MM-DD HH:MM[:SS], exclusive'}
      />
    </>
  );
}

interface RegionProps {
  label: string;
  value: string;
  regions: readonly string[];
  onChange: (v: string) => void;
  hint?: string;
}

/** A region of the connection; the job refuses any other. */
export function RegionSelect({ label, value, regions, onChange, hint }: RegionProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={hint ? `${id}-hint` : undefined}>
        {regions.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
    </div>
  );
}

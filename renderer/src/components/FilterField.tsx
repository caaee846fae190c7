/** Parts of the filter forms (Timeline, Flows): a labelled text input with its hint, the From/To pair, Apply and Clear. */
import { utcHint } from '../lib/wall-time.js';

interface FieldProps {
  id: string;
  className: string;
  label: string;
  value: string;
  placeholder: string;
  mono?: boolean;
  disabled?: boolean;
  /** Why the input could not be read; shown instead of the hint and marks the input invalid. */
  problem?: string;
  hint?: string;
  onChange: (value: string) => void;
}

/** One text input of a filter form; the problem, else the hint, is its description. */
export function FilterField({ id, className, label, value, placeholder, mono, disabled, problem, hint, onChange }: FieldProps) {
  const shown = problem ?? hint;
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className={mono ? 'mono' : undefined}
        value={value}
        placeholder={placeholder}
        disabled={disabled}
        aria-invalid={problem ? true : undefined}
        aria-describedby={shown ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
        autoComplete="off"
      />
      {shown && (
        <span id={`${id}-hint`} className={problem ? 'hint error-text' : 'hint'}>
          {shown}
        </span>
      )}
    </div>
  );
}

interface RangeProps {
  /** Prefix of the two inputs' ids (`<idBase>-from`, `<idBase>-to`). */
  idBase: string;
  /** Prefix of each field's own class, e.g. `tl-field-` gives `tl-field-from`. */
  classPrefix: string;
  from: string;
  to: string;
  problems: { from?: string; to?: string };
  timeZone: string;
  onChange: (key: 'from' | 'to', value: string) => void;
}

/** From and To (exclusive), typed as wall-clock time in the case's zone; each hint shows the UTC reading. */
export function TimeRangeFields({ idBase, classPrefix, from, to, problems, timeZone, onChange }: RangeProps) {
  const field = (key: 'from' | 'to', label: string, value: string) => (
    <FilterField
      id={`${idBase}-${key}`}
      className={`tl-field ${classPrefix}${key}`}
      label={`${label} (${timeZone})`}
      value={value}
      placeholder="YYYY-MM-DD HH:MM:SS"
      mono
      problem={problems[key]}
      hint={utcHint(value, timeZone)}
      onChange={(v) => onChange(key, v)}
    />
  );
  return (
    <>
      {field('from', 'From', from)}
      {field('to', 'To, exclusive', to)}
    </>
  );
}

/** Apply (the form's submit, so Enter in any field applies too) and Clear. */
export function FilterActions({ onClear }: { onClear: () => void }) {
  return (
    <div className="tl-actions">
      <button type="submit" className="primary">
        Apply
      </button>
      <button type="button" onClick={onClear}>
        Clear
      </button>
    </div>
  );
}

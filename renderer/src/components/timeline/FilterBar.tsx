/** The timeline's filter form: every field the contract filters on, times in the case's zone. */
import { useId, type FormEvent } from 'react';
import type { TextIndexInfo } from '../../../../shared/types.js';
import { wallTimeToUtc, type Converted, type FilterDraft } from './timeline-filters.js';

interface Props {
  draft: FilterDraft;
  onChange: (draft: FilterDraft) => void;
  onApply: () => void;
  onClear: () => void;
  problems: Converted['problems'];
  timeZone: string;
  textIndex: TextIndexInfo | null;
}

type TextKey = Exclude<keyof FilterDraft, 'readOnly'>;

const FIELDS: { key: TextKey; label: string; placeholder: string; mono?: boolean }[] = [
  { key: 'eventSource', label: 'Event source', placeholder: 'iam.amazonaws.com' },
  { key: 'eventName', label: 'Event name', placeholder: 'CreateAccessKey, StopLogging' },
  { key: 'identityArn', label: 'Identity ARN', placeholder: 'arn:aws:iam::…', mono: true },
  { key: 'accessKeyId', label: 'Access key ID', placeholder: 'AKIA…', mono: true },
  { key: 'sourceIp', label: 'Source IP', placeholder: '203.0.113.9', mono: true },
  { key: 'region', label: 'Region', placeholder: 'eu-west-1' },
  { key: 'accountId', label: 'Account', placeholder: '111122223333', mono: true },
  { key: 'userAgentPrefix', label: 'User agent starts with', placeholder: 'aws-cli/' },
];

/** The form; Enter in any field applies it. */
export function FilterBar({ draft, onChange, onApply, onClear, problems, timeZone, textIndex }: Props) {
  const base = useId();
  const set = (key: keyof FilterDraft, value: string): void => onChange({ ...draft, [key]: value });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    onApply();
  };
  const textReady = textIndex !== null && textIndex.state !== 'none';
  const textNote = !textReady
    ? 'Available once the text index job has run.'
    : textIndex.state === 'partial'
      ? 'Index incomplete: the newest events are not searched yet.'
      : 'Phrase search over the raw record.';

  const input = (key: TextKey, label: string, placeholder: string, mono = false, extra?: { disabled?: boolean; hint?: string }) => {
    const id = `${base}-${key}`;
    const problem = problems[key];
    const hint = problem ?? extra?.hint;
    return (
      <div className={`tl-field tl-field-${key}`} key={key}>
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          className={mono ? 'mono' : undefined}
          value={draft[key]}
          placeholder={placeholder}
          disabled={extra?.disabled}
          aria-invalid={problem ? true : undefined}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(e) => set(key, e.target.value)}
          spellCheck={false}
          autoComplete="off"
        />
        {hint && (
          <span id={`${id}-hint`} className={problem ? 'hint error-text' : 'hint'}>
            {hint}
          </span>
        )}
      </div>
    );
  };

  const utcHint = (key: 'from' | 'to'): string | undefined => {
    const utc = draft[key].trim() ? wallTimeToUtc(draft[key], timeZone) : null;
    return utc ? `= ${utc.replace('.000Z', 'Z')} UTC` : undefined;
  };

  return (
    <form className="tl-filters" onSubmit={submit} aria-label="Timeline filters">
      <div className="tl-filter-grid">
        {input('from', `From (${timeZone})`, 'YYYY-MM-DD HH:MM:SS', true, { hint: utcHint('from') })}
        {input('to', `To, exclusive (${timeZone})`, 'YYYY-MM-DD HH:MM:SS', true, { hint: utcHint('to') })}
        {FIELDS.map((f) => input(f.key, f.label, f.placeholder, f.mono))}
        <div className="tl-field">
          <label htmlFor={`${base}-errorMode`}>Error code</label>
          <div className="field-row">
            <select
              id={`${base}-errorMode`}
              className="tl-error-mode"
              value={draft.errorCode.trim() === '*' ? 'any' : 'list'}
              onChange={(e) => set('errorCode', e.target.value === 'any' ? '*' : '')}
            >
              <option value="list">codes:</option>
              <option value="any">any error</option>
            </select>
            <input
              aria-label="Error codes"
              value={draft.errorCode.trim() === '*' ? '' : draft.errorCode}
              placeholder={draft.errorCode.trim() === '*' ? '' : 'AccessDenied'}
              disabled={draft.errorCode.trim() === '*'}
              onChange={(e) => set('errorCode', e.target.value)}
              autoComplete="off"
            />
          </div>
        </div>
        <div className="tl-field">
          <label htmlFor={`${base}-readOnly`}>Read-only</label>
          <select id={`${base}-readOnly`} value={draft.readOnly} onChange={(e) => set('readOnly', e.target.value)}>
            <option value="any">any</option>
            <option value="yes">yes (reads)</option>
            <option value="no">no (changes)</option>
          </select>
        </div>
        {input('text', 'Free text', textReady ? 'phrase in the raw record' : 'not indexed yet', false, {
          disabled: !textReady,
          hint: textNote,
        })}
        <div className="tl-actions">
          <button type="submit" className="primary">
            Apply
          </button>
          <button type="button" onClick={onClear}>
            Clear
          </button>
        </div>
      </div>
    </form>
  );
}

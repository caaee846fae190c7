/** The timeline's filter form: every field the contract filters on, times in the case's zone. */
import { useId, type FormEvent } from 'react';
import { EVENT_IDS_CAP } from '../../../../shared/contract-logs.js';
import type { TextIndexInfo } from '../../../../shared/types.js';
import { FilterActions, FilterField, TimeRangeFields } from '../FilterField.js';
import type { Converted, FilterDraft } from './timeline-filters.js';

interface Props {
  draft: FilterDraft;
  onChange: (draft: FilterDraft) => void;
  onApply: () => void;
  onClear: () => void;
  problems: Converted['problems'];
  timeZone: string;
  textIndex: TextIndexInfo | null;
  /** A highlight rule the timeline is focused on, shown as a removable chip. */
  focus?: HighlightFocusChip | null;
  onEndFocus?: () => void;
}

/** What the chip says: the rule, how many events, and whether they are exactly the rule's (eventIds) or its span. */
export interface HighlightFocusChip {
  title: string;
  count: number;
  exact: boolean;
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
export function FilterBar({ draft, onChange, onApply, onClear, problems, timeZone, textIndex, focus, onEndFocus }: Props) {
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

  const input = (key: TextKey, label: string, placeholder: string, mono = false, extra?: { disabled?: boolean; hint?: string }) => (
    <FilterField
      key={key}
      id={`${base}-${key}`}
      className={`tl-field tl-field-${key}`}
      label={label}
      value={draft[key]}
      placeholder={placeholder}
      mono={mono}
      disabled={extra?.disabled}
      problem={problems[key]}
      hint={extra?.hint}
      onChange={(v) => set(key, v)}
    />
  );

  return (
    <form className="tl-filters" onSubmit={submit} aria-label="Timeline filters">
      {focus && <FocusChip focus={focus} onRemove={onEndFocus} />}
      <div className="tl-filter-grid">
        <TimeRangeFields idBase={base} classPrefix="tl-field-" from={draft.from} to={draft.to} problems={problems} timeZone={timeZone} onChange={set} />
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
        <FilterActions onClear={onClear} />
      </div>
    </form>
  );
}

/** The highlight focus above the fields: a chip for the exact filter, a chip and a note for the span fallback. */
function FocusChip({ focus, onRemove }: { focus: HighlightFocusChip; onRemove: (() => void) | undefined }) {
  const n = focus.count.toLocaleString('en-US');
  const label = `Highlight: ${focus.title} (${n} event${focus.count === 1 ? '' : 's'})`;
  return (
    <div className="tl-chips">
      <span className={focus.exact ? 'tl-chip' : 'tl-chip tl-chip-approx'}>
        <span>{label}</span>
        {onRemove && (
          <button type="button" className="tl-chip-remove" aria-label={`Remove filter ${label}`} title="Remove this filter" onClick={onRemove}>
            ×
          </button>
        )}
      </span>
      {!focus.exact && (
        <p className="warning small" role="note">
          This rule flagged {n} events, more than the {EVENT_IDS_CAP.toLocaleString('en-US')} one filter can name. The timeline shows their time
          span and event names instead, which can include events the rule did not flag; ⚑ marks the ones it did.
        </p>
      )}
    </div>
  );
}

/** The Flows filter form: address, port, protocol, action, interface, time in the case's zone, and the CloudTrail link. */
import { useId, type FormEvent } from 'react';
import { FilterActions, FilterField, TimeRangeFields } from '../FilterField.js';
import type { FlowConverted, FlowDraft } from './flow-filters.js';

interface Props {
  draft: FlowDraft;
  onChange: (draft: FlowDraft) => void;
  onApply: (draft: FlowDraft) => void;
  onClear: () => void;
  problems: FlowConverted['problems'];
  timeZone: string;
}

type TextKey = 'from' | 'to' | 'address' | 'port' | 'protocol' | 'interfaceId';

/** Enter in any field applies the form; the checkbox applies at once. */
export function FlowFilterBar({ draft, onChange, onApply, onClear, problems, timeZone }: Props) {
  const base = useId();
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    onApply(draft);
  };
  const set = (key: TextKey, value: string): void => onChange({ ...draft, [key]: value });
  const input = (key: TextKey, label: string, placeholder: string, hint?: string) => (
    <FilterField
      id={`${base}-${key}`}
      className={`tl-field fl-field-${key}`}
      label={label}
      value={draft[key]}
      placeholder={placeholder}
      mono
      problem={problems[key]}
      hint={hint}
      onChange={(v) => set(key, v)}
    />
  );

  return (
    <form className="tl-filters" onSubmit={submit} aria-label="Flow filters">
      <div className="tl-filter-grid fl-filter-grid">
        <TimeRangeFields idBase={base} classPrefix="fl-field-" from={draft.from} to={draft.to} problems={problems} timeZone={timeZone} onChange={set} />
        {input('address', 'Address', '10.0.1.5', 'Source or destination')}
        {input('port', 'Port', '443', 'Source or destination')}
        {input('protocol', 'Protocol', 'TCP, UDP, ICMP or 6')}
        <div className="tl-field">
          <label htmlFor={`${base}-action`}>Action</label>
          <select id={`${base}-action`} value={draft.action} onChange={(e) => onChange({ ...draft, action: e.target.value as FlowDraft['action'] })}>
            <option value="">any</option>
            <option value="ACCEPT">ACCEPT</option>
            <option value="REJECT">REJECT</option>
          </select>
        </div>
        {input('interfaceId', 'Interface', 'eni-…')}
        <label className="choice fl-touching">
          <input
            type="checkbox"
            checked={draft.touchingCloudTrail}
            onChange={(e) => {
              const next = { ...draft, touchingCloudTrail: e.target.checked };
              onChange(next);
              onApply(next);
            }}
          />
          <span>Only flows touching an address seen in CloudTrail</span>
        </label>
        <FilterActions onClear={onClear} />
      </div>
    </form>
  );
}

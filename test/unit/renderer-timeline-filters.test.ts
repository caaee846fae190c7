/** The timeline filter form: wall-clock times in the case's zone become UTC, lists split on commas. */
import { describe, expect, it } from 'vitest';
import { addListValue, draftToFilters, emptyDraft, wallTimeToUtc } from '../../renderer/src/components/timeline/timeline-filters.js';

describe('wallTimeToUtc', () => {
  it('reads a wall time in the zone, across summer and winter time', () => {
    expect(wallTimeToUtc('2024-07-31 15:06:24', 'Europe/Berlin')).toBe('2024-07-31T13:06:24.000Z');
    expect(wallTimeToUtc('2024-01-15 15:06', 'Europe/Berlin')).toBe('2024-01-15T14:06:00.000Z');
    expect(wallTimeToUtc('2024-07-31T13:06:24.5', 'UTC')).toBe('2024-07-31T13:06:24.500Z');
    expect(wallTimeToUtc('2024-07-31', 'America/New_York')).toBe('2024-07-31T04:00:00.000Z');
    expect(wallTimeToUtc('2024-03-10 12:00', 'Asia/Kolkata')).toBe('2024-03-10T06:30:00.000Z');
  });
  it('refuses what is not a time', () => {
    expect(wallTimeToUtc('yesterday', 'UTC')).toBeNull();
    expect(wallTimeToUtc('2024-02-30 10:00', 'UTC')).toBeNull();
    expect(wallTimeToUtc('2024-07-31 25:00', 'UTC')).toBeNull();
  });
});

describe('draftToFilters', () => {
  it('converts every field and leaves empty ones out', () => {
    const { filters, problems } = draftToFilters(
      {
        ...emptyDraft, from: '2024-07-31 15:00', to: '2024-07-31 16:00', eventName: 'StopLogging, DeleteTrail, StopLogging',
        sourceIp: ' 203.0.113.9 ', errorCode: '*', readOnly: 'no', userAgentPrefix: ' aws-cli/ ', text: 'needle',
      },
      'Europe/Berlin',
    );
    expect(problems).toEqual({});
    expect(filters).toEqual({
      from: '2024-07-31T13:00:00.000Z', to: '2024-07-31T14:00:00.000Z', eventName: ['StopLogging', 'DeleteTrail'],
      sourceIp: ['203.0.113.9'], errorCode: 'any', readOnly: false, userAgentPrefix: 'aws-cli/', text: 'needle',
    });
    expect(draftToFilters(emptyDraft, 'UTC').filters).toEqual({});
  });
  it('names bad times and an empty range', () => {
    expect(draftToFilters({ ...emptyDraft, from: 'soon' }, 'UTC').problems.from).toMatch(/YYYY-MM-DD/);
    expect(draftToFilters({ ...emptyDraft, from: '2024-01-02', to: '2024-01-01' }, 'UTC').problems.to).toMatch(/after/);
  });
  it('adds facet values to a list once', () => {
    const d = addListValue(addListValue(emptyDraft, 'eventName', 'A'), 'eventName', 'B');
    expect(d.eventName).toBe('A, B');
    expect(addListValue(d, 'eventName', 'A')).toBe(d);
    expect(addListValue({ ...emptyDraft, errorCode: '*' }, 'errorCode', 'AccessDenied').errorCode).toBe('AccessDenied');
  });
});

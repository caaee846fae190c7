/** The pieces the filter forms and ingest dialogs share: the From/To reading, its UTC hint, the artifact checklist helpers. */
import { describe, expect, it } from 'vitest';
import { readableArtifacts, toggledSet } from '../../renderer/src/components/ArtifactChecklist.js';
import { readTimeRange, utcHint } from '../../renderer/src/lib/wall-time.js';
import type { Artifact } from '../../shared/types.js';

describe('readTimeRange', () => {
  it('reads both ends in the zone and leaves empty ones out', () => {
    expect(readTimeRange({ from: '2024-07-31 15:00', to: '' }, 'Europe/Berlin')).toEqual({ range: { from: '2024-07-31T13:00:00.000Z' }, problems: {} });
    expect(readTimeRange({ from: ' ', to: '2024-01-15 15:06' }, 'Europe/Berlin')).toEqual({ range: { to: '2024-01-15T14:06:00.000Z' }, problems: {} });
  });
  it('names an unreadable end, and a To not after From', () => {
    expect(readTimeRange({ from: 'yesterday', to: '2024-07-31 16:00' }, 'UTC').problems).toEqual({ from: 'Use YYYY-MM-DD HH:MM[:SS]' });
    expect(readTimeRange({ from: '2024-07-31 16:00', to: '2024-07-31 16:00' }, 'UTC').problems).toEqual({ to: 'Must be after From' });
  });
});

describe('utcHint', () => {
  it('shows the UTC reading without zero milliseconds, nothing for empty or unreadable input', () => {
    expect(utcHint('2024-07-31 15:06:24', 'Europe/Berlin')).toBe('= 2024-07-31T13:06:24Z UTC');
    expect(utcHint('2024-07-31 15:06:24.5', 'UTC')).toBe('= 2024-07-31T15:06:24.500Z UTC');
    expect(utcHint('', 'UTC')).toBeUndefined();
    expect(utcHint('soon', 'UTC')).toBeUndefined();
  });
});

describe('artifact checklist helpers', () => {
  it('offers only hashed files, never cloud references or unfinished copies', () => {
    const a = (id: string, state: Artifact['state'], kind: Artifact['kind']) => ({ id, state, kind }) as Artifact;
    expect(readableArtifacts([a('1', 'complete', 'file'), a('2', 'pending', 'file'), a('3', 'complete', 'cloud-ref')]).map((x) => x.id)).toEqual(['1']);
  });
  it('toggles an id in a new set, leaving the old one as it was', () => {
    const before = new Set(['a']);
    expect([...toggledSet(before, 'b')]).toEqual(['a', 'b']);
    expect([...toggledSet(before, 'a')]).toEqual([]);
    expect([...before]).toEqual(['a']);
  });
});

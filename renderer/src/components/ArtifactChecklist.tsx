/** A checkbox list of artifacts to read (ingest dialogs): name and size per line, a count in the legend. */
import type { Artifact } from '../../../shared/types.js';
import { formatBytes } from '../lib/format.js';

/** The artifacts whose bytes can be read: hashed (complete) files; cloud references (snapshots) have none. */
export function readableArtifacts(artifacts: readonly Artifact[]): Artifact[] {
  return artifacts.filter((a) => a.state === 'complete' && a.kind === 'file');
}

/** The set with id added, or removed when it was there; a new set, for React state. */
export function toggledSet(set: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(set);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

interface Props {
  /** What the files are, for the legend ("Log files (2 of 5 chosen)"). */
  noun: string;
  artifacts: readonly Artifact[];
  chosen: ReadonlySet<string>;
  onToggle: (id: string) => void;
}

/** One checkbox per artifact, labelled with its name so a test or screen reader finds it by name. */
export function ArtifactChecklist({ noun, artifacts, chosen, onToggle }: Props) {
  return (
    <fieldset className="choice-group tl-ingest-list">
      <legend>
        {noun} ({chosen.size} of {artifacts.length} chosen)
      </legend>
      {artifacts.map((a) => (
        <label key={a.id} className="choice">
          <input type="checkbox" checked={chosen.has(a.id)} onChange={() => onToggle(a.id)} />
          <span>
            {a.name} <span className="muted small">{formatBytes(a.size)}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

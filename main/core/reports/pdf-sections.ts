/** The larger blocks of the PDF custody form: artifact records, the events table and the signature block. */
import type { Artifact, CustodyEvent } from '../../../shared/types.js';
import { contentWidth, drawTable, ensureSpace, fitColumns, measure, place, type Cell, type Doc, type FontName } from './pdf-layout.js';
import { condenseDetails, formatBytes, formatUtc, truncate } from './pdf-text.js';

/** How many hex characters of each event hash the printed table shows. */
export const EVENT_HASH_PREFIX = 16;

interface Line {
  label: string;
  value: string;
  font: FontName;
  size: number;
}

const LABEL_W = 62;

/** A cloud reference: what it points at and what AWS said about it; it has no bytes and no hashes. */
function cloudLines(a: Artifact, text: (label: string, value: string) => Line): Line[] {
  const c = a.cloud!;
  const m = c.metadata;
  const str = (v: unknown) => (v === null || v === undefined || v === '' ? '?' : String(v));
  const lines = [
    text('Kind', 'cloud reference (no bytes in the case, so no size and no hashes)'),
    text('Resource', `${c.resourceId} (${c.resourceType}), account ${c.account}, region ${c.region}, ${c.provider.toUpperCase()}`),
    text('Volume', `${str(m.volumeId)}, ${str(m.sizeGiB)} GiB`),
    text('Encryption', m.encrypted === true ? `encrypted, KMS key ${str(m.kmsKeyId)}` : 'unencrypted'),
    text('AWS times', `started ${str(m.startTime)}, completed ${str(m.completionTime)}`),
  ];
  const from = m.copiedFrom as { snapshotId?: string; region?: string } | null | undefined;
  if (from) lines.push(text('Copied from', `${str(from.snapshotId)} (${str(from.region)})`));
  if (c.lock) lines.push(text('Lock', `${c.lock.mode} (${c.lock.state}) until ${str(c.lock.expiresOn)}, recorded ${formatUtc(c.lock.at)} UTC`));
  return lines;
}

function artifactLines(a: Artifact): Line[] {
  const text = (label: string, value: string): Line => ({ label, value, font: 'Helvetica', size: 8 });
  if (a.cloud) {
    const lines = [...cloudLines(a, text), text('Added', `by ${a.addedBy} at ${formatUtc(a.addedAt)} UTC`), text('Source', truncate(a.sourcePath, 400))];
    if (a.description) lines.push(text('Description', truncate(a.description, 400)));
    return lines;
  }
  const hash = (label: string, value: string | undefined): Line => ({
    label,
    value: value ?? `not hashed (state: ${a.state})`,
    font: value ? 'Courier' : 'Helvetica',
    size: 8.5,
  });
  const lines: Line[] = [
    text('Storage', `${a.storage} (state: ${a.state})`),
    text('Size (bytes)', formatBytes(a.size)),
    text('Added', `by ${a.addedBy} at ${formatUtc(a.addedAt)} UTC`),
    text('Source', truncate(a.sourcePath, 400)),
    text('Stored at', truncate(a.storedPath, 400)),
  ];
  if (a.description) lines.push(text('Description', truncate(a.description, 400)));
  if (a.lastVerification) {
    const v = a.lastVerification;
    lines.push(text('Last verified', `${v.result} at ${formatUtc(v.at)} UTC by ${v.by}`));
  }
  lines.push(hash('MD5', a.hashes?.md5), hash('SHA-1', a.hashes?.sha1), hash('SHA-256', a.hashes?.sha256));
  if (a.segments) lines.push(...segmentLines(a, text));
  return lines;
}

/** Segment lines printed per artifact; more would not fit the one page a record is kept on. */
export const PDF_SEGMENTS_MAX = 24;

/** A segmented artifact's files in order, each with its size and SHA-256; all three hashes are in the CSV/JSON. */
function segmentLines(a: Artifact, text: (label: string, value: string) => Line): Line[] {
  const segs = a.segments!;
  const ewf = /\.[es]01$/i.test(a.name);
  const lines = [
    text(
      'Segments',
      `${segs.length} files, in this order; the hashes above are of their bytes concatenated` +
        (ewf ? ' (the E01 set as stored, not the disk image inside it)' : ' (the disk image itself)') +
        '. Each file\'s MD5, SHA-1 and SHA-256 are in the artifact.added event of the CSV/JSON custody log.',
    ),
  ];
  segs.slice(0, PDF_SEGMENTS_MAX).forEach((seg, i) => {
    lines.push({ label: `  ${i + 1}`, value: `${seg.name}  ${seg.size} bytes  SHA-256 ${seg.sha256}`, font: 'Courier', size: 7 });
  });
  if (segs.length > PDF_SEGMENTS_MAX) lines.push(text('', `… and ${segs.length - PDF_SEGMENTS_MAX} more segments, ${segs.at(-1)!.name} last (see the CSV/JSON custody log).`));
  return lines;
}

/** One artifact as a record: a shaded title bar, then one line per attribute; each hash whole on its own line. */
function drawArtifact(doc: Doc, a: Artifact, index: number): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const title = `${index + 1}. ${truncate(a.name, 300)}`;
  const lines = artifactLines(a);
  const titleH = measure(doc, title, 'Helvetica-Bold', 9.5, width - 8) + 5;
  const heights = lines.map((l) => Math.max(measure(doc, l.value, l.font, l.size, width - LABEL_W), 9) + 1.5);
  ensureSpace(doc, titleH + heights.reduce((s, h) => s + h, 0) + 8);
  const top = doc.y;
  doc.rect(left, top, width, titleH).fillColor('#e4e4e4').fill();
  place(doc, title, left + 4, top + 2.5, width - 8, 'Helvetica-Bold', 9.5);
  let y = top + titleH + 2;
  lines.forEach((l, i) => {
    place(doc, l.label, left + 4, y, LABEL_W - 6, 'Helvetica-Bold', 8);
    place(doc, l.value, left + LABEL_W, y, width - LABEL_W, l.font, l.size);
    y += heights[i]!;
  });
  doc.moveTo(left, y + 2).lineTo(left + width, y + 2).lineWidth(0.4).strokeColor('#999999').stroke();
  doc.x = left;
  doc.y = y + 8;
}

/** All artifacts, each kept whole on one page. */
export function drawArtifacts(doc: Doc, artifacts: Artifact[]): void {
  if (artifacts.length === 0) {
    place(doc, 'No artifacts in this case.', doc.page.margins.left, doc.y, contentWidth(doc), 'Helvetica', 9);
    return;
  }
  artifacts.forEach((a, i) => drawArtifact(doc, a, i));
}

/** The custody events table; returns the page indices it covers (for the hash footnote). */
export function drawEvents(doc: Doc, events: CustodyEvent[], names: Map<string, string>): Set<number> {
  const pages = new Set<number>();
  if (events.length === 0) {
    place(doc, 'No custody events recorded.', doc.page.margins.left, doc.y, contentWidth(doc), 'Helvetica', 9);
    return pages;
  }
  const columns = fitColumns(doc, [
    { header: 'Seq', width: 24 },
    { header: 'Time (UTC)', width: 54 },
    { header: 'Examiner / workstation', width: 74 },
    { header: 'Action', width: 78 },
    { header: 'Artifact', width: 72 },
    { header: 'Details (condensed)', width: 128 },
    // Wide enough for the 16-character prefix and its ellipsis in 7 pt Courier on one line.
    { header: 'Event hash*', width: 82 },
  ]);
  const rows: Cell[][] = events.map((e) => [
    { text: String(e.seq), font: 'Helvetica-Bold' },
    { text: formatUtc(e.at) },
    { text: `${truncate(e.examiner, 80)}\n${truncate(e.workstation, 80)}`, multiline: true },
    { text: truncate(e.action, 80) },
    { text: e.artifactId ? truncate(names.get(e.artifactId) ?? e.artifactId, 100) : '\u2014' },
    { text: condenseDetails(e.details) },
    { text: `${e.hash.slice(0, EVENT_HASH_PREFIX)}\u2026`, font: 'Courier', size: 7 },
  ]);
  drawTable(doc, columns, rows, { fontSize: 7, onRow: (page) => pages.add(page) });
  return pages;
}

const SIGN_STEP = 40;

// Label above, then room to write by hand, then the line.
function signLine(doc: Doc, label: string, x: number, y: number, width: number): void {
  place(doc, label, x, y, width, 'Helvetica', 8);
  doc.moveTo(x, y + 32).lineTo(x + width, y + 32).lineWidth(0.6).strokeColor('#000000').stroke();
}

/** Released by / Received by with lines to sign, date-time and purpose; kept together on one page. */
export function drawSignatureBlock(doc: Doc, headHash: string): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  ensureSpace(doc, 330);
  place(doc, 'Transfer of custody', left, doc.y, width, 'Helvetica-Bold', 11.5);
  doc.moveDown(0.3);
  const intro =
    'The undersigned release and receive the evidence listed on this form, identified by the hashes above, ' +
    'with the custody log ending at this chain head:';
  place(doc, intro, left, doc.y, width, 'Helvetica', 8.5);
  doc.moveDown(0.2);
  place(doc, headHash || '(empty log)', left, doc.y, width, 'Courier', 8.5);
  let y = doc.y + 10;
  const gap = 24;
  const colW = (width - gap) / 2;
  for (const [i, title] of ['Released by', 'Received by'].entries()) {
    const x = left + i * (colW + gap);
    place(doc, title, x, y, colW, 'Helvetica-Bold', 10);
    let ly = y + 16;
    for (const label of ['Name', 'Organisation / badge', 'Signature', 'Date-time (UTC)']) {
      signLine(doc, label, x, ly, colW);
      ly += SIGN_STEP;
    }
  }
  y += 16 + 4 * SIGN_STEP + 6;
  place(doc, 'Purpose of transfer', left, y, width, 'Helvetica-Bold', 10);
  for (let i = 1; i <= 2; i++) {
    const ly = y + 8 + i * 26;
    doc.moveTo(left, ly).lineTo(left + width, ly).lineWidth(0.6).strokeColor('#000000').stroke();
  }
  doc.x = left;
  doc.y = y + 8 + 2 * 26 + 6;
}

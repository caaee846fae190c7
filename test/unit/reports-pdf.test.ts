import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { renderCustodyPdf } from '../../main/core/reports/custody-pdf.js';
import { makeCustodyData } from '../fixtures/reports/custody-data.js';

const popplerMissing = spawnSync('pdftotext', ['-v']).error !== undefined || spawnSync('pdfinfo', ['-v']).error !== undefined;
if (popplerMissing) console.warn('reports-pdf: pdftotext/pdfinfo (poppler-utils) not found; skipping the read-back tests');

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'caseward-reports-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function save(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return r.stdout;
}

function info(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of run('pdfinfo', ['-isodates', file]).split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

interface Word { page: number; x0: number; y0: number; x1: number; y1: number; text: string }

function words(file: string): { pages: Array<{ width: number; height: number }>; words: Word[] } {
  const xml = run('pdftotext', ['-bbox', file, '-']);
  const pages: Array<{ width: number; height: number }> = [];
  const list: Word[] = [];
  const re = /<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
  for (const m of xml.matchAll(re)) {
    if (m[1]) pages.push({ width: Number(m[1]), height: Number(m[2]) });
    else list.push({ page: pages.length - 1, x0: Number(m[3]), y0: Number(m[4]), x1: Number(m[5]), y1: Number(m[6]), text: m[7]! });
  }
  return { pages, words: list };
}

/** Words that leave the page's side margins, or whose boxes overlap another word's. */
function layoutFaults(file: string): string[] {
  const { pages, words: all } = words(file);
  const faults: string[] = [];
  const tol = 0.5;
  for (const w of all) {
    const p = pages[w.page]!;
    if (w.x0 < 42 - tol || w.x1 > p.width - 42 + tol || w.y0 < 0 || w.y1 > p.height) faults.push(`out of bounds p${w.page + 1}: ${w.text}`);
  }
  for (let page = 0; page < pages.length; page++) {
    const ws = all.filter((w) => w.page === page).sort((a, b) => a.y0 - b.y0);
    for (let i = 0; i < ws.length; i++) {
      for (let j = i + 1; j < ws.length && ws[j]!.y0 < ws[i]!.y1 - tol; j++) {
        const a = ws[i]!;
        const b = ws[j]!;
        if (Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > tol) faults.push(`overlap p${page + 1}: "${a.text}" / "${b.text}"`);
      }
    }
  }
  return faults;
}

function pdfkitBytes(draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 42 });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  draw(doc);
  doc.end();
  return done;
}

describe('layoutFaults (the checker the PDF tests rely on)', () => {
  it.skipIf(popplerMissing)('notices overlapping words and text past the right margin', async () => {
    const overlap = save('overlap.pdf', await pdfkitBytes((d) => d.text('ALPHA', 100, 100).text('BRAVO', 110, 102)));
    expect(layoutFaults(overlap).some((f) => f.startsWith('overlap'))).toBe(true);
    const cut = save('cut.pdf', await pdfkitBytes((d) => d.font('Courier').text('f'.repeat(64), 300, 100, { lineBreak: false })));
    expect(layoutFaults(cut).some((f) => f.startsWith('out of bounds'))).toBe(true);
    const fine = save('fine.pdf', await pdfkitBytes((d) => d.text('ALPHA', 100, 100).text('BRAVO', 100, 120)));
    expect(layoutFaults(fine)).toEqual([]);
  });
});

describe('renderCustodyPdf', () => {
  const data = makeCustodyData({ events: 40 });
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = await renderCustodyPdf(data);
  });

  it('is a PDF and is byte-for-byte reproducible for the same input', async () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    expect((await renderCustodyPdf(makeCustodyData({ events: 40 }))).equals(pdf)).toBe(true);
    const later = { ...makeCustodyData({ events: 40 }), generatedAt: '2024-06-02T00:00:00.000Z' };
    expect((await renderCustodyPdf(later)).equals(pdf)).toBe(false);
  });

  it('refuses a truncated event list', async () => {
    await expect(renderCustodyPdf({ ...data, events: data.events.slice(1) })).rejects.toThrow(/events/);
  });

  it.skipIf(popplerMissing)('carries metadata with CreationDate = generatedAt', () => {
    const meta = info(save('small.pdf', pdf));
    expect(meta.Title).toBe('Chain of Custody \u2014 case CW-2024-0042');
    expect(meta.Author).toBe('Zoë Examiner (Example DFIR Ltd)');
    expect(meta.Subject).toContain(data.verification.headHash);
    expect(meta.CreationDate).toMatch(/^2024-06-01T12:00:00(Z|\+00)/);
    expect(meta['Page size']).toMatch(/595\.2\d* x 841\.8\d* pts \(A4\)/);
  });

  it.skipIf(popplerMissing)('reads back the case, every hash, every event and the page numbers', () => {
    const file = save('small.pdf', pdf);
    const text = run('pdftotext', ['-layout', file, '-']);
    const pages = Number(info(file).Pages);
    expect(text).toContain('Chain of Custody');
    expect(text).toContain('CW-2024-0042');
    expect(text).toContain('all times on this form are UTC'.replace('all', 'All'));
    expect(text).toContain(data.verification.headHash);
    for (const a of data.artifacts) {
      if (!a.hashes) continue;
      expect(text).toContain(a.hashes.md5);
      expect(text).toContain(a.hashes.sha1);
      expect(text).toContain(a.hashes.sha256);
    }
    expect(text).toContain('not hashed (state: pending)');
    const seqs = new Set([...text.matchAll(/^\s*(\d+)\s{2,}\d{4}-\d\d-\d\d\s/gm)].map((m) => Number(m[1])));
    for (const e of data.events) {
      expect(seqs.has(e.seq), `seq ${e.seq}`).toBe(true);
      expect(text).toContain(e.hash.slice(0, 16));
    }
    for (let p = 1; p <= pages; p++) expect(text).toContain(`Page ${p} of ${pages}`);
    expect(text).toContain('Released by');
    expect(text).toContain('Received by');
    expect(text).toContain('Purpose of transfer');
    expect(text).toContain('Full hashes, previous-hash links and full details are in the CSV and JSON exports');
    // Text Helvetica cannot draw becomes '?'; Latin-1 and WinAnsi punctuation survive; é is composed.
    expect(text).toContain('Zoë’s “ünïcödé” ?? ? test');
    expect(text).toContain('Combining: é and emoji ?.');
    expect(text).not.toContain('\uFFFD');
    expect(layoutFaults(file)).toEqual([]);
  });

  it.skipIf(popplerMissing)('states a failed verification and its first break', async () => {
    const file = save('broken.pdf', await renderCustodyPdf(makeCustodyData({ events: 10, breakAt: 4 })));
    const text = run('pdftotext', ['-layout', file, '-']);
    expect(text).toContain('FAILED: first break at event 4: stored hash does not match recomputed hash');
    expect(text).toMatch(/Artifact "i-0abc123 vol-0def456 root\.raw" \(a-0001\): SHA-256 mismatch/);
  });

  it.skipIf(popplerMissing)('renders an empty log', async () => {
    const file = save('empty.pdf', await renderCustodyPdf(makeCustodyData({ events: 0 })));
    const text = run('pdftotext', ['-layout', file, '-']);
    expect(text).toContain('No custody events recorded.');
    expect(text).toContain('Page 1 of');
  });

  it.skipIf(popplerMissing)('spreads 2,000 events over many pages, all readable, none overlapping', async () => {
    const big = makeCustodyData({ events: 2000 });
    const file = save('big.pdf', await renderCustodyPdf(big));
    const pages = Number(info(file).Pages);
    expect(pages).toBeGreaterThan(30);
    const text = run('pdftotext', ['-layout', file, '-']);
    const seqs = new Set([...text.matchAll(/^\s*(\d+)\s{2,}\d{4}-\d\d-\d\d\s/gm)].map((m) => Number(m[1])));
    expect(seqs.size).toBe(2000);
    // Every page with event rows repeats the table header (pdftotext separates pages with a form feed).
    const eventPages = text.split('\f').filter((t) => /^\s*\d+\s{2,}\d{4}-\d\d-\d\d\s/m.test(t));
    expect(eventPages.length).toBeGreaterThan(30);
    for (const t of eventPages) expect(t).toMatch(/Seq\s+Time \(UTC\)\s+Examiner \/\s+Action\s+Artifact\s+Details \(condensed\)\s+Event hash\*/);
    for (const e of big.events) expect(text.includes(e.hash.slice(0, 16)), `hash of seq ${e.seq}`).toBe(true);
    const footers = [...text.matchAll(/Case CW-2024-0042 \| chain head (\w{16})… \(seq 2000\).*Page (\d+) of (\d+)/g)];
    expect(footers.map((m) => Number(m[2]))).toEqual(Array.from({ length: pages }, (_, i) => i + 1));
    for (const m of footers) {
      expect(m[1]).toBe(big.verification.headHash.slice(0, 16));
      expect(Number(m[3])).toBe(pages);
    }
    expect(layoutFaults(file)).toEqual([]);
  });
});

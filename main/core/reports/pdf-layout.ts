/** Small layout primitives over pdfkit: flowing blocks and tables that break across pages without overlap. */
import { toWinAnsi } from './pdf-text.js';

export type Doc = PDFKit.PDFDocument;
export type FontName = 'Helvetica' | 'Helvetica-Bold' | 'Courier';

/** A4 portrait with room at the bottom for the two-line footer. */
export const PAGE_OPTIONS = {
  size: 'A4' as const,
  margins: { top: 46, bottom: 70, left: 42, right: 42 },
};

/** One table cell: its text and the font it is set in (hashes are monospace). */
export interface Cell {
  text: string;
  font?: FontName;
  size?: number;
  /** Keep line breaks in the text (otherwise they become spaces). */
  multiline?: boolean;
}

/** A table column: header text and width in points. */
export interface Column {
  header: string;
  width: number;
}

const CELL_PAD_X = 3;
const CELL_PAD_Y = 2.5;

/** Usable width between the left and right margins. */
export function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function bottomLimit(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Starts a new page unless `height` points still fit below the cursor; returns true if it did. */
export function ensureSpace(doc: Doc, height: number): boolean {
  if (doc.y + height <= bottomLimit(doc)) return false;
  doc.addPage();
  doc.x = doc.page.margins.left;
  doc.y = doc.page.margins.top;
  return true;
}

/** Measures text as it would be set in the given font, size and width. */
export function measure(doc: Doc, text: string, font: FontName, size: number, width: number, multiline = false): number {
  doc.font(font).fontSize(size);
  return doc.heightOfString(toWinAnsi(text, multiline), { width, lineGap: 0 });
}

/** Sets text at an exact position; the caller has made room, so pdfkit never auto-paginates mid-block. */
export function place(doc: Doc, text: string, x: number, y: number, width: number, font: FontName, size: number, multiline = false): void {
  doc.font(font).fontSize(size).fillColor('black');
  doc.text(toWinAnsi(text, multiline), x, y, { width, lineGap: 0 });
}

/** A section heading, kept on the same page as at least `keepWith` points of what follows. */
export function heading(doc: Doc, text: string, keepWith = 40): void {
  doc.moveDown(0.6);
  ensureSpace(doc, 18 + keepWith);
  const y = doc.y;
  place(doc, text, doc.page.margins.left, y, contentWidth(doc), 'Helvetica-Bold', 11.5);
  const lineY = doc.y + 1;
  doc.moveTo(doc.page.margins.left, lineY).lineTo(doc.page.margins.left + contentWidth(doc), lineY).lineWidth(0.6).strokeColor('#444444').stroke();
  doc.y = lineY + 5;
}

/** A paragraph that flows across pages if it must (pdfkit paginates free text itself). */
export function paragraph(doc: Doc, text: string, size = 8.5, font: FontName = 'Helvetica'): void {
  doc.font(font).fontSize(size).fillColor('black');
  doc.text(toWinAnsi(text, true), doc.page.margins.left, doc.y, { width: contentWidth(doc), lineGap: 1 });
  doc.moveDown(0.3);
}

/** Label/value rows (label in bold on the left); a value too long for one page flows on. */
export function fieldRows(doc: Doc, rows: Array<{ label: string; value: string; mono?: boolean; bold?: boolean }>, labelWidth = 120): void {
  const left = doc.page.margins.left;
  const valueWidth = contentWidth(doc) - labelWidth;
  for (const row of rows) {
    const font: FontName = row.mono ? 'Courier' : row.bold ? 'Helvetica-Bold' : 'Helvetica';
    const size = row.mono ? 8.5 : 9;
    const h = Math.max(measure(doc, row.value || ' ', font, size, valueWidth, true), measure(doc, row.label, 'Helvetica-Bold', 9, labelWidth - 6));
    // Short rows move whole to the next page; a huge one starts here and flows on.
    if (h < bottomLimit(doc) - doc.page.margins.top) ensureSpace(doc, h + 3);
    const y = doc.y;
    place(doc, row.label, left, y, labelWidth - 6, 'Helvetica-Bold', 9);
    place(doc, row.value || '\u2014', left + labelWidth, y, valueWidth, font, size, true);
    const end = doc.y;
    doc.y = Math.max(end, y + h) + 3;
  }
}

/** Scales column widths so they fill the content width exactly. */
export function fitColumns(doc: Doc, columns: Column[]): Column[] {
  const total = columns.reduce((s, c) => s + c.width, 0);
  const k = contentWidth(doc) / total;
  return columns.map((c) => ({ ...c, width: c.width * k }));
}

function rowHeight(doc: Doc, columns: Column[], cells: Cell[], defaultSize: number): number {
  let h = 0;
  cells.forEach((cell, i) => {
    const w = columns[i]!.width - 2 * CELL_PAD_X;
    h = Math.max(h, measure(doc, cell.text || ' ', cell.font ?? 'Helvetica', cell.size ?? defaultSize, w, cell.multiline));
  });
  return h + 2 * CELL_PAD_Y;
}

function drawRow(doc: Doc, columns: Column[], cells: Cell[], height: number, size: number, fill: string | null): void {
  const left = doc.page.margins.left;
  const y = doc.y;
  const width = columns.reduce((s, c) => s + c.width, 0);
  if (fill) doc.rect(left, y, width, height).fillColor(fill).fill();
  let x = left;
  cells.forEach((cell, i) => {
    const w = columns[i]!.width;
    place(doc, cell.text, x + CELL_PAD_X, y + CELL_PAD_Y, w - 2 * CELL_PAD_X, cell.font ?? 'Helvetica', cell.size ?? size, cell.multiline);
    x += w;
  });
  doc.moveTo(left, y + height).lineTo(left + width, y + height).lineWidth(0.3).strokeColor('#999999').stroke();
  doc.x = left;
  doc.y = y + height;
}

/** Options for drawTable. */
export interface TableOptions {
  fontSize: number;
  /** Called after each row is drawn with the page it landed on (for per-page footnotes). */
  onRow?: (pageIndex: number) => void;
}

/** Draws a table, repeating the header row on every page it spans; rows never split. */
export function drawTable(doc: Doc, columns: Column[], rows: Cell[][], opts: TableOptions): void {
  const header: Cell[] = columns.map((c) => ({ text: c.header, font: 'Helvetica-Bold' }));
  const headerH = rowHeight(doc, columns, header, opts.fontSize);
  const drawHeader = (): void => drawRow(doc, columns, header, headerH, opts.fontSize, '#dddddd');
  const first = rows[0] ? rowHeight(doc, columns, rows[0], opts.fontSize) : 0;
  ensureSpace(doc, headerH + first);
  drawHeader();
  rows.forEach((cells, i) => {
    const h = rowHeight(doc, columns, cells, opts.fontSize);
    if (ensureSpace(doc, h)) drawHeader();
    drawRow(doc, columns, cells, h, opts.fontSize, i % 2 === 1 ? '#f3f3f3' : null);
    opts.onRow?.(currentPageIndex(doc));
  });
}

/** Zero-based index of the page being written (pages are buffered for the footers). */
export function currentPageIndex(doc: Doc): number {
  const range = doc.bufferedPageRange();
  return range.start + range.count - 1;
}

/**
 * Writes every page's footer once the page count is known: `left` text, "Page n of N", and an
 * optional footnote on the pages listed. The bottom margin is lifted while writing so that text
 * below it does not make pdfkit start a new page.
 */
export function drawFooters(doc: Doc, left: string, footnote: { text: string; pages: Set<number> } | null): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const margins = doc.page.margins;
    const savedBottom = margins.bottom;
    margins.bottom = 0;
    const width = contentWidth(doc);
    const base = doc.page.height - savedBottom + 14;
    if (footnote?.pages.has(i)) place(doc, footnote.text, margins.left, base, width, 'Helvetica', 7);
    const y = doc.page.height - 34;
    doc.moveTo(margins.left, y - 4).lineTo(margins.left + width, y - 4).lineWidth(0.4).strokeColor('#666666').stroke();
    const pageText = `Page ${i - range.start + 1} of ${range.count}`;
    place(doc, left, margins.left, y, width - 80, 'Helvetica', 7.5);
    doc.font('Helvetica-Bold').fontSize(8.5);
    doc.text(pageText, margins.left + width - 80, y, { width: 80, align: 'right', lineBreak: false });
    margins.bottom = savedBottom;
  }
}

/** Writes a custody-log export into the case's exports/ folder and records it in custody. */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { ExaminerProfile, ExportFormat, ExportResult } from '../../../shared/types.js';
import { assertNever } from '../../../shared/errors.js';
import { EXPORTS_DIR, type CaseSession } from '../cases/case-session.js';
import { listArtifacts } from '../evidence/artifacts.repo.js';
import { renderCustodyCsv, renderCustodyJson, renderCustodyPdf, type CustodyReportData } from '../reports/index.js';
import { appendEvent, listEvents, nowUtc, type Actor } from './custody.repo.js';
import { verifyChain } from './verify-chain.js';

async function render(format: ExportFormat, data: CustodyReportData): Promise<Buffer> {
  switch (format) {
    case 'csv':
      return renderCustodyCsv(data);
    case 'json':
      return renderCustodyJson(data);
    case 'pdf':
      return renderCustodyPdf(data);
    default:
      return assertNever(format);
  }
}

/** Renders the whole log as it stands, writes it once (read-only), and appends custody.exported. */
export async function exportCustody(
  session: CaseSession,
  format: ExportFormat,
  who: { actor: Actor; profile: ExaminerProfile; appVersion: string },
): Promise<ExportResult> {
  const generatedAt = nowUtc();
  const verification = verifyChain(session.db);
  const data: CustodyReportData = {
    case: session.summary(),
    artifacts: listArtifacts(session.db),
    events: listEvents(session.db).events,
    verification,
    examiner: who.profile,
    workstation: who.actor.workstation,
    generatedAt,
    appVersion: who.appVersion,
  };
  const bytes = await render(format, data);
  const stamp = generatedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const safeNumber = session.info.number.replace(/[^A-Za-z0-9._-]+/g, '_');
  const relative = path.join(EXPORTS_DIR, `custody-${safeNumber}-${stamp}-seq${verification.headSeq}.${format}`);
  const absolute = session.resolve(relative);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  fs.writeFileSync(absolute, bytes, { flag: 'wx', mode: 0o444 });
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  appendEvent(session.db, who.actor, {
    action: 'custody.exported',
    details: { format, path: relative, size: bytes.length, sha256, headSeq: verification.headSeq, headHash: verification.headHash, chainOk: verification.ok },
  });
  return { format, path: relative, absolutePath: absolute, size: bytes.length, sha256, headSeq: verification.headSeq, headHash: verification.headHash };
}

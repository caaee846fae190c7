/** Writing parsed flow records into flow_records: one prepared INSERT OR IGNORE, batched by the caller. */
import type { CaseDb } from '../../cases/case-db.js';
import type { FlowItem } from './read-flow-file.js';

/** Where a batch came from; stored on every row so a record leads back to its file and line. */
export interface FlowSource {
  artifactId: string;
  sha256: string;
  jobId: string;
}

const COLUMNS = [
  'start_time', 'end_time', 'version', 'account_id', 'interface_id', 'srcaddr', 'dstaddr', 'srcport', 'dstport',
  'protocol', 'protocol_name', 'packets', 'bytes', 'action', 'log_status', 'vpc_id', 'subnet_id', 'instance_id',
  'flow_direction', 'extra', 'source_artifact_id', 'source_sha256', 'line', 'ingest_job_id',
] as const;

/** A writer bound to one database; `write` should run inside a transaction. */
export class FlowStore {
  private readonly insert;

  constructor(db: CaseDb) {
    this.insert = db.prepare(`INSERT OR IGNORE INTO flow_records (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  }

  /** Inserts the items; a (file hash, line) already stored is ignored and counted as a duplicate. */
  write(items: FlowItem[], src: FlowSource): { inserted: number; duplicates: number } {
    let inserted = 0;
    for (const { line, record: r } of items) {
      const res = this.insert.run(
        r.startTime, r.endTime, r.version, r.accountId, r.interfaceId, r.srcaddr, r.dstaddr, r.srcport, r.dstport,
        r.protocol, r.protocolName, r.packets, r.bytes, r.action, r.logStatus, r.vpcId, r.subnetId, r.instanceId,
        r.flowDirection, JSON.stringify(r.extra), src.artifactId, src.sha256, line, src.jobId,
      );
      inserted += res.changes;
    }
    return { inserted, duplicates: items.length - inserted };
  }
}

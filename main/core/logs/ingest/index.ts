/** Ingest of CloudTrail log file artifacts into ct_events, and the full-text index job. */
export { ingestLogsJob, checkIngestable, BATCH_ROWS, type FileIngest, type IngestLogsParams } from './ingest-logs.job.js';
export { textIndexJob, textIndexState, hasTextIndex, FTS_TABLE } from './text-index.job.js';
export { EventStore, type RowSource, type BatchOutcome } from './event-store.js';

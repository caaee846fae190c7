/** VPC flow logs: reading the files, the flows.ingest job, and the queries over flow_records. */
export { readFlowFile, MAX_LINE, type FlowItem, type FlowReader, type FlowReadSummary, type FlowSkip } from './read-flow-file.js';
export { parseHeader, parseRecord, FlowLineError, PROTOCOL_NAMES, type FlowRecord, type FlowSkipCode } from './parse-record.js';
export { ingestFlowsJob, checkFlowsIngestable, FLOW_BATCH_ROWS, type FlowFileIngest, type IngestFlowsParams } from './ingest-flows.job.js';
export { FlowStore, type FlowSource } from './flow-store.js';
export { flowWhere, flatWhere, flowPageQuery, flowCountQuery, queryFlows, flowsTouchingCloudTrail, encodeFlowCursor, TOUCHING_TERM, FLOW_TOTAL_CAP } from './flow-query.js';

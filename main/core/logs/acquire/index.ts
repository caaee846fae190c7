/**
 * Log acquisition from AWS: CloudTrail and VPC flow logs from S3 (with digests, their signatures
 * and CloudTrail's public keys), CloudTrail's event history, and VPC flow logs from CloudWatch
 * Logs. Rules and decisions: docs/logs-acquisition.md.
 */
export { acquireS3Job } from './acquire-s3.job.js';
export { acquireLookupJob } from './lookup.job.js';
export { acquireCwlFlowsJob, DEFAULT_FLOW_FIELDS } from './cwl-flows.job.js';
export { acquiredTrail } from './acquired-trail.js';
export { startCwlFlowsAcquisition, startLookupAcquisition, startS3Acquisition } from './start.js';

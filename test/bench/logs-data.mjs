// Synthetic CloudTrail delivery files for the logs section of `npm run bench`: records shaped like
// real ones (assumed-role identity with session context, TLS details, request and response
// parameters; ~1.3 KB of JSON each, the size of the records in Stratus Red Team's detonation logs)
// in `{"Records":[...]}` .json.gz files. Deterministic, so every run ingests the same bytes.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** Small deterministic PRNG (mulberry32). */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CALLS = [
  ['ec2.amazonaws.com', 'DescribeInstances', true], ['ec2.amazonaws.com', 'RunInstances', false],
  ['s3.amazonaws.com', 'GetObject', true], ['s3.amazonaws.com', 'PutObject', false], ['s3.amazonaws.com', 'ListBuckets', true],
  ['iam.amazonaws.com', 'CreateAccessKey', false], ['iam.amazonaws.com', 'ListUsers', true], ['sts.amazonaws.com', 'AssumeRole', true],
  ['sts.amazonaws.com', 'GetCallerIdentity', true], ['cloudtrail.amazonaws.com', 'StopLogging', false],
  ['ssm.amazonaws.com', 'GetParameter', true], ['secretsmanager.amazonaws.com', 'GetSecretValue', true],
  ['kms.amazonaws.com', 'Decrypt', true], ['lambda.amazonaws.com', 'ListFunctions20150331', true],
];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const ACCOUNTS = ['111122223333', '444455556666', '777788889999'];
const ROLES = ['AdminRole', 'DeployRole', 'ReadOnlyAudit', 'LambdaExec', 'Ec2InstanceRole', 'BreakGlass'];
const AGENTS = [
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/ec2.describe-instances',
  'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69',
  'aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/sts#1.28.4',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
  'aws-internal/3 aws-sdk-java/1.12.669 Linux/5.10.210 OpenJDK_64-Bit_Server_VM/25.402-b08 java/1.8.0_402 vendor/Oracle_Corporation',
];
const ERRORS = ['AccessDenied', 'Client.UnauthorizedOperation', 'ThrottlingException', 'NoSuchKey'];
const BASE_MS = Date.parse('2026-03-01T00:00:00Z');

/** The user-agent prefix, source IP, access key and event name the bench's filter queries use. */
export const NEEDLES = { userAgentPrefix: 'aws-sdk-go-v2/', sourceIp: '198.51.100.23', accessKeyId: 'ASIA4EXAMPLE00000042', eventName: 'StopLogging' };

function hex(r, n) {
  let s = '';
  while (s.length < n) s += Math.floor(r() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, n);
}
const uuid = (r) => { const h = hex(r, 32); return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`; };

function record(i, r) {
  const [eventSource, eventName, readOnly] = CALLS[Math.floor(r() * CALLS.length)];
  const account = ACCOUNTS[Math.floor(r() * ACCOUNTS.length)];
  const role = ROLES[Math.floor(r() * ROLES.length)];
  const session = `session-${Math.floor(r() * 400)}`;
  const key = `ASIA4EXAMPLE${String(Math.floor(r() * 2000)).padStart(8, '0')}`;
  const region = REGIONS[Math.floor(r() * REGIONS.length)];
  const time = new Date(BASE_MS + i * 250 + Math.floor(r() * 250)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const ip = r() < 0.8 ? `198.51.100.${Math.floor(r() * 256)}` : `${eventSource}`;
  const rec = {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole', principalId: `AROA${hex(r, 16).toUpperCase()}:${session}`,
      arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`, accountId: account, accessKeyId: key,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: `AROA${hex(r, 16).toUpperCase()}`, arn: `arn:aws:iam::${account}:role/${role}`, accountId: account, userName: role },
        webIdFederationData: {},
        attributes: { creationDate: time, mfaAuthenticated: r() < 0.3 ? 'true' : 'false' },
      },
    },
    eventTime: time, eventSource, eventName, awsRegion: region, sourceIPAddress: ip,
    userAgent: AGENTS[Math.floor(r() * AGENTS.length)],
    requestParameters: { resourceId: `res-${hex(r, 17)}`, filterSet: { items: [{ name: 'tag:case', valueSet: { items: [{ value: `v${i % 1000}` }] } }] }, maxResults: 1000 },
    responseElements: readOnly ? null : { requestId: uuid(r), _return: true },
    requestID: uuid(r), eventID: uuid(r), readOnly, eventType: 'AwsApiCall', managementEvent: true,
    recipientAccountId: account, eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${eventSource.split('.')[0]}.${region}.amazonaws.com` },
  };
  if (r() < 0.4) rec.resources = [{ accountId: account, type: 'AWS::S3::Object', ARN: `arn:aws:s3:::evidence-${account}/obj/${hex(r, 12)}` }];
  if (r() < 0.08) { rec.errorCode = ERRORS[Math.floor(r() * ERRORS.length)]; rec.errorMessage = `User is not authorized to perform ${eventName}`; }
  return rec;
}

/**
 * Writes `total` events in files of `perFile` into `dir` (reused when a marker says it holds exactly
 * these); returns the file paths and whether they were made now.
 */
export function ensureLogFiles(dir, total, perFile) {
  const marker = path.join(dir, 'complete.json');
  const want = JSON.stringify({ total, perFile, version: 1 });
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === want) {
    return { files: fs.readdirSync(dir).filter((f) => f.endsWith('.json.gz')).sort().map((f) => path.join(dir, f)), state: 'reused' };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const files = [];
  for (let start = 0, n = 0; start < total; start += perFile, n++) {
    const r = rng(1 + start);
    const records = [];
    for (let i = start; i < Math.min(total, start + perFile); i++) records.push(record(i, r));
    // A few needles: an IP and an access key that only these records carry.
    if (n % 10 === 0) { records[0].sourceIPAddress = NEEDLES.sourceIp; records[0].userIdentity.accessKeyId = NEEDLES.accessKeyId; }
    const file = path.join(dir, `111122223333_CloudTrail_us-east-1_20260301T${String(n).padStart(4, '0')}Z_bench.json.gz`);
    fs.writeFileSync(file, gzipSync(JSON.stringify({ Records: records })));
    files.push(file);
  }
  fs.writeFileSync(marker, want);
  return { files, state: 'created' };
}

/**
 * A 1 GiB `{"Records":[...]}` file, larger than V8's longest string, streams record by record in
 * bounded memory. Written to os.tmpdir() in a streaming way and deleted afterwards. Set
 * CASEWARD_BIG_TESTS=0 to skip it on a machine without 1 GiB of free temporary space.
 */
import { constants } from 'node:buffer';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCloudTrailFile } from '../../main/core/logs/cloudtrail/index.js';

const SKIP = process.env.CASEWARD_BIG_TESTS === '0';
if (SKIP) console.warn('Skipping the 1 GiB CloudTrail streaming test: CASEWARD_BIG_TESTS=0.');

const GIB = 1024 ** 3;

function record(i: number): string {
  // Brackets, quotes and escapes inside strings, as real request parameters have them.
  return JSON.stringify({
    eventVersion: '1.08',
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::111122223333:assumed-role/App/i-${i.toString(16)}`, accountId: '111122223333', accessKeyId: 'ASIAEXAMPLE' },
    eventTime: new Date(Date.UTC(2024, 2, 1) + i * 37).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 's3.amazonaws.com',
    eventName: i % 3 ? 'GetObject' : 'PutObject',
    awsRegion: 'eu-west-1',
    sourceIPAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    userAgent: '[aws-sdk-java/1.12.0 {"quoted": "]"}]',
    requestParameters: { bucketName: 'evidence', key: `logs/${i}/a \\"b\\" [c] {d}.txt`, Host: 'evidence.s3.amazonaws.com' },
    responseElements: null,
    requestID: `R${i}`,
    eventID: `00000000-0000-4000-8000-${i.toString().padStart(12, '0')}`,
    readOnly: i % 3 !== 0,
    resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::evidence/logs/${i}` }],
    eventType: 'AwsApiEvent',
    recipientAccountId: '111122223333',
  });
}

async function writeBig(file: string, target: number): Promise<{ records: number; bytes: number }> {
  const out = fs.createWriteStream(file);
  let bytes = 0;
  let n = 0;
  const put = async (s: string): Promise<void> => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  await put('{"Records":[\n');
  while (bytes < target) {
    const batch: string[] = [];
    for (let k = 0; k < 2000; k++, n++) batch.push((n ? ',\n' : '') + record(n));
    await put(batch.join(''));
  }
  await put('\n]}\n');
  out.end();
  await once(out, 'finish');
  return { records: n, bytes };
}

describe('a CloudTrail file larger than V8 can hold as one string', () => {
  it.skipIf(SKIP)('streams 1 GiB record by record with bounded memory', { timeout: 300_000 }, async () => {
    const file = path.join(os.tmpdir(), `caseward-ct-big-${process.pid}-${Date.now()}.json`);
    try {
      let t = performance.now();
      const written = await writeBig(file, GIB);
      const writeSeconds = (performance.now() - t) / 1000;
      expect(fs.statSync(file).size).toBe(written.bytes);
      expect(written.bytes).toBeGreaterThan(constants.MAX_STRING_LENGTH);

      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      let count = 0;
      let lastId = '';
      t = performance.now();
      const reader = readCloudTrailFile(file);
      for await (const { record, index } of reader) {
        if ((index & 4095) === 0) peak = Math.max(peak, process.memoryUsage().rss);
        count++;
        lastId = record.eventId!;
      }
      const readSeconds = (performance.now() - t) / 1000;
      peak = Math.max(peak, process.memoryUsage().rss);
      const mib = (b: number): string => (b / 2 ** 20).toFixed(0);
      console.log(
        `1 GiB CloudTrail stream: ${written.records} records, ${mib(written.bytes)} MiB written in ${writeSeconds.toFixed(1)} s; ` +
          `read in ${readSeconds.toFixed(1)} s = ${Math.round(count / readSeconds)} records/s, ${mib(written.bytes / readSeconds)} MiB/s; ` +
          `RSS ${mib(baseline)} MiB before, peak ${mib(peak)} MiB (+${mib(peak - baseline)} MiB)`,
      );
      expect(count).toBe(written.records);
      expect(lastId).toBe(`00000000-0000-4000-8000-${(written.records - 1).toString().padStart(12, '0')}`);
      expect(reader.summary).toMatchObject({ format: 'records-object', skipped: 0, done: true, uncompressedBytes: written.bytes });
      // Bounded: the reader holds a chunk and the records in it, never the file.
      expect(peak - baseline).toBeLessThan(256 * 2 ** 20);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});

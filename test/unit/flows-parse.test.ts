/** VPC flow log parsing: header-driven fields, default and custom formats, '-' values, bad lines, gzip and truncation. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseHeader, parseRecord, readFlowFile, type FlowItem } from '../../main/core/logs/flows/index.js';

const DEFAULT = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const CUSTOM = 'region vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status flow-direction traffic-path az-id sublocation-type';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-flows-unit-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function readAll(file: string): Promise<{ items: FlowItem[]; error: Error | null; reader: ReturnType<typeof readFlowFile> }> {
  const reader = readFlowFile(file);
  const items: FlowItem[] = [];
  let error: Error | null = null;
  try {
    for await (const it of reader) items.push(it);
  } catch (err) {
    error = err as Error;
  }
  return { items, error, reader };
}

describe('parseRecord', () => {
  it('reads a default-format record with times as UTC ISO and the protocol named', () => {
    const r = parseRecord(parseHeader(DEFAULT), '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK');
    expect(r).toMatchObject({
      version: 2, accountId: '123456789010', interfaceId: 'eni-1235b8ca123456789', srcaddr: '172.31.16.139', dstaddr: '172.31.16.21',
      srcport: 20641, dstport: 22, protocol: 6, protocolName: 'TCP', packets: 20, bytes: 4249,
      startTime: '2014-12-14T04:06:50.000Z', endTime: '2014-12-14T04:07:50.000Z', action: 'ACCEPT', logStatus: 'OK', extra: {},
    });
    expect(parseRecord(parseHeader(DEFAULT), '2 1 eni-1 10.0.0.1 10.0.0.2 53 5353 17 1 60 1 2 REJECT OK').protocolName).toBe('UDP');
    expect(parseRecord(parseHeader(DEFAULT), '2 1 eni-1 10.0.0.1 10.0.0.2 0 0 1 1 60 1 2 ACCEPT OK').protocolName).toBe('ICMP');
    expect(parseRecord(parseHeader(DEFAULT), '2 1 eni-1 10.0.0.1 10.0.0.2 0 0 47 1 60 1 2 ACCEPT OK').protocolName).toBeNull();
  });

  it('maps a custom format by its header, keeping fields without a column in extra', () => {
    const line = 'us-east-1 vpc-0a1 subnet-0b2 i-0c3 eni-0d4 111122223333 IPv4 10.0.1.5 198.51.100.7 44321 443 10.0.1.5 198.51.100.7 6 5120 12 1700000000 1700000060 ACCEPT 19 OK egress - use1-az1 -';
    const r = parseRecord(parseHeader(CUSTOM), line);
    expect(r).toMatchObject({
      vpcId: 'vpc-0a1', subnetId: 'subnet-0b2', instanceId: 'i-0c3', interfaceId: 'eni-0d4', accountId: '111122223333',
      srcaddr: '10.0.1.5', dstaddr: '198.51.100.7', srcport: 44321, dstport: 443, protocol: 6, bytes: 5120, packets: 12,
      startTime: '2023-11-14T22:13:20.000Z', action: 'ACCEPT', logStatus: 'OK', flowDirection: 'egress', version: null,
    });
    expect(r.extra).toEqual({
      region: 'us-east-1', type: 'IPv4', 'pkt-srcaddr': '10.0.1.5', 'pkt-dstaddr': '198.51.100.7', 'tcp-flags': '19',
      'traffic-path': null, 'az-id': 'use1-az1', 'sublocation-type': null,
    });
  });

  it('takes NODATA and SKIPDATA records with "-" fields as records without values', () => {
    const h = parseHeader(DEFAULT);
    for (const status of ['NODATA', 'SKIPDATA'] as const) {
      const r = parseRecord(h, `2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - ${status}`);
      expect(r).toMatchObject({ logStatus: status, srcaddr: null, dstaddr: null, srcport: null, protocol: null, packets: null, action: null, startTime: '2015-05-10T18:01:16.000Z' });
    }
  });

  it('refuses bad lines with a reason code', () => {
    const h = parseHeader(DEFAULT);
    const code = (line: string) => {
      try {
        parseRecord(h, line);
        return 'accepted';
      } catch (err) {
        return (err as { code: string }).code;
      }
    };
    expect(code('2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 60 1 2 ACCEPT')).toBe('field-count');
    expect(code('2 1 eni-1 10.0.0.1 10.0.0.2 x 2 6 1 60 1 2 ACCEPT OK')).toBe('bad-number');
    expect(code('2 1 eni-1 10.0.0.1 10.0.0.2 70000 2 6 1 60 1 2 ACCEPT OK')).toBe('bad-number');
    expect(code('2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 60 soon 2 ACCEPT OK')).toBe('bad-time');
    expect(code('2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 60 - 2 ACCEPT OK')).toBe('no-start');
    expect(code('2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 60 1 2 ALLOW OK')).toBe('bad-action');
    expect(code('2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 60 1 2 ACCEPT FINE')).toBe('bad-status');
    expect(code(DEFAULT)).toBe('repeated-header');
  });

  it('refuses a header that is not one', () => {
    expect(() => parseHeader('2 123 eni-1 10.0.0.1')).toThrow(/not a flow log header/);
    expect(() => parseHeader('version srcaddr dstaddr')).toThrow(/no "start"/);
  });
});

describe('readFlowFile', () => {
  const lines = [
    '2 1 eni-1 10.0.0.1 10.0.0.2 1000 22 6 3 180 1700000000 1700000060 ACCEPT OK',
    '2 1 eni-1 - - - - - - - 1700000000 1700000060 - NODATA',
    'garbage line',
    '2 1 eni-1 10.0.0.2 10.0.0.1 22 1000 6 3 180 1700000000 1700000060 REJECT OK',
  ];
  const body = `${DEFAULT}\n${lines.join('\r\n')}\n`;

  it('reads plain and gzip files alike, numbering lines from the header, counting bad lines', async () => {
    const plain = path.join(dir, 'a.log');
    fs.writeFileSync(plain, body);
    const gz = path.join(dir, 'a.log.gz');
    fs.writeFileSync(gz, gzipSync(body));
    for (const file of [plain, gz]) {
      const { items, error, reader } = await readAll(file);
      expect(error).toBeNull();
      expect(items.map((i) => i.line)).toEqual([2, 3, 5]);
      expect(items.map((i) => i.record.logStatus)).toEqual(['OK', 'NODATA', 'OK']);
      expect(reader.summary).toMatchObject({ records: 3, skipped: 1, skippedByCode: { 'field-count': 1 }, compressed: file === gz });
      expect(reader.summary.skips[0]).toMatchObject({ line: 4, code: 'field-count' });
    }
  });

  it('reports a truncated gzip clearly after yielding the records before the cut', async () => {
    const many = [DEFAULT, ...Array.from({ length: 20_000 }, (_, i) => `2 1 eni-1 10.0.${i % 250}.1 10.0.0.2 ${i % 60000} 443 6 3 180 ${1700000000 + i} ${1700000060 + i} ACCEPT OK`)].join('\n');
    const full = gzipSync(many);
    const file = path.join(dir, 'cut.log.gz');
    fs.writeFileSync(file, full.subarray(0, Math.floor(full.length / 2)));
    const { items, error } = await readAll(file);
    expect(error?.message).toMatch(/gzip data is truncated or corrupt after line \d+.*records before it are kept/);
    expect(items.length).toBeGreaterThan(1000);
    expect(items.length).toBeLessThan(20_000);
    expect(items.map((i) => i.line)).toEqual(items.map((_, k) => k + 2));
  });

  it('refuses a file without a header', async () => {
    const file = path.join(dir, 'nohead.log');
    fs.writeFileSync(file, `${lines[0]}\n`);
    expect((await readAll(file)).error?.message).toMatch(/Not a VPC flow log file/);
    const empty = path.join(dir, 'empty.log');
    fs.writeFileSync(empty, '');
    expect((await readAll(empty)).error?.message).toMatch(/empty/);
  });
});

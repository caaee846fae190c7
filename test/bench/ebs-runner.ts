// Child process of the EBS bench: downloads one snapshot from the fake with the real engine and SDK
// client, and prints the outcome as one JSON line (the parent measures time, CPU and peak RSS).
import { EBSClient } from '@aws-sdk/client-ebs';
import { downloadSnapshot, ebsBlockSource, ebsClientSettings } from '../../main/core/aws/ebs-image/index.js';
import { TEST_CREDENTIALS } from '../aws-fake/credentials.js';

async function main(): Promise<void> {
  const [endpoint, region, snapshotId, dest] = process.argv.slice(2);
  if (!endpoint || !region || !snapshotId || !dest) throw new Error('usage: ebs-runner ENDPOINT REGION SNAPSHOT DEST');
  const client = new EBSClient({
    region,
    endpoint,
    credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: TEST_CREDENTIALS.secretAccessKey },
    ...ebsClientSettings(64),
  });
  const started = performance.now();
  const r = await downloadSnapshot({ source: ebsBlockSource(client), snapshotId, dest, manifestPath: `${dest}.manifest.sqlite`, concurrency: 64 });
  const seconds = (performance.now() - started) / 1000;
  client.destroy();
  console.log(JSON.stringify({
    seconds, size: r.size, sha256: r.sha256, blocksListed: r.blocksListed, blocksAbsent: r.blocksAbsent,
    blocksFetched: r.blocksFetched, retries: r.retries, throttles: r.throttles, concurrencyFinal: r.concurrencyFinal,
  }));
}

main().catch((err) => {
  console.error(err?.stack ?? String(err));
  process.exit(1);
});

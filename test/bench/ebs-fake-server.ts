// Child process of the EBS bench: runs the AWS fake apart from the downloader, so the downloader's
// CPU, memory and event loop are measured alone. Serves one image as a snapshot with injected latency,
// prints {endpoint, region, snapshotId, checksums} as one JSON line, and stops when stdin closes.
import { startAwsFake } from '../aws-fake/index.js';

async function main(): Promise<void> {
  const [image, listedArg, latencyArg] = process.argv.slice(2);
  if (!image || !listedArg || !latencyArg) throw new Error('usage: ebs-fake-server IMAGE LISTED_CSV LATENCY_MS');
  const listed = listedArg.split(',').map(Number);
  const fake = await startAwsFake();
  const snap = fake.addSnapshotFromImage(image, { listedBlocks: listed });
  // AWS keeps block checksums with the snapshot; hashing them per request would bill the fake's
  // CPU to the download being measured (both share the cores).
  const checksums = await snap.content!.primeChecksums(listed, `${image}.checksums.json`);
  fake.faults.add({ kind: 'latency', service: 'ebs', action: 'GetSnapshotBlock', latencyMs: Number(latencyArg) });
  console.log(JSON.stringify({ endpoint: fake.endpoint, region: fake.region, snapshotId: snap.snapshotId, checksums }));
  process.stdin.resume();
  process.stdin.on('end', () => void fake.close().then(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err?.stack ?? String(err));
  process.exit(1);
});

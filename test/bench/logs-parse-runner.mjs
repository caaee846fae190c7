// Child process of the logs bench: the reference rate, plain gunzip + JSON.parse of each file,
// counting the records. Prints one JSON line with its own time (start-up excluded, like ours).
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

const dir = process.argv[2];
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json.gz')).sort().map((f) => path.join(dir, f));
const t0 = performance.now();
let events = 0;
for (const f of files) events += JSON.parse(gunzipSync(fs.readFileSync(f)).toString('utf8')).Records.length;
console.log(JSON.stringify({ events, seconds: (performance.now() - t0) / 1000 }));

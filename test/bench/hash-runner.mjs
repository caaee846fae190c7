// Child process for scripts/bench.mjs: runs one hashing call from the bundled engine and prints
// JSON with the result, the time inside the call, and this process's peak resident memory.
// Usage: node hash-runner.mjs <bundle.mjs> hash <file>  |  node hash-runner.mjs <bundle.mjs> copy <file> <dest>
const [modulePath, mode, file, dest] = process.argv.slice(2);
const { hashFile, copyAndHash } = await import(modulePath);
const started = process.hrtime.bigint();
const result = mode === 'copy' ? await copyAndHash(file, dest) : await hashFile(file);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
// maxRSS is in KiB and covers the worker threads too: they live in this process.
console.log(JSON.stringify({ result, seconds, maxRssKiB: process.resourceUsage().maxRSS }));

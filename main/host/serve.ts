/**
 * Entry of `npm run serve` (bundled to dist/main/serve.cjs): starts the app in browser mode and
 * the loopback host, prints the one URL that opens it, and closes the app cleanly on a signal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../app.js';
import { startHost } from './server.js';
import { parseServeOptions, USAGE } from './serve-options.js';

// The bundle is CommonJS (dist/main/serve.cjs), where __dirname is defined; fall back to argv for other runners.
const scriptDir = typeof __dirname === 'string' ? __dirname : path.dirname(path.resolve(process.argv[1] ?? '.'));

async function main(): Promise<void> {
  let options;
  try {
    options = parseServeOptions(process.argv.slice(2), process.env, scriptDir);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (!fs.existsSync(path.join(options.staticDir, 'index.html'))) {
    process.stderr.write(`No built renderer in ${options.staticDir}: run \`npm run build\` first.\n`);
    process.exit(1);
  }

  const app = createApp({ userDataDir: options.userDataDir, door: 'browser', casesDir: options.casesDir, nativeDialogs: false });
  const host = await startHost({ app, port: options.port, staticDir: options.staticDir });
  process.stdout.write(`Caseward is ready: ${host.url}\n`);
  process.stdout.write(`Listening on 127.0.0.1 only (loopback). From another machine, use a port forward (ssh -L or SSM).\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      process.stderr.write(`Second ${signal}: exiting without waiting.\n`);
      process.exit(130);
    }
    stopping = true;
    process.stdout.write(`${signal} received: stopping jobs and closing cases...\n`);
    // Close the app first so running jobs are marked interrupted, then stop serving.
    app
      .close()
      .then(() => host.close())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        process.stderr.write(`Error while closing: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Caseward host failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});

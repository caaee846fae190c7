/**
 * The CLI door: `caseward <command> …` drives the same contract as the app, for scripting and
 * batch work. Output is human-readable, or JSON with --json. Exit code 1 on any failure or
 * verification problem, 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { createApp } from '../app.js';
import { defaultUserDataDir } from '../core/workstation/paths.js';
import { commands, usage, type CliIo } from './commands.js';
import { CliFailure } from './cli-support.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(usage);
    return command ? 0 : 2;
  }
  const run = commands[command];
  if (!run) {
    process.stderr.write(`Unknown command "${command}".\n\n${usage}`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options: run.options });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const app = createApp({
    userDataDir: typeof values['user-data'] === 'string' ? values['user-data'] : defaultUserDataDir(),
    casesDir: typeof values['cases-dir'] === 'string' ? values['cases-dir'] : undefined,
    door: 'cli',
  });
  const io: CliIo = {
    app,
    json: values.json === true,
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  };
  try {
    return await run.run(parsed.positionals, values, io);
  } catch (err) {
    if (err instanceof CliFailure) {
      io.err(`caseward: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`caseward: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);

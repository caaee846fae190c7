/** Command-line and environment options of `npm run serve`, parsed without starting anything. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultUserDataDir } from '../core/workstation/paths.js';

export interface ServeOptions {
  port: number;
  userDataDir: string;
  casesDir: string | undefined;
  staticDir: string;
}

export const USAGE = `Usage: node dist/main/serve.cjs [--port N] [--user-data DIR] [--cases-dir DIR] [--static-dir DIR]

  --port N          port on 127.0.0.1 (default 0 = a free port; env CASEWARD_PORT)
  --user-data DIR   workstation settings folder (default: the Electron app's; env CASEWARD_USER_DATA)
  --cases-dir DIR   where new cases go by default (env CASEWARD_CASES_DIR)
  --static-dir DIR  the built renderer (default: dist/renderer next to this script)
`;

/** Parses argv (without node and script) and env; throws an Error with a readable message on bad input. */
export function parseServeOptions(argv: string[], env: NodeJS.ProcessEnv, scriptDir: string): ServeOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'user-data': { type: 'string' },
      'cases-dir': { type: 'string' },
      'static-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const portText = values.port ?? env.CASEWARD_PORT ?? '0';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${portText}".`);
  const casesDir = values['cases-dir'] ?? env.CASEWARD_CASES_DIR;
  const userData = values['user-data'] ?? env.CASEWARD_USER_DATA;
  return {
    port,
    userDataDir: userData ? path.resolve(userData) : defaultUserDataDir(),
    casesDir: casesDir ? path.resolve(casesDir) : undefined,
    staticDir: path.resolve(values['static-dir'] ?? path.join(scriptDir, '..', 'renderer')),
  };
}

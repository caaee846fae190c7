#!/usr/bin/env node
// The `caseward` command: a thin launcher for the bundled CLI (built by `npm run build`).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const cli = path.join(__dirname, '..', 'dist', 'main', 'cli.cjs');
if (!fs.existsSync(cli)) {
  process.stderr.write(
    `caseward: the CLI has not been built (${path.relative(process.cwd(), cli) || cli} is missing).\n` +
      'Run `npm run build` in the Caseward folder, then try again.\n',
  );
  process.exit(1);
}
require(cli);

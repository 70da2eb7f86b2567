#!/usr/bin/env node
// The built CLI (npm run build writes dist/). Exit codes: 0 ok, 1 check failed, 64 usage, 78 CONFIG_INVALID.
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`c360: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(70);
  },
);

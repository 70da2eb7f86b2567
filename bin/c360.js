#!/usr/bin/env -S node --max-semi-space-size=64
// --max-semi-space-size=64: a young generation of 64 MB semi-spaces instead of V8's 16, so the
// short-lived objects of a request (rows, records, answers) die young instead of being copied
// and promoted; Q2 of the issue-12 bench spent ~20% less gateway CPU per request (bench/README.md).
// `npm start` and deploy/Dockerfile run this file directly, so the flag is set here only.
// The built CLI (npm run build writes dist/). Exit codes: 0 ok, 1 check failed, 64 usage, 78 CONFIG_INVALID.
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`c360: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(70);
  },
);

#!/usr/bin/env bash
# The nightly-sized fuzz run on PostgreSQL: starts a throwaway PostgreSQL from the embedded-postgres package
# (as the TypeScript tests do, test/support/global-setup.ts) and runs scripts/fuzz.sh against a `ferry server`
# on it, with more examples per operation than `npm test`'s SQLite run. Arguments go to fuzz.sh ($1: a JUnit path).
#   FERRY_FUZZ_EXAMPLES  examples per operation (default 100 here)
#   FERRY_FUZZ_STORE     an existing postgres:// URL to use instead of starting one
set -uo pipefail
cd "$(dirname "$0")/.."
export FERRY_FUZZ_EXAMPLES=${FERRY_FUZZ_EXAMPLES:-100}
if [ -n "${FERRY_FUZZ_STORE:-}" ]; then
  exec bash scripts/fuzz.sh "$@"
fi
# Node starts the cluster, runs the fuzzer with its URL and stops the cluster whatever the outcome.
exec node --input-type=module -e '
  import { spawnSync } from "node:child_process";
  import { chmodSync, mkdtempSync, rmSync } from "node:fs";
  import { createServer } from "node:net";
  import { tmpdir } from "node:os";
  import { join } from "node:path";
  import EmbeddedPostgres from "embedded-postgres";

  const port = await new Promise((resolve, reject) => {
    const srv = createServer().once("error", reject).listen(0, "127.0.0.1", () => {
      const p = srv.address().port;
      srv.close(() => resolve(p));
    });
  });
  const dir = mkdtempSync(join(tmpdir(), "ferry-fuzz-pg-"));
  // As root, embedded-postgres runs PostgreSQL as a separate postgres user, which must be able to create the data dir.
  chmodSync(dir, 0o777);
  const password = `pw${Math.random().toString(36).slice(2)}`;
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, "data"), port, user: "ferry", password, persistent: false,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off"],
    onLog: () => {}, onError: () => {}, createPostgresUser: true,
  });
  let status = 1;
  try {
    await pg.initialise();
    await pg.start();
    await pg.createDatabase("ferry_fuzz");
    const env = { ...process.env, FERRY_FUZZ_STORE: `postgres://ferry:${password}@127.0.0.1:${port}/ferry_fuzz` };
    status = spawnSync("bash", ["scripts/fuzz.sh", ...process.argv.slice(1)], { stdio: "inherit", env }).status ?? 1;
  } finally {
    await pg.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(status);
' "$@"

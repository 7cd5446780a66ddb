// Builds dist/ once before the tests, so the process-level tests run exactly what `npm start`
// runs.

import { execFileSync } from "node:child_process";
import { chmodSync } from "node:fs";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  // For quick runs of tests that need no dist/ while the build is broken elsewhere.
  if (process.env["HWCERT_TEST_SKIP_BUILD"] === "1") return;
  const root = fileURLToPath(new URL("..", import.meta.url));
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });
  // tsc writes 0644; the package's bin must be executable (as `npm run build` leaves it), or
  // `npx huaweicloud-cert-exporter` in a fresh checkout fails with "Permission denied".
  chmodSync(`${root}/dist/main.js`, 0o755);
}

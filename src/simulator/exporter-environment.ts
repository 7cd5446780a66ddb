// The HWCERT_* settings that point the exporter at a running simulator: its endpoints, project,
// token, and a download policy that admits its plain-http OBS host on the loopback address.
// Used by `npm run demo`, the tests and the benchmark, which add their own schedule and address.
// Names only: the simulator still shares no code with the exporter.

import { DEMO_CCM_CERTIFICATES } from "./scenario.js";
import type { Simulator } from "./simulator.js";

export function exporterEnvironment(sim: Simulator): Record<string, string> {
  return {
    HWCERT_REGION: sim.region,
    HWCERT_PROJECT_ID: sim.projectId,
    HWCERT_AUTH_TOKEN: sim.authToken,
    HWCERT_ELB_ENDPOINT: sim.endpoints.elb,
    HWCERT_GEMINIDB_ENDPOINT: sim.endpoints.geminidb,
    HWCERT_CCM_ENDPOINT: sim.endpoints.ccm,
    HWCERT_IAM_ENDPOINT: sim.endpoints.iam,
    // EPS is answered by the simulated IAM (both global services).
    HWCERT_EPS_ENDPOINT: sim.endpoints.iam,
    HWCERT_DOWNLOAD_ALLOW_HTTP: "true",
    HWCERT_DOWNLOAD_ALLOWED_HOSTS: new URL(sim.endpoints.obs).hostname,
  };
}

/**
 * Settings as `NAME=value` lines that a .env file and a POSIX shell both read the same way:
 * values with anything beyond a plain set of characters are single-quoted (neither reads
 * anything inside single quotes, so a value may not hold one).
 */
export function formatEnvironmentLines(settings: Readonly<Record<string, string>>): string[] {
  return Object.entries(settings).map(([name, value]) => {
    if (/^[\w.,:/@+*{}-]*$/.test(value)) return `${name}=${value}`;
    if (value.includes("'")) throw new Error(`${name}: a value with ' cannot be quoted`);
    return `${name}='${value}'`;
  });
}

/**
 * The settings of `npm run demo` on top of exporterEnvironment: every source, and the demo's
 * operator marking the CCM certificates it knows to be unused as stored only. The demo, the
 * simulator's printed settings, the documentation generator and the demo's tests share them.
 */
export function demoEnvironment(sim: Simulator): Record<string, string> {
  return {
    ...exporterEnvironment(sim),
    HWCERT_SOURCES: "elb,geminidb,ccm",
    HWCERT_STORED_CERTIFICATES: DEMO_CCM_CERTIFICATES.filter((spec) => spec.markedStored)
      .map((spec) => spec.id)
      .join(","),
  };
}

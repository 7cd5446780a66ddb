// `node dist/simulator/main.js [--host H] [--base-port N]`: runs the simulator with the demo
// scenario until SIGINT/SIGTERM and prints the HWCERT_* settings an exporter needs to use it,
// as lines to paste into a .env file or a shell: endpoints, project, token, sources and the
// download allow-list of its file host. A dev and demo tool only: every secret it prints is fake.
import "reflect-metadata";
import { parseArgs } from "node:util";
import { demoEnvironment, formatEnvironmentLines } from "./exporter-environment.js";
import { seedDemoScenario } from "./scenario.js";
import { startSimulator, type SimulatorOptions } from "./simulator.js";

async function main(argv: readonly string[]): Promise<number> {
  let values: { host?: string; "base-port"?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { host: { type: "string" }, "base-port": { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.stderr.write("usage: main.js [--host 127.0.0.1] [--base-port N]\n");
    return 2;
  }
  const options: { -readonly [K in keyof SimulatorOptions]: SimulatorOptions[K] } = {};
  if (values.host !== undefined) options.host = values.host;
  if (values["base-port"] !== undefined) {
    const base = Number(values["base-port"]);
    if (!Number.isInteger(base) || base < 1 || base > 65531) {
      process.stderr.write(`--base-port: "${values["base-port"]}" is not a port from 1 to 65531\n`);
      return 2;
    }
    // Consecutive ports in a fixed order, so compose files and docs can rely on them.
    options.ports = { elb: base, geminidb: base + 1, iam: base + 2, obs: base + 3, ccm: base + 4 };
  }

  const sim = await startSimulator(options);
  const scenario = await seedDemoScenario(sim, Date.now());
  const { iam } = sim;
  process.stdout.write(
    [
      `# Huawei Cloud simulator: ${String(scenario.elb.length)} ELB certificates and ${String(scenario.listeners.length)} listeners, ${String(scenario.geminidb.length)} GeminiDB instances, ${String(scenario.ccm.length)} CCM certificates.`,
      "# Settings for an exporter to use it: paste them into .env (or export them), then npm start.",
      // Every source, and the CCM certificates the demo marks stored only.
      ...formatEnvironmentLines(demoEnvironment(sim)),
      "# Or sign in as the simulated IAM user instead of HWCERT_AUTH_TOKEN:",
      ...formatEnvironmentLines({
        HWCERT_IAM_DOMAIN: iam.credentials.domain,
        HWCERT_IAM_USERNAME: iam.credentials.username,
        HWCERT_IAM_PASSWORD: iam.credentials.password,
      }).map((line) => `# ${line}`),
      "# Ctrl-C stops the simulator.",
      "",
    ].join("\n"),
  );

  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await sim.close();
  return 0;
}

process.exitCode = await main(process.argv.slice(2));

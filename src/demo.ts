// `npm run demo`: the exporter against the built-in Huawei Cloud simulator, seeded with the demo
// scenario (src/simulator/scenario.ts). ELB certificates bound to HTTPS listeners page
// (api-example-com expires in 5 days, legacy-example-com has expired) or warn (cdn-example-com's
// intermediate expires in 20 days); one expiring certificate is only stored (a notice, never a
// page); healthy, CA, CCM-managed and broken-PEM certificates are bound too. GeminiDB instances
// have SSL on, off and a CCM certificate; Cloud Certificate Manager certificates come in every
// status, the revoked one in use by an ELB certificate. Runs the same daemon `npm start` runs;
// only the environment differs, so any command works against the simulator too
// (`npm run demo -- check`).
import "reflect-metadata";
import { run } from "./cli/run.js";
import { demoEnvironment, seedDemoScenario, startSimulator } from "./simulator/index.js";

const sim = await startSimulator();
const scenario = await seedDemoScenario(sim, Date.now());
const listen = process.env["HWCERT_LISTEN_ADDRESS"] ?? "127.0.0.1:10057";
const address = listen.replace(/^0\.0\.0\.0:/, "127.0.0.1:");

const serving = [undefined, "serve"].includes(process.argv[2]);

process.stderr.write(
  [
    `Huawei Cloud simulator: ${String(scenario.elb.length)} ELB certificates and ${String(scenario.listeners.length)} listeners, ${String(scenario.geminidb.length)} GeminiDB instances, ${String(scenario.ccm.length)} CCM certificates`,
    ...(serving
      ? [`Status page: http://${address}/  Metrics: http://${address}/metrics  (Ctrl-C to stop)`]
      : []),
    "",
  ].join("\n"),
);

const exitCode = await run(
  process.argv.slice(2),
  {
    ...demoEnvironment(sim),
    HWCERT_POLL_SCHEDULE: "*/30 * * * * *",
    HWCERT_LISTEN_ADDRESS: listen,
    ...(process.env["HWCERT_LOG_LEVEL"]
      ? { HWCERT_LOG_LEVEL: process.env["HWCERT_LOG_LEVEL"] }
      : {}),
  },
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTty: process.stderr.isTTY,
    stdoutColour: process.stdout.isTTY && !process.env["NO_COLOR"],
  },
  process,
  { envFile: null },
);
await sim.close();
// Like main.ts, no process.exit(): with the exporter and the simulator closed, Node exits by itself.
process.exitCode = exitCode;

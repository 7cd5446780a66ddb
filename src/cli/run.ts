// The command line: parses argv, loads and validates configuration (every problem reported, no
// stack traces), starts the daemon and turns SIGTERM/SIGINT into an orderly stop. Returns the
// process exit code instead of exiting, so tests can call it.

import { readEnvironment, readSecretFile } from "../config/read-environment.js";
import { loadConfig, type Environment } from "../config/load-config.js";
import { VERSION } from "../version.js";
import { startDaemon } from "./daemon.js";

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const USAGE = `Usage: huaweicloud-cert-exporter [options]

Prometheus exporter for SSL/TLS certificates on Huawei Cloud. Configuration comes from HWCERT_*
environment variables (and a .env file in the working directory); see config/example.env.

Options:
  --check-config  validate the configuration and exit (0 valid, 1 invalid)
  --version       print the version and exit
  --help          show this help
`;

export interface RunOptions {
  /** The .env file merged under the environment; null reads none (the demo). */
  readonly envFile?: string | null;
}

export async function run(
  argv: readonly string[],
  env: Environment,
  io: CliIo,
  signals: Pick<NodeJS.Process, "on" | "off"> = process,
  options: RunOptions = {},
): Promise<number> {
  const flags = new Set(argv);
  for (const flag of flags) {
    if (!["--check-config", "--version", "--help", "-h"].includes(flag)) {
      io.stderr(`huaweicloud-cert-exporter: unknown option ${flag}\n\n${USAGE}`);
      return 1;
    }
  }
  if (flags.has("--help") || flags.has("-h")) {
    io.stdout(USAGE);
    return 0;
  }
  if (flags.has("--version")) {
    io.stdout(`huaweicloud-cert-exporter ${VERSION}\n`);
    return 0;
  }

  let environment: Environment;
  try {
    const envFile = options.envFile === undefined ? ".env" : options.envFile;
    environment = envFile === null ? env : readEnvironment(env, envFile);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    io.stderr(`configuration error: .env: cannot read the file (${code})\n`);
    return 1;
  }
  const result = loadConfig(environment, { readSecretFile });
  if (!result.ok) {
    for (const message of result.errors) io.stderr(`configuration error: ${message}\n`);
    io.stderr(`${result.errors.length} configuration error(s); the exporter did not start.\n`);
    return 1;
  }
  if (flags.has("--check-config")) {
    io.stdout("configuration is valid\n");
    return 0;
  }

  let daemon;
  try {
    daemon = await startDaemon({ config: result.config });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const { host, port } = result.config.listen;
    io.stderr(
      code && /^E[A-Z]+$/.test(code)
        ? `start-up failed: cannot listen on ${host}:${port} (${code})\n`
        : `start-up failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
  const { logger } = daemon;

  const onRejection = (reason: unknown): void => {
    logger.error({ err: reason }, "unhandled promise rejection");
  };
  process.on("unhandledRejection", onRejection);

  let signalled = false;
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  await new Promise<void>((resolve) => {
    onSignal = (signal) => {
      if (signalled) {
        // A second signal while stopping: the operator wants out now.
        logger.warn({ signal }, "second signal: exiting now");
        process.exit(1);
      }
      signalled = true;
      logger.info({ signal }, "shutting down");
      daemon.stop().then(resolve, (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        resolve();
      });
    };
    signals.on("SIGTERM", onSignal);
    signals.on("SIGINT", onSignal);
  });
  signals.off("SIGTERM", onSignal);
  signals.off("SIGINT", onSignal);
  process.off("unhandledRejection", onRejection);
  return 0;
}

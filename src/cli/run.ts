// The command line: `serve` (default), `check`, `config check`, `--version`, each with --help
// (commander). Loads and validates configuration (every problem reported, no stack traces),
// runs the command and turns SIGTERM/SIGINT into an orderly stop. Returns the process exit code
// instead of exiting, so tests and the demo can call it.

import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { LOG_LEVELS, type Config, type LogLevel } from "../config/config.js";
import { loadConfig, type Environment } from "../config/load-config.js";
import { readEnvironment, readSecretFile } from "../config/read-environment.js";
import { CHECK_EXIT_CODES } from "../status/verdict.js";
import { VERSION } from "../version.js";
import { runCheck } from "./check.js";
import { renderConfigReport } from "./config-report.js";
import { describeListenFailure } from "./listen-failure.js";
import { installProcessGuards } from "./process-guards.js";
import { startDaemon } from "./daemon.js";

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** stderr is a terminal: `check` may draw a progress line there. */
  readonly stderrIsTty?: boolean;
  /** stdout is a terminal that should get colours (and NO_COLOR is not set). */
  readonly stdoutColour?: boolean;
}

export interface RunOptions {
  /** The .env file merged under the environment; null reads none (the demo). */
  readonly envFile?: string | null;
}

const NAME = "huaweicloud-cert-exporter";

const CONFIGURATION_HELP = `
Configuration comes from HWCERT_* environment variables, a .env file in the working directory
(the environment wins) and optionally HWCERT_CONFIG_FILE; see config/example.env.`;

const CHECK_HELP = `
Exit codes (the first that applies wins):
  2  a certificate in use has expired, is revoked, or is within its critical limit (it pages)
  3  a source or a resource (a certificate, a CA download link) could not be read (also: bad
     configuration or options)
  1  a certificate in use is within its warning limit
  0  everything was read and no certificate in use is within its warning limit
  130 interrupted

In use means what the alert rules page for: an ELB certificate on a listener (or whose listeners
are unknown), every GeminiDB CA, and a CCM certificate unless nothing uses it and it is listed in
HWCERT_STORED_CERTIFICATES. A certificate only stored (an ELB certificate on no listener, or one
listed there) is a NOTICE once it nears expiry and never changes the exit code; --include-stored
judges it as if it were in use.

The limits are the alert rules' and the status page's: a resource's own thresholds
(HWCERT_CERTIFICATE_THRESHOLDS), else min(30 % / 10 % of the certificate's lifetime, 28 / 7 days),
else 28 / 7 days. --warn-days and --critical-days replace them by fixed numbers of days (either
alone keeps the other's default of 30 or 7), except for resources with their own thresholds.

Examples:
  $ ${NAME} check
  $ ${NAME} check --include-stored
  $ ${NAME} check --warn-days 21 --critical-days 3 --output json | jq '.certificates[0]'
  $ ${NAME} check >/dev/null || echo "certificates need attention (exit $?)"
${CONFIGURATION_HELP}`;

export async function run(
  argv: readonly string[],
  env: Environment,
  io: CliIo,
  signals: Pick<NodeJS.Process, "on" | "off"> = process,
  options: RunOptions = {},
): Promise<number> {
  // The flag of earlier versions stays an alias of `config check`.
  const args = argv.includes("--check-config")
    ? ["config", "check", ...argv.filter((arg) => arg !== "--check-config")]
    : [...argv];

  let exitCode = 0;
  const commands: CommandContext = {
    io,
    signals,
    load: (failureCode, what) => {
      const loaded = loadConfiguration(env, io, options, what);
      if (loaded === null) exitCode = failureCode;
      return loaded;
    },
    exit: (code) => {
      exitCode = code;
    },
  };
  const program = rootCommand(io);
  addServeCommand(program, commands);
  addCheckCommand(program, commands);
  addConfigCommand(program, commands);

  // Without this, a mistyped command would run `serve` and fail on "too many arguments".
  const first = args[0];
  if (
    first !== undefined &&
    !first.startsWith("-") &&
    !program.commands.some((c) => c.name() === first)
  ) {
    io.stderr(`${NAME}: unknown command '${first}' (run ${NAME} --help for usage)\n`);
    return 1;
  }

  try {
    await program.parseAsync(args, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  return exitCode;
}

/** What every command's action needs: the streams, the signals, the configuration, the exit code. */
interface CommandContext {
  readonly io: CliIo;
  readonly signals: Pick<NodeJS.Process, "on" | "off">;
  /** The configuration, or null after its problems were printed and `failureCode` was set. */
  readonly load: (failureCode: number, what: string) => LoadedConfiguration | null;
  readonly exit: (code: number) => void;
}

function rootCommand(io: CliIo): Command {
  return new Command(NAME)
    .description("Prometheus exporter for SSL/TLS certificates on Huawei Cloud.")
    .version(`${NAME} ${VERSION}`, "--version", "print the version and exit")
    .helpOption("-h, --help", "show help")
    .helpCommand(false)
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .showHelpAfterError(`(run ${NAME} --help for usage)`)
    .exitOverride()
    .addHelpText(
      "after",
      `
Run ${NAME} <command> --help for a command's options; without a command, serve runs.
${CONFIGURATION_HELP}`,
    );
}

function addServeCommand(program: Command, { io, signals, load, exit }: CommandContext): void {
  program
    .command("serve", { isDefault: true })
    .description("run the exporter: poll on the schedule, serve /metrics and the status page")
    .addHelpText(
      "after",
      `
The status page is at / and its data at /?format=json; Prometheus scrapes /metrics, and /healthz
and /readyz answer liveness and readiness probes.
${CONFIGURATION_HELP}`,
    )
    .action(async () => {
      const loaded = load(1, "the exporter did not start");
      if (loaded) exit(await serve(loaded, io, signals));
    });
}

interface CheckFlags {
  readonly warnDays?: number;
  readonly criticalDays?: number;
  readonly includeStored: boolean;
  readonly output: "table" | "json";
  readonly logLevel: LogLevel;
}

function addCheckCommand(program: Command, { io, signals, load, exit }: CommandContext): void {
  const check = program
    .command("check")
    .description("poll once, print every certificate and exit 0/1/2/3 (for cron and CI)")
    .addOption(
      new Option(
        "--warn-days <days>",
        "fixed warning limit: exit 1 when a certificate in use expires within this many days",
      ).argParser(parseDays),
    )
    .addOption(
      new Option(
        "--critical-days <days>",
        "fixed critical limit: exit 2 when a certificate in use expires within this many days",
      ).argParser(parseDays),
    )
    .addOption(
      new Option(
        "--include-stored",
        "judge certificates that are only stored as if they were in use",
      ).default(false),
    )
    .addOption(
      new Option("-o, --output <format>", "report format")
        .choices(["table", "json"])
        .default("table"),
    )
    .addOption(
      new Option("--log-level <level>", "JSON logs on stderr from this level")
        .choices(LOG_LEVELS)
        .default("error"),
    )
    .addHelpText("after", CHECK_HELP)
    .showHelpAfterError(`(run ${NAME} check --help for usage)`)
    .action(async (flags: CheckFlags) => {
      const fixedDays =
        flags.warnDays === undefined && flags.criticalDays === undefined
          ? null
          : { warnDays: flags.warnDays ?? 30, criticalDays: flags.criticalDays ?? 7 };
      if (fixedDays !== null && fixedDays.criticalDays > fixedDays.warnDays) {
        io.stderr(
          `${NAME} check: --critical-days (${fixedDays.criticalDays}) must not exceed --warn-days (${fixedDays.warnDays})\n`,
        );
        exit(CHECK_EXIT_CODES.unreadable);
        return;
      }
      const loaded = load(CHECK_EXIT_CODES.unreadable, "the check did not run");
      if (loaded) {
        printWarnings(io, loaded.warnings);
        exit(await runCheck(loaded.config, { ...flags, fixedDays }, io, signals));
      }
    });
  // Usage errors of `check` exit 3 ("could not check"), never 1, which means "warning" there.
  check.exitOverride((error) => {
    throw error.exitCode === 0
      ? error
      : new CommanderError(CHECK_EXIT_CODES.unreadable, error.code, error.message);
  });
}

function addConfigCommand(program: Command, { io, load }: CommandContext): void {
  program
    .command("config")
    .description("configuration commands: config check")
    .helpCommand(false)
    .command("check")
    .description("validate the configuration and print the effective settings, secrets masked")
    .addHelpText(
      "after",
      `
Exits 0 when the configuration is valid, 1 with one line per problem when not.
--check-config is an alias of this command.
${CONFIGURATION_HELP}`,
    )
    .action(() => {
      const loaded = load(1, "the configuration is not valid");
      if (loaded) io.stdout(renderConfigReport(loaded.config, loaded.warnings));
    });
}

function parseDays(value: string): number {
  const days = Number(value);
  if (value.trim() === "" || !Number.isFinite(days) || days < 0 || days > 36_500) {
    throw new InvalidArgumentError("expected a number of days, 0 or more");
  }
  return days;
}

interface LoadedConfiguration {
  readonly config: Config;
  /** Accepted but doubtful settings (an unknown region), each naming the setting. */
  readonly warnings: readonly string[];
}

function printWarnings(io: CliIo, warnings: readonly string[]): void {
  for (const warning of warnings) io.stderr(`configuration warning: ${warning}\n`);
}

function loadConfiguration(
  env: Environment,
  io: CliIo,
  options: RunOptions,
  what: string,
): LoadedConfiguration | null {
  let environment: Environment;
  try {
    const envFile = options.envFile === undefined ? ".env" : options.envFile;
    environment = envFile === null ? env : readEnvironment(env, envFile);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    io.stderr(`configuration error: .env: cannot read the file (${code})\n`);
    return null;
  }
  const result = loadConfig(environment, { readSecretFile });
  if (!result.ok) {
    for (const message of result.errors) io.stderr(`configuration error: ${message}\n`);
    printWarnings(io, result.warnings);
    io.stderr(`${result.errors.length} configuration error(s); ${what}.\n`);
    return null;
  }
  return { config: result.config, warnings: result.warnings };
}

async function serve(
  { config, warnings }: LoadedConfiguration,
  io: CliIo,
  signals: Pick<NodeJS.Process, "on" | "off">,
): Promise<number> {
  let daemon;
  try {
    daemon = await startDaemon({ config });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    io.stderr(
      code && /^E[A-Z]+$/.test(code)
        ? `start-up failed: ${describeListenFailure(config.listen, code)}\n`
        : `start-up failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
  const { logger } = daemon;
  for (const warning of warnings) logger.warn({ warning }, "configuration warning");

  const removeGuards = installProcessGuards(process, logger, daemon.metrics);

  let signalled = false;
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  await new Promise<void>((resolve) => {
    onSignal = (signal) => {
      if (signalled) {
        // A second signal while stopping: the operator wants out now, so this is the one place
        // that exits without waiting for the orderly stop (a poll or a client still finishing).
        // It is no cover for leaks: a single signal ends the process by itself.
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
  removeGuards();
  return 0;
}

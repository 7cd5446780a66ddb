// The image built from the repository's Dockerfile and run as a user would: every command of the
// README's Docker section runs here, with podman (engine settings in containers.conf) and the
// substitutions of readme-commands.ts, against the project's simulator on this machine. Run by
// `npm run test:container` once the base image exists (scripts/container-base.sh makes a stand-in
// where no registry is reachable); CI runs it after `npm test` and never skips it. The figures
// (build time, image size and what takes the space, stop times) are printed, and written to the
// file HWCERT_CONTAINER_RESULTS names, if any.

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { cpus, networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  exporterEnvironment,
  seedDemoScenario,
  startSimulator,
  type SeededDemoScenario,
  type Simulator,
} from "../../src/simulator/index.js";
import { ROOT, readYaml } from "../deploy/tools.js";
import { parseMetrics, valueOf, type Sample } from "../helpers/metrics-text.js";
import { forThisMachine, readDockerCommands, type Substitutions } from "./readme-commands.js";

const BASE_IMAGE = "docker.io/library/node:24-bookworm-slim";
const ENGINE_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  CONTAINERS_CONF: process.env["CONTAINERS_CONF"] ?? join(ROOT, "test/container/containers.conf"),
  // What `docker build` writes; podman's default (OCI) format has no HEALTHCHECK and drops it.
  BUILDAH_FORMAT: "docker",
};
const SOURCES = ["elb", "geminidb", "ccm"] as const;
const STOP_LIMIT_SECONDS = 6;
const MIB = 1024 * 1024;

interface Result {
  readonly code: number;
  readonly output: string;
  readonly seconds: number;
}

/** Runs a program; resolves with its exit code and combined output, never rejects. */
function execute(file: string, args: readonly string[], timeoutMs = 120_000): Promise<Result> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: ROOT, env: ENGINE_ENV, maxBuffer: 256 * MIB, timeout: timeoutMs, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        const seconds = (performance.now() - started) / 1000;
        resolve({ code, output: `${stdout}${stderr}`, seconds });
      },
    );
  });
}

/** A README command, through bash as a user's shell would run it. */
const shell = (command: string, timeoutMs?: number): Promise<Result> =>
  execute("bash", ["-c", command], timeoutMs);
const podman = (...args: string[]): Promise<Result> => execute("podman", args);

/** podman's stdout only (its stderr carries warnings such as the missing systemd timer). */
function podmanOut(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("podman", args, { env: ENGINE_ENV, maxBuffer: 64 * MIB }, (error, stdout, stderr) => {
      if (error) reject(new Error(`podman ${args.join(" ")}: ${stderr}`));
      else resolve(stdout);
    });
  });
}

async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * An IPv4 address of this machine that containers on podman's bridge network reach too (its
 * loopback address they do not), for the simulator: its endpoints and the download links it
 * hands out must work both from here and from inside the container.
 */
function machineAddress(): string {
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    if (/^(podman|cni|veth|docker|br-)/.test(name)) continue;
    const found = addresses?.find((a) => a.family === "IPv4" && !a.internal);
    if (found) return found.address;
  }
  throw new Error("no IPv4 address of this machine besides loopback for the simulator to use");
}

let counter = 0;
const names: string[] = [];
function nextName(): string {
  counter += 1;
  const name = `hwcert-test-${String(process.pid)}-${String(counter)}`;
  names.push(name);
  return name;
}

async function logsOf(name: string): Promise<string> {
  return (await podman("logs", name)).output;
}

/** Waits for /readyz (the first poll published); names the container's logs on timeout. */
async function waitReady(base: string, name: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${base}/readyz`).catch(() => null);
    if (response?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `${name} not ready at ${base} in ${String(timeoutMs)} ms:\n${await logsOf(name)}`,
  );
}

async function scrape(base: string): Promise<Sample[]> {
  const response = await fetch(`${base}/metrics`);
  expect(response.status).toBe(200);
  return parseMetrics(await response.text());
}

async function exitCodeOf(name: string): Promise<number> {
  return Number((await podmanOut("inspect", "--format", "{{.State.ExitCode}}", name)).trim());
}

/**
 * Runs a stop command; the container must end by itself (exit 0, not podman's SIGKILL after
 * 10 s), its own shutdown (SIGTERM received to process gone, from its log and the engine's
 * record) within 6 s. podman's own time, which grows with the machine's load, is recorded.
 */
async function stopTimed(command: string, name: string): Promise<Record<string, number>> {
  const issued = Date.now();
  const result = await shell(command);
  expect(result.code, result.output).toBe(0);
  const logs = await logsOf(name);
  expect(await exitCodeOf(name), logs).toBe(0);
  const finished = Date.parse(
    JSON.parse(
      await podmanOut("inspect", "--format", "{{json .State.FinishedAt}}", name),
    ) as string,
  );
  const received = /"time":"([^"]+)"[^\n]*"msg":"shutting down"/.exec(logs)?.[1];
  expect(received, logs).toBeDefined();
  const exporterSeconds = (finished - Date.parse(received!)) / 1000;
  expect(exporterSeconds).toBeLessThan(STOP_LIMIT_SECONDS);
  const round = (seconds: number): number => Math.round(seconds * 100) / 100;
  return {
    exporter: round(exporterSeconds),
    fromStopCommandToExit: round((finished - issued) / 1000),
    stopCommand: round(result.seconds),
  };
}

/** Apparent size of every file under `root`, by path relative to it. */
function fileSizes(root: string): Map<string, number> {
  const sizes = new Map<string, number>();
  const walk = (relative: string): void => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else sizes.set(path, lstatSync(join(root, path)).size);
    }
  };
  walk("");
  return sizes;
}

/** Mounts an image read-only for the duration of `use`. */
async function withImageMounted<T>(image: string, use: (root: string) => T): Promise<T> {
  const root = (await podmanOut("image", "mount", image)).trim();
  try {
    return use(root);
  } finally {
    await podman("image", "unmount", image);
  }
}

const mib = (bytes: number): number => Math.round((bytes / MIB) * 10) / 10;

const stopSeconds: Record<string, Record<string, number>> = {};
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, node: process.version },
  // Making (or importing, or finding) the base image, measured by scripts/container-test.sh.
  baseImageSeconds: Number(process.env["HWCERT_CONTAINER_BASE_SECONDS"] ?? NaN),
  stopSeconds,
};

let commands: string[] = [];
const command = (what: string, test: (c: string) => boolean): string => {
  const found = commands.filter(test);
  if (found.length !== 1) {
    throw new Error(
      `README.md "Docker": expected one ${what} command, found ${String(found.length)}`,
    );
  }
  return found[0]!;
};
let image = "";
let sim: Simulator | undefined;
let scenario: SeededDemoScenario;
let work = "";
const accessKey = randomBytes(10).toString("hex").toUpperCase();
const secretKey = randomBytes(20).toString("base64url");
let substitutions: (name: string, port: number) => Substitutions;

beforeAll(async () => {
  const version = await podman("--version");
  if (version.code !== 0) {
    throw new Error("podman is missing: apt-get install podman runc debootstrap (.ci/run does)");
  }
  results["machine"] = { ...(results["machine"] as object), podman: version.output.trim() };
  if ((await podman("image", "exists", BASE_IMAGE)).code !== 0) {
    throw new Error(
      `${BASE_IMAGE} is missing: run scripts/container-base.sh (or npm run test:container)`,
    );
  }

  commands = readDockerCommands(ROOT);
  const build = command("build", (c) => c.startsWith("docker build "));
  image = /\s-t\s+(\S+)/.exec(build)?.[1] ?? "";
  const built = await shell(
    forThisMachine(build, { name: "", port: 0, envFile: "", secretsDirectory: "" }),
    900_000,
  );
  if (built.code !== 0) throw new Error(`${build}\n${built.output.slice(-6000)}`);
  results["buildSeconds"] = Math.round(built.seconds);

  sim = await startSimulator({ host: machineAddress(), accessKeys: [{ accessKey, secretKey }] });
  scenario = await seedDemoScenario(sim, Date.now());

  // The README's .env and secrets directory: AK/SK as files, everything else as settings.
  work = mkdtempSync(join(tmpdir(), "hwcert-container-"));
  const secrets = join(work, "secrets");
  const envFile = join(work, "env");
  // AK/SK instead of the simulator's token.
  const settings: Record<string, string | undefined> = exporterEnvironment(sim);
  delete settings["HWCERT_AUTH_TOKEN"];
  const env = {
    ...settings,
    HWCERT_SOURCES: SOURCES.join(","),
    HUAWEICLOUD_SDK_AK_FILE: "/run/secrets/ak",
    HUAWEICLOUD_SDK_SK_FILE: "/run/secrets/sk",
  };
  writeFileSync(
    envFile,
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(""),
  );
  mkdirSync(secrets);
  chmodSync(secrets, 0o755);
  for (const [file, value] of [
    ["ak", accessKey],
    ["sk", secretKey],
  ] as const) {
    const path = join(secrets, file);
    writeFileSync(path, `${value}\n`);
    // Readable by the image's uid 1000 only, as a careful operator would leave them; where the
    // test cannot give files away (not root), readable by all.
    try {
      chownSync(path, 1000, 1000);
      chmodSync(path, 0o400);
    } catch {
      chmodSync(path, 0o444);
    }
  }
  substitutions = (name, port) => ({ name, port, envFile, secretsDirectory: secrets });
}, 900_000);

afterAll(async () => {
  for (const name of names) await podman("rm", "--force", "--time", "0", name);
  await sim?.close();
  if (work !== "") rmSync(work, { recursive: true, force: true });
  const text = `${JSON.stringify(results, null, 2)}\n`;
  console.log(`container test figures:\n${text}`);
  const file = process.env["HWCERT_CONTAINER_RESULTS"];
  if (file) writeFileSync(file, text);
});

describe("the README's Docker section", () => {
  it("holds only commands this test runs, each with the hardening flags", () => {
    const runs = commands.filter((c) => c.startsWith("docker run "));
    expect(runs).toHaveLength(3);
    for (const run of runs) {
      expect(run).toContain(" --read-only --cap-drop ALL --security-opt no-new-privileges ");
    }
    const known = [
      (c: string) => c.startsWith("docker build "),
      (c: string) => c.startsWith("docker run "),
      (c: string) => c.startsWith("docker inspect --format '{{.State.Health.Status}}' hwcert"),
      (c: string) => c === "docker stop hwcert",
    ];
    for (const c of commands)
      expect(
        known.some((test) => test(c)),
        c,
      ).toBe(true);
    expect(image).toBe(
      `huaweicloud-cert-exporter:${(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version}`,
    );
  });
});

describe("the image", () => {
  interface ImageConfig {
    User: string;
    Entrypoint: string[];
    ExposedPorts: Record<string, unknown>;
    Labels: Record<string, string>;
    Healthcheck?: { Test: string[] };
  }

  it("has the Dockerfile's user, entry point, health check, port and labels", async () => {
    const inspect = async (template: string): Promise<unknown> =>
      JSON.parse(await podmanOut("image", "inspect", "--format", `{{json ${template}}}`, image));
    // podman keeps the health check beside the config; its template finds it where docker does.
    const config = {
      ...((await inspect(".Config")) as ImageConfig),
      Healthcheck: (await inspect(".Config.Healthcheck")) as ImageConfig["Healthcheck"],
    };
    expect(config.User).toBe("1000:1000");
    expect(config.Entrypoint.slice(0, 1)).toEqual(["node"]);
    expect(Object.keys(config.ExposedPorts)).toEqual(["10057/tcp"]);
    const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
    const healthcheck = /^HEALTHCHECK .*\\\n\s*CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? "[]";
    expect(config.Healthcheck?.Test).toEqual(["CMD", ...(JSON.parse(healthcheck) as string[])]);
    const packageJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      version: string;
      description: string;
    };
    expect(config.Labels["org.opencontainers.image.version"]).toBe(packageJson.version);
    expect(config.Labels["org.opencontainers.image.description"]).toBe(packageJson.description);
    const head = await execute("git", ["rev-parse", "HEAD"]);
    if (head.code === 0) {
      expect(config.Labels["org.opencontainers.image.revision"]).toBe(head.output.trim());
    }
    expect(config.Labels["org.opencontainers.image.created"]).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("holds no npm, npx, dev dependencies, tests or TypeScript sources; records what takes the space", async () => {
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
      packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
    };
    const production = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== "" && !entry.dev && !entry.devOptional)
      .map(([path]) => path)
      .sort();

    const sizes = await withImageMounted(image, (root) => {
      const exists = (path: string): boolean => {
        try {
          lstatSync(join(root, path));
          return true;
        } catch {
          return false;
        }
      };
      for (const tool of ["npm", "npx", "corepack", "yarn", "yarnpkg"]) {
        expect(exists(`usr/local/bin/${tool}`), tool).toBe(false);
        expect(exists(`usr/local/lib/node_modules/${tool}`), tool).toBe(false);
      }
      expect(readdirSync(join(root, "app")).sort()).toEqual([
        "config",
        "dist",
        "node_modules",
        "package.json",
      ]);
      // The simulator stays in the image: the README's demo command and the compose demo run it.
      expect(exists("app/dist/demo.js") && exists("app/dist/simulator/index.js")).toBe(true);
      return fileSizes(root);
    });

    const program = [...sizes.keys()].filter(
      (path) => path.startsWith("app/") && !path.startsWith("app/node_modules/"),
    );
    expect(program.filter((path) => /\.(c|m)?ts$/.test(path) && !path.endsWith(".d.ts"))).toEqual(
      [],
    );
    expect(program.filter((path) => /(^|\/)(tests?|__tests__)\/|\.test\.js$/.test(path))).toEqual(
      [],
    );
    // Source maps point at src/ by name; with sourcesContent they would carry the sources.
    const maps = program.filter((path) => path.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(0);
    await withImageMounted(image, (root) => {
      for (const map of maps) {
        expect(readFileSync(join(root, map), "utf8"), map).not.toContain('"sourcesContent"');
      }
    });

    // Installed packages, nested ones included, are exactly the lockfile's production set.
    const packageDirectory =
      /^node_modules\/(?:@[^/]+\/)?[^/@]+(?:\/node_modules\/(?:@[^/]+\/)?[^/@]+)*$/;
    const installed = [...sizes.keys()]
      .filter((path) => path.startsWith("app/node_modules/") && path.endsWith("/package.json"))
      .map((path) => path.slice("app/".length, -"/package.json".length))
      .filter((path) => packageDirectory.test(path));
    expect(installed.sort()).toEqual(production);

    // What takes the space, as files seen in the running container (npm's files, deleted by
    // the runtime stage, still take their place in the base image's layer: counted apart).
    const share: Record<string, number> = {
      "Node.js binary (/usr/local/bin/node)": 0,
      "Node.js C headers (/usr/local/include)": 0,
      "Debian bookworm (the rest of the base image)": 0,
      "production dependencies (/app/node_modules)": 0,
      "the program (/app/dist without the simulator)": 0,
      "the simulator and demo (/app/dist/simulator, demo.js)": 0,
      "configuration examples and package.json": 0,
    };
    const dependencies = new Map<string, number>();
    for (const [path, size] of sizes) {
      const key = path.startsWith("usr/local/bin/node")
        ? "Node.js binary (/usr/local/bin/node)"
        : path.startsWith("usr/local/include/")
          ? "Node.js C headers (/usr/local/include)"
          : path.startsWith("app/node_modules/")
            ? "production dependencies (/app/node_modules)"
            : path.startsWith("app/dist/simulator/") || path.startsWith("app/dist/demo.js")
              ? "the simulator and demo (/app/dist/simulator, demo.js)"
              : path.startsWith("app/dist/")
                ? "the program (/app/dist without the simulator)"
                : path.startsWith("app/")
                  ? "configuration examples and package.json"
                  : "Debian bookworm (the rest of the base image)";
      share[key] = (share[key] ?? 0) + size;
      const dependency = /^app\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];
      if (dependency) dependencies.set(dependency, (dependencies.get(dependency) ?? 0) + size);
    }
    const npmInBaseLayer = await withImageMounted(BASE_IMAGE, (root) =>
      [...fileSizes(join(root, "usr/local/lib/node_modules/npm")).values()].reduce(
        (a, b) => a + b,
        0,
      ),
    );
    const engineSize = async (name: string): Promise<number> =>
      Number((await podmanOut("image", "inspect", "--format", "{{.Size}}", name)).trim());
    const imageBytes = await engineSize(image);
    const baseBytes = await engineSize(BASE_IMAGE);
    results["image"] = {
      name: image,
      base: BASE_IMAGE,
      sizeMiB: mib(imageBytes),
      baseMiB: mib(baseBytes),
      addedByTheDockerfileMiB: mib(imageBytes - baseBytes),
      filesMiB: Object.fromEntries(Object.entries(share).map(([k, v]) => [k, mib(v)])),
      npmDeletedButInBaseLayerMiB: mib(npmInBaseLayer),
      largestDependenciesMiB: Object.fromEntries(
        [...dependencies]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 6)
          .map(([k, v]) => [k, mib(v)]),
      ),
    };
  });
});

describe("running the image as the README says", () => {
  it("serves every source and the simulator's certificates as uid 1000, read-only, without capabilities; healthy; stops with exit 0", async () => {
    const name = nextName();
    const port = await freePort("127.0.0.1");
    const run = command("run", (c) => c.startsWith("docker run -d ") && c.includes(" -p "));
    const started = await shell(forThisMachine(run, substitutions(name, port)));
    expect(started.code, started.output).toBe(0);
    const base = `http://127.0.0.1:${String(port)}`;
    await waitReady(base, name);

    const samples = await scrape(base);
    for (const source of SOURCES) {
      expect(valueOf(samples, "hwcert_source_up", { source }), source).toBe(1);
    }
    const labelValues = new Set(samples.flatMap((sample) => Object.values(sample.labels)));
    const expected = [
      ...scenario.elb.map((c) => c.id),
      ...scenario.geminidb.filter((i) => i.caPem !== undefined).map((i) => i.id),
      ...scenario.ccm.map((c) => c.id),
    ];
    expect(expected.filter((id) => !labelValues.has(id))).toEqual([]);

    const page = await fetch(`${base}/`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("huaweicloud-cert-exporter</title>");
    const elbName = scenario.elb[0]!.spec.name;
    expect(html).toContain(elbName);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    // The process as the kernel sees it: uid/gid 1000, no capability at all, no_new_privs.
    const status = await podmanOut("exec", name, "cat", "/proc/1/status");
    expect(status).toMatch(/^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
    expect(status).toMatch(/^Gid:\s+1000\s+1000\s+1000\s+1000$/m);
    for (const set of ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"]) {
      expect(status).toMatch(new RegExp(`^${set}:\\s+0{16}$`, "m"));
    }
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
    const cmdline = await podmanOut("exec", name, "cat", "/proc/1/cmdline");
    expect(cmdline.split("\0")).toContain("dist/main.js");
    // Read-only root and read-only secrets, which the exporter read at start.
    for (const path of [
      "/app/dist/main.js",
      "/app/written",
      "/home/node/written",
      "/run/secrets/ak",
    ]) {
      const write = await podman("exec", name, "sh", "-c", `echo x >> ${path}`);
      expect(write.code, path).not.toBe(0);
    }
    const logs = await logsOf(name);
    expect(logs).not.toContain(secretKey);
    expect(logs).not.toContain(accessKey);

    const check = await podman("healthcheck", "run", name);
    expect(check.code, check.output).toBe(0);
    const inspect = command("inspect", (c) => c.startsWith("docker inspect "));
    const health = await shell(forThisMachine(inspect, substitutions(name, port)));
    expect(health.output.trim().split("\n").at(-1)).toBe("healthy");

    const stop = command("stop", (c) => c.startsWith("docker stop "));
    stopSeconds["idle"] = await stopTimed(forThisMachine(stop, substitutions(name, port)), name);
  });

  it("stops with exit 0 within 6 s in the middle of a poll (an ELB list that never answers)", async () => {
    const simulator = sim!;
    const fault = simulator.faults.add({
      service: "elb",
      match: { operation: "elb.listCertificates" },
      action: { kind: "hang" },
    });
    try {
      simulator.clearRequests();
      const name = nextName();
      const port = await freePort("127.0.0.1");
      const run = command("run", (c) => c.startsWith("docker run -d ") && c.includes(" -p "));
      const started = await shell(forThisMachine(run, substitutions(name, port)));
      expect(started.code, started.output).toBe(0);
      const deadline = Date.now() + 60_000;
      while (!simulator.requests.some((r) => r.service === "elb" && r.fault === "hang")) {
        if (Date.now() > deadline)
          throw new Error(`no hanging ELB request:\n${await logsOf(name)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const stop = command("stop", (c) => c.startsWith("docker stop "));
      stopSeconds["midPoll"] = await stopTimed(
        forThisMachine(stop, substitutions(name, port)),
        name,
      );
      expect(await logsOf(name)).toContain("aborting the running poll");
    } finally {
      simulator.faults.remove(fault);
    }
  });

  it("on the host's network, listening on 127.0.0.2 as on a pod IP: healthy there, unhealthy on another port", async () => {
    const name = nextName();
    const port = await freePort("127.0.0.2");
    const run = command("host-network run", (c) => c.includes(" --network host "));
    const started = await shell(forThisMachine(run, substitutions(name, port)));
    expect(started.code, started.output).toBe(0);
    const base = `http://127.0.0.2:${String(port)}`;
    await waitReady(base, name);
    for (const source of SOURCES) {
      expect(valueOf(await scrape(base), "hwcert_source_up", { source }), source).toBe(1);
    }
    const check = await podman("healthcheck", "run", name);
    expect(check.code, check.output).toBe(0);

    // The image's own check command, with the address it reads pointing elsewhere.
    const test = JSON.parse(
      await podmanOut("image", "inspect", "--format", "{{json .Config.Healthcheck.Test}}", image),
    ) as string[];
    const elsewhere = [
      `127.0.0.2:${String(await freePort("127.0.0.2"))}`,
      // The right port on 127.0.0.1, where the check used to ask whatever the setting said.
      `127.0.0.1:${String(port)}`,
    ];
    for (const address of elsewhere) {
      const wrong = await podman(
        "exec",
        "-e",
        `HWCERT_LISTEN_ADDRESS=${address}`,
        name,
        ...test.slice(1),
      );
      expect(wrong.code, address).toBe(1);
    }
    const stop = command("stop", (c) => c.startsWith("docker stop "));
    stopSeconds["hostNetwork"] = await stopTimed(
      forThisMachine(stop, substitutions(name, port)),
      name,
    );
  });

  it("reports unhealthy while nothing answers /healthz", async () => {
    const name = nextName();
    const idle = await podman(
      "run",
      "-d",
      "--name",
      name,
      "--read-only",
      "--cap-drop",
      "ALL",
      "--security-opt",
      "no-new-privileges",
      "--entrypoint",
      "node",
      image,
      "-e",
      "setInterval(() => {}, 60_000)",
    );
    expect(idle.code, idle.output).toBe(0);
    const check = await podman("healthcheck", "run", name);
    expect(check.code, check.output).toBe(1);
  });

  it("runs the built-in demo (README and the compose demo service): every source up, healthy", async () => {
    const name = nextName();
    const port = await freePort("127.0.0.1");
    const demo = command("demo", (c) => c.includes(" dist/demo.js"));
    const started = await shell(forThisMachine(demo, substitutions(name, port)));
    expect(started.code, started.output).toBe(0);
    const base = `http://127.0.0.1:${String(port)}`;
    await waitReady(base, name);
    for (const source of SOURCES) {
      expect(valueOf(await scrape(base), "hwcert_source_up", { source }), source).toBe(1);
    }
    const check = await podman("healthcheck", "run", name);
    expect(check.code, check.output).toBe(0);
    // --rm: the container is gone once stopped, so only the command's outcome is left to see.
    const stopped = await podman("stop", name);
    expect(stopped.code, stopped.output).toBe(0);
    stopSeconds["demo"] = { stopCommand: Math.round(stopped.seconds * 100) / 100 };
  });
});

describe("deploy/compose/compose.yaml", () => {
  interface Service {
    image?: string;
    user?: string;
    read_only?: boolean;
    cap_drop?: string[];
    security_opt?: string[];
    ports?: string[];
    entrypoint?: string[];
    environment?: Record<string, string>;
    stop_grace_period?: string;
  }

  // Prometheus and Alertmanager come from a registry, and Debian's podman-compose (1.0.3) reads
  // neither profiles nor network aliases, so the trial is not started here; its exporter
  // services are the image and the commands run above.
  it("runs this image with the settings the tests above ran it with", async () => {
    const { services } = readYaml(join(ROOT, "deploy/compose/compose.yaml")) as {
      services: Record<string, Service>;
    };
    const user = (
      await podmanOut("image", "inspect", "--format", "{{.Config.User}}", image)
    ).trim();
    const demo = command("demo", (c) => c.includes(" dist/demo.js"));
    const run = command("run", (c) => c.startsWith("docker run -d ") && c.includes(" -p "));
    for (const name of ["huaweicloud-cert-exporter", "demo"]) {
      const service = services[name]!;
      expect(service.image, name).toBe(image);
      expect(service.user, name).toBe(user);
      expect(service.read_only && run.includes(" --read-only ")).toBe(true);
      expect(service.cap_drop).toEqual(["ALL"]);
      expect(service.security_opt).toEqual(["no-new-privileges:true"]);
      expect(service.ports).toEqual(["127.0.0.1:10057:10057"]);
      expect(run).toContain(" -p 127.0.0.1:10057:10057 ");
      const grace = Number(/^(\d+)s$/.exec(service.stop_grace_period ?? "")?.[1]);
      expect(grace).toBeGreaterThanOrEqual(STOP_LIMIT_SECONDS);
    }
    const service = services["demo"]!;
    expect(demo).toContain(
      ` --entrypoint ${service.entrypoint![0]!} ${image} ${service.entrypoint![1]!}`,
    );
    expect(demo).toContain(
      ` -e HWCERT_LISTEN_ADDRESS=${service.environment!["HWCERT_LISTEN_ADDRESS"]!} `,
    );
  });
});

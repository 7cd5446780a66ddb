// The container image, read: the Dockerfile against the hardening list, its health check command
// run by this machine's node against addresses it must find, the .dockerignore, and the
// production dependencies that `npm prune --omit=dev` leaves, checked against what the compiled
// program imports. test/container builds and runs the image itself (`npm run test:container`).
// hadolint runs too where it is installed; it is neither a Debian nor an npm package, so CI
// relies on the checks below.

import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { builtinModules } from "node:module";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT, findBinary, readText, run } from "./tools.js";

interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = "";
  let start = 0;
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (pending === "" && (line === "" || line.startsWith("#"))) return;
    if (pending !== "" && line.startsWith("#")) return;
    if (pending === "") start = index + 1;
    pending += (pending === "" ? "" : " ") + line.replace(/\\$/, "").trim();
    if (line.endsWith("\\")) return;
    const match = /^(\S+)\s*(.*)$/.exec(pending);
    if (match) {
      instructions.push({ keyword: match[1]!.toUpperCase(), args: match[2] ?? "", line: start });
    }
    pending = "";
  });
  return instructions;
}

const dockerfile = parseDockerfile(readText(join(ROOT, "Dockerfile")));
const stages: Instruction[][] = [];
for (const instruction of dockerfile) {
  if (instruction.keyword === "FROM") stages.push([]);
  stages.at(-1)?.push(instruction);
}
const build = stages[0] ?? [];
const runtime = stages.at(-1) ?? [];
const find = (stage: Instruction[], keyword: string): Instruction[] =>
  stage.filter((instruction) => instruction.keyword === keyword);
const last = (stage: Instruction[], keyword: string): Instruction | undefined =>
  find(stage, keyword).at(-1);

const packageJson = JSON.parse(readText(join(ROOT, "package.json"))) as {
  version: string;
  description: string;
  license: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

describe("Dockerfile", () => {
  it("builds in a separate stage from the lockfile and prunes dev dependencies", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(find(build, "FROM")[0]?.args).toMatch(/ AS build$/i);
    const runs = find(build, "RUN").map((instruction) => instruction.args);
    expect(runs.some((args) => /\bnpm ci\b/.test(args))).toBe(true);
    expect(runs.some((args) => /\bnpm prune --omit=dev\b/.test(args))).toBe(true);
    expect(find(build, "COPY").map((i) => i.args)).toContain("package.json package-lock.json ./");
  });

  it("runs on a Node.js 24 slim or distroless base with a pinned tag", () => {
    for (const stage of stages) {
      const from = find(stage, "FROM")[0]?.args ?? "";
      expect(from).toMatch(
        /^(node:24(\.\d+)*-\w+-slim|gcr\.io\/distroless\/nodejs24-\w+(:\w+)?)(@sha256:[0-9a-f]{64})?( AS \w+)?$/i,
      );
      expect(from).not.toMatch(/:latest\b/);
    }
  });

  it("copies only the built program, production node_modules and config into the runtime", () => {
    const copies = find(runtime, "COPY").map((instruction) => instruction.args);
    expect(copies).toEqual(
      expect.arrayContaining([
        "--from=build /app/node_modules ./node_modules",
        "--from=build /app/dist ./dist",
      ]),
    );
    for (const copy of copies) expect(copy).not.toMatch(/^(\. |src\b|--from=build \/app\/src)/);
    expect(find(runtime, "ADD")).toEqual([]);
    expect(find(build, "ADD")).toEqual([]);
  });

  it("runs as a numeric non-root user", () => {
    const user = last(runtime, "USER");
    expect(user?.args).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    const entrypoint = last(runtime, "ENTRYPOINT");
    expect(user && entrypoint && user.line < entrypoint.line).toBe(true);
  });

  it("starts node in exec form, so SIGTERM reaches it, as `npm start` does", () => {
    const entrypoint = last(runtime, "ENTRYPOINT");
    expect(entrypoint?.args.startsWith("[")).toBe(true);
    const argv = JSON.parse(entrypoint?.args ?? "[]") as string[];
    // `npm start` is environment assignments, then the command.
    const words = packageJson.scripts["start"]?.split(/\s+/) ?? [];
    const assignments = words.filter((word) => /^[A-Z_][A-Z0-9_]*=/.test(word));
    expect(argv).toEqual(words.slice(assignments.length));
    const environment = find(runtime, "ENV").map((instruction) => instruction.args);
    for (const assignment of assignments) expect(environment).toContain(assignment);
    expect(find(runtime, "CMD").every((cmd) => cmd.args.startsWith("["))).toBe(true);
    const stopSignal = last(runtime, "STOPSIGNAL");
    if (stopSignal) expect(stopSignal.args).toBe("SIGTERM");
  });

  it("exposes 10057 and has a shell-free health check on /healthz", () => {
    expect(find(runtime, "EXPOSE").map((i) => i.args)).toContain("10057");
    const healthcheck = last(runtime, "HEALTHCHECK");
    const command = /\bCMD\s+(\[.*\])$/.exec(healthcheck?.args ?? "");
    expect(command, "HEALTHCHECK CMD must be in exec form").not.toBeNull();
    const argv = JSON.parse(command?.[1] ?? "[]") as string[];
    expect(argv[0]).toBe("node");
    expect(argv.join(" ")).toContain("/healthz");
    expect(healthcheck?.args).toMatch(/--timeout=\d+s/);
  });

  it("carries the OCI labels, with this version and licence", () => {
    const labels = find(runtime, "LABEL")
      .map((i) => i.args)
      .join(" ");
    for (const key of [
      "title",
      "description",
      "version",
      "revision",
      "source",
      "licenses",
      "created",
    ]) {
      expect(labels).toContain(`org.opencontainers.image.${key}=`);
    }
    expect(labels).toContain(`org.opencontainers.image.licenses="${packageJson.license}"`);
    expect(labels).toContain(`org.opencontainers.image.description="${packageJson.description}"`);
    expect(find(runtime, "ARG").map((i) => i.args)).toContain(`VERSION=${packageJson.version}`);
  });

  it("sets NODE_ENV=production and bakes no secret into ENV or ARG", () => {
    expect(find(runtime, "ENV").map((i) => i.args)).toContain("NODE_ENV=production");
    for (const instruction of dockerfile.filter(
      (i) => i.keyword === "ENV" || i.keyword === "ARG",
    )) {
      expect(instruction.args).not.toMatch(/(TOKEN|PASSWORD|SECRET|_AK|_SK)\b/i);
    }
  });

  const hadolint = findBinary("hadolint");
  it.skipIf(hadolint === null)("passes hadolint (skipped where not installed)", () => {
    const result = run(hadolint!, [join(ROOT, "Dockerfile")]);
    expect(result.status, result.output).toBe(0);
  });
});

describe("the health check command", () => {
  const argv = JSON.parse(
    /\bCMD\s+(\[.*\])$/.exec(last(runtime, "HEALTHCHECK")?.args ?? "")?.[1] ?? "[]",
  ) as string[];
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
    );
  });

  /** A /healthz answering `status` on host:0; records the local address each request came to. */
  async function serveHealthz(
    host: string,
    status = 200,
  ): Promise<{ port: number; hits: string[] }> {
    const hits: string[] = [];
    const server = createServer((request, response) => {
      hits.push(`${request.socket.localAddress ?? ""} ${request.url ?? ""}`);
      response.writeHead(status).end(status === 200 ? "ok" : "not ok");
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    return { port: (server.address() as AddressInfo).port, hits };
  }

  /** Runs the image's command with this machine's node, as the engine would in the container. */
  function runCheck(listenAddress: string): Promise<number | null> {
    const [command, ...args] = argv;
    expect(command).toBe("node");
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env["PATH"] ?? "", HWCERT_LISTEN_ADDRESS: listenAddress },
      stdio: "ignore",
    });
    return new Promise((resolve) => child.once("exit", resolve));
  }

  // The exporter listens where HWCERT_LISTEN_ADDRESS says; a check that always asked 127.0.0.1
  // reported a healthy exporter bound to a pod IP (or 127.0.0.2) as unhealthy.
  it.each([
    ["127.0.0.2:PORT", "127.0.0.2", "127.0.0.2"],
    ["0.0.0.0:PORT", "127.0.0.1", "127.0.0.1"],
    [":PORT", "127.0.0.1", "127.0.0.1"],
    ["[::]:PORT", "127.0.0.1", "127.0.0.1"],
    ["[::1]:PORT", "::1", "::1"],
  ])("with HWCERT_LISTEN_ADDRESS=%s asks %s and passes", async (setting, serverHost, asked) => {
    const { port, hits } = await serveHealthz(serverHost);
    expect(await runCheck(setting.replace("PORT", String(port)))).toBe(0);
    expect(hits).toEqual([`${asked} /healthz`]);
  });

  it("fails when nothing answers on the port, or /healthz does not answer 2xx", async () => {
    const { port, hits } = await serveHealthz("127.0.0.2");
    const closed = await serveHealthz("127.0.0.2");
    await new Promise((resolve) => servers.pop()?.close(resolve));
    expect(await runCheck(`127.0.0.2:${String(closed.port)}`)).toBe(1);
    // The port is right but the address is not: the check must not fall back to another one.
    expect(await runCheck(`127.0.0.3:${String(port)}`)).toBe(1);
    expect(hits).toEqual([]);
    const failing = await serveHealthz("127.0.0.1", 503);
    expect(await runCheck(`0.0.0.0:${String(failing.port)}`)).toBe(1);
    expect(failing.hits).toEqual(["127.0.0.1 /healthz"]);
  });
});

describe(".dockerignore", () => {
  const patterns = readText(join(ROOT, ".dockerignore"))
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));

  it("keeps .env files, tests, node_modules and the git history out of the build context", () => {
    expect(patterns).toEqual(
      expect.arrayContaining(["**/.env", "**/.env.*", "test", "**/node_modules", ".git", "dist"]),
    );
  });

  it("keeps in everything the Dockerfile copies from the context", () => {
    const sources = dockerfile
      .filter((i) => i.keyword === "COPY" && !i.args.startsWith("--from"))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(join(ROOT, source)), source).toBe(true);
      expect(patterns, source).not.toContain(source);
    }
  });
});

describe("production dependencies", () => {
  /** Bare package names imported anywhere in the graph of compiled modules from `entry`. */
  function importedPackages(entry: string): Set<string> {
    const packages = new Set<string>();
    const seen = new Set<string>();
    const queue = [entry];
    for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      const specifiers = [
        ...text.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']/gm),
        ...text.matchAll(/(?:^|[\s;])import\s*["']([^"']+)["']/gm),
        ...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
      ].map((match) => match[1]!);
      for (const specifier of specifiers) {
        if (specifier.startsWith(".")) queue.push(resolve(dirname(file), specifier));
        else if (!specifier.startsWith("node:") && !builtinModules.includes(specifier)) {
          const parts = specifier.split("/");
          packages.add(specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!);
        }
      }
    }
    return packages;
  }

  it.each(["dist/main.js", "dist/demo.js"])(
    "%s imports only packages that survive `npm prune --omit=dev`",
    (entry) => {
      const path = join(ROOT, entry);
      expect(existsSync(path), `${entry} (built by the test global setup)`).toBe(true);
      const packages = importedPackages(path);
      expect(packages.size).toBeGreaterThan(3);
      for (const name of packages) {
        expect(Object.keys(packageJson.dependencies), `${entry} imports ${name}`).toContain(name);
      }
    },
  );
});

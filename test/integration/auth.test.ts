// Real authentication against the simulator, which verifies AK/SK signatures with its own
// implementation, issues short-lived IAM tokens and serves project discovery. Also several
// targets in one daemon, each its own error boundary, and a search for every secret.

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateChain, startSimulator, type Simulator } from "../../src/simulator/index.js";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon-harness.js";
import { select, valueOf, type Sample } from "../helpers/metrics-text.js";

const ACCESS_KEY = "HPUAEXAMPLEACCESSKEY";
const SECRET_KEY = "sk-example-9d2f0c7e41b3a6d8e5f7";
const TEMP_ACCESS_KEY = "HST3EXAMPLETEMPORARY";
const TEMP_SECRET_KEY = "sk-temporary-3e8a1f9b7c2d";
const SECURITY_TOKEN = "security-token-5f1e2d3c4b5a69788796a5b4c3d2e1f0";

let sim: Simulator;
let certificateId: string;
let exporter: TestDaemon | undefined;

const NO_TOKEN = { HWCERT_AUTH_TOKEN: undefined };
const up = (samples: Sample[], labels: Record<string, string> = {}) =>
  valueOf(samples, "hwcert_source_up", { source: "elb", ...labels });
const errors = (samples: Sample[], reason: string) =>
  valueOf(samples, "hwcert_errors_total", { source: "elb", reason });

beforeAll(async () => {
  sim = await startSimulator({
    accessKeys: [
      { accessKey: ACCESS_KEY, secretKey: SECRET_KEY },
      { accessKey: TEMP_ACCESS_KEY, secretKey: TEMP_SECRET_KEY, securityToken: SECURITY_TOKEN },
    ],
  });
  const now = Date.now();
  const chain = await generateChain({
    commonName: "auth.example.com",
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 30 * 86_400_000),
  });
  certificateId = sim.elb.add({ name: "auth", certificate: chain.certificatePem });
});

afterEach(async () => {
  await exporter?.stop();
  exporter = undefined;
  sim.faults.clear();
  sim.clearRequests();
  sim.iam.tokenTtlMs = 24 * 3600 * 1000;
});

afterAll(async () => {
  await sim.close();
});

describe("AK/SK", () => {
  it("signs every request with permanent credentials", async () => {
    exporter = await startTestDaemon(sim, {
      ...NO_TOKEN,
      HUAWEICLOUD_SDK_AK: ACCESS_KEY,
      HUAWEICLOUD_SDK_SK: SECRET_KEY,
      HWCERT_SOURCES: "elb,geminidb",
    });
    await exporter.waitForPolls(1);
    const samples = await exporter.scrape();
    expect(up(samples)).toBe(1);
    expect(
      select(samples, "hwcert_elb_certificate_expire_timestamp_seconds", {
        certificate_id: certificateId,
      }),
    ).toHaveLength(1);
    const api = sim.requests.filter((r) => r.service === "elb" || r.service === "geminidb");
    expect(api.length).toBeGreaterThan(0);
    expect(api.every((r) => r.authenticated && r.headerNames.includes("authorization"))).toBe(true);
  });

  it("sends the signed security token of temporary credentials", async () => {
    exporter = await startTestDaemon(sim, {
      ...NO_TOKEN,
      HUAWEICLOUD_SDK_AK: TEMP_ACCESS_KEY,
      HUAWEICLOUD_SDK_SK: TEMP_SECRET_KEY,
      HUAWEICLOUD_SDK_SECURITY_TOKEN: SECURITY_TOKEN,
    });
    await exporter.waitForPolls(1);
    expect(up(await exporter.scrape())).toBe(1);
    expect(
      sim.requests
        .filter((r) => r.service === "elb")
        .every((r) => r.headerNames.includes("x-security-token")),
    ).toBe(true);
  });

  it.each([
    [
      "a wrong secret key",
      { HUAWEICLOUD_SDK_AK: ACCESS_KEY, HUAWEICLOUD_SDK_SK: "wrong-secret-key" },
    ],
    [
      "temporary credentials without their token",
      { HUAWEICLOUD_SDK_AK: TEMP_ACCESS_KEY, HUAWEICLOUD_SDK_SK: TEMP_SECRET_KEY },
    ],
  ])("is refused with %s, counted as auth_failed", async (_name, credentials) => {
    exporter = await startTestDaemon(sim, { ...NO_TOKEN, ...credentials });
    await exporter.waitForPolls(1);
    const samples = await exporter.scrape();
    expect(up(samples)).toBe(0);
    expect(errors(samples, "auth_failed")).toBe(1);
  });
});

describe("IAM password tokens", () => {
  const password = () => ({
    ...NO_TOKEN,
    HWCERT_IAM_DOMAIN: sim.iam.credentials.domain,
    HWCERT_IAM_USERNAME: sim.iam.credentials.username,
    HWCERT_IAM_PASSWORD: sim.iam.credentials.password,
  });

  it("renews tokens that expire every two seconds without a failed poll", async () => {
    sim.iam.tokenTtlMs = 2_000;
    const issuedBefore = sim.iam.issuedTokens.length;
    exporter = await startTestDaemon(sim, password());
    await exporter.waitForPolls(1);
    for (let poll = 0; poll < 6; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(await exporter.daemon.pollNow()).toBe("completed");
    }
    const samples = await exporter.scrape();
    expect(up(samples)).toBe(1);
    expect(errors(samples, "auth_failed")).toBe(0);
    expect(sim.iam.issuedTokens.length - issuedBefore).toBeGreaterThanOrEqual(3);
    expect(sim.requests.filter((r) => r.service === "elb" && r.status === 401)).toHaveLength(0);
  });

  it("renews once after a 401 when IAM revoked the token early", async () => {
    exporter = await startTestDaemon(sim, password());
    await exporter.waitForPolls(1);
    for (const token of sim.iam.issuedTokens) sim.iam.revokeToken(token);
    expect(await exporter.daemon.pollNow()).toBe("completed");
    const samples = await exporter.scrape();
    expect(up(samples)).toBe(1);
    expect(errors(samples, "auth_failed")).toBe(0);
    expect(
      sim.requests.filter((r) => r.service === "elb" && r.status === 401).length,
    ).toBeGreaterThanOrEqual(1);
  });

  it("reports a wrong password as auth_failed and keeps trying", async () => {
    exporter = await startTestDaemon(sim, {
      ...password(),
      HWCERT_IAM_PASSWORD: "not-the-password",
    });
    await exporter.waitForPolls(1);
    const samples = await exporter.scrape();
    expect(up(samples)).toBe(0);
    expect(errors(samples, "auth_failed")).toBeGreaterThanOrEqual(1);
  });
});

describe("project discovery", () => {
  it("finds the project of the region once, and retries while IAM is down", async () => {
    sim.faults.add({
      service: "iam",
      match: { operation: "iam.listProjects" },
      times: 3,
      action: { kind: "status", status: 503 },
    });
    exporter = await startTestDaemon(sim, { HWCERT_PROJECT_ID: undefined });
    await exporter.waitForPolls(1);
    let samples = await exporter.scrape();
    expect(select(samples, "hwcert_source_up", { source: "elb", project_id: "" })[0]?.value).toBe(
      0,
    );
    expect(errors(samples, "http_5xx")).toBe(1);

    await exporter.daemon.pollNow();
    await exporter.daemon.pollNow();
    samples = await exporter.scrape();
    expect(up(samples, { project_id: sim.projectId })).toBe(1);
    expect(select(samples, "hwcert_source_up", { project_id: "" })).toHaveLength(0);
    expect(
      select(samples, "hwcert_elb_certificate_expire_timestamp_seconds", {
        project_id: sim.projectId,
      }),
    ).toHaveLength(1);
    const lookups = sim.requests.filter((r) => r.path === "/v3/projects" && r.status === 200);
    expect(lookups).toHaveLength(1);
  });

  it("names the host and the settings behind it when IAM cannot be reached", async () => {
    exporter = await startTestDaemon(sim, {
      HWCERT_PROJECT_ID: undefined,
      HWCERT_REGION: "ap-southeast-9",
      HWCERT_IAM_ENDPOINT: "https://iam.{region}.invalid",
      HWCERT_SOURCES: "elb",
    });
    await exporter.waitForPolls(1);
    const expected =
      "iam list_projects: no response: cannot reach iam.ap-southeast-9.invalid (DNS: no such host, ENOTFOUND): check HWCERT_REGION or HWCERT_IAM_ENDPOINT";
    // The log line of the failing poll...
    const [line, ...more] = exporter.logs.withMessage("project lookup failed");
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      source: "elb",
      reason: "network",
      host: "iam.ap-southeast-9.invalid",
      error: { message: expected },
    });
    // ...and the status page, which shows the same message.
    const page = (await (await fetch(`${exporter.baseUrl}/?format=json`)).json()) as {
      problems: { source: string; reason: string | null; message: string }[];
    };
    expect(page.problems).toEqual([
      expect.objectContaining({ source: "elb", reason: "network", message: expected }),
    ]);
  });
});

describe("several targets", () => {
  it("keeps a target with bad credentials from affecting the others", async () => {
    const other = sim.projects.add({ name: "ap-southeast-1" });
    const config = [
      "targets:",
      "  - name: good",
      `    region: ${sim.region}`,
      `    project_id: ${sim.projectId}`,
      "    sources: [elb]",
      "  - name: bad",
      `    region: ${sim.region}`,
      `    project_id: ${other}`,
      "    sources: [elb]",
      "    credentials: { token_env: BAD_TOKEN }",
      "",
    ].join("\n");
    exporter = await startTestDaemon(
      sim,
      {
        HWCERT_REGION: undefined,
        HWCERT_PROJECT_ID: undefined,
        HWCERT_CONFIG_FILE: "/targets.yaml",
        BAD_TOKEN: "revoked-or-wrong-token",
      },
      { "/targets.yaml": config },
    );
    await exporter.waitForPolls(1);
    const samples = await exporter.scrape();
    expect(up(samples, { project_id: sim.projectId })).toBe(1);
    expect(up(samples, { project_id: other })).toBe(0);
    expect(
      select(samples, "hwcert_elb_certificate_expire_timestamp_seconds", {
        project_id: sim.projectId,
      }),
    ).toHaveLength(1);
  });
});

describe("secrets", () => {
  it("appear nowhere in logs (debug level), metrics or pages, whatever the auth mode", async () => {
    const secrets = [
      SECRET_KEY,
      TEMP_SECRET_KEY,
      SECURITY_TOKEN,
      sim.iam.credentials.password,
      sim.authToken,
    ];
    const outputs: string[] = [];
    const modes = [
      {},
      { ...NO_TOKEN, HUAWEICLOUD_SDK_AK: ACCESS_KEY, HUAWEICLOUD_SDK_SK: SECRET_KEY },
      {
        ...NO_TOKEN,
        HUAWEICLOUD_SDK_AK: TEMP_ACCESS_KEY,
        HUAWEICLOUD_SDK_SK: TEMP_SECRET_KEY,
        HUAWEICLOUD_SDK_SECURITY_TOKEN: SECURITY_TOKEN,
      },
      {
        ...NO_TOKEN,
        HWCERT_IAM_DOMAIN: sim.iam.credentials.domain,
        HWCERT_IAM_USERNAME: sim.iam.credentials.username,
        HWCERT_IAM_PASSWORD: sim.iam.credentials.password,
      },
      { ...NO_TOKEN, HUAWEICLOUD_SDK_AK: ACCESS_KEY, HUAWEICLOUD_SDK_SK: "wrong-secret-key-value" },
    ];
    for (const mode of modes) {
      sim.faults.add({ service: "elb", times: 1, action: { kind: "status", status: 500 } });
      exporter = await startTestDaemon(sim, { ...mode, HWCERT_LOG_LEVEL: "trace" });
      await exporter.waitForPolls(1);
      await exporter.daemon.pollNow();
      outputs.push(
        exporter.logs.text,
        await exporter.scrapeText(),
        await (await fetch(`${exporter.baseUrl}/`)).text(),
      );
      await exporter.stop();
      exporter = undefined;
    }
    secrets.push(
      "wrong-secret-key-value",
      ...sim.iam.issuedTokens,
      sim.elb.echoedPrivateKeyPem.split("\n")[1]!,
    );
    const everything = outputs.join("\n");
    for (const secret of secrets) expect(everything, `a secret leaked`).not.toContain(secret);
  });
});

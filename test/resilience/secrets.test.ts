// Secrets never leave the daemon, whatever goes wrong. Every authentication mode runs every
// fault on every service (ELB, GeminiDB, IAM, OBS) at trace level; then all captured log lines,
// /metrics, the status page (HTML and JSON) and the CloudApiError messages of every poll are
// searched for every secret the simulator issued or was given: tokens, secret keys, the security
// token, the password, private keys, and the signatures of pre-signed download links. The cloud
// functions are also called directly under the same faults, and every error they throw (or
// download result they return) is searched in full, as util.inspect would print it.

import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createAkSkAuthenticator, createTokenAuthenticator } from "../../src/cloud/auth/auth.js";
import { createPasswordToken, findDomainId, findProjectId } from "../../src/cloud/auth/iam.js";
import { openCloudConnections } from "../../src/cloud/connections.js";
import { downloadFile } from "../../src/cloud/download.js";
import { listElbCertificatePages, showElbCertificate } from "../../src/sources/elb/api.js";
import { listGeminiDbInstances, showSslCertDownloadLinks } from "../../src/sources/geminidb/api.js";
import { createCloudClient, type CloudClient } from "../../src/cloud/http/client.js";
import { listCcmCertificates, showCcmCertificate } from "../../src/sources/ccm/api.js";
import { Secret } from "../../src/config/secret.js";
import type { FaultAction, ServiceName, Simulator } from "../../src/simulator/index.js";
import { startTestDaemon } from "../helpers/daemon-harness.js";
import { startWorld, type World } from "./world.js";

const ACCESS_KEY = "HPUAEXAMPLELEAKTESTAK";
const SECRET_KEY = "sk-leak-test-5e0c1f7a9b3d2e4f6a8c";
const TEMP_ACCESS_KEY = "HST3EXAMPLELEAKTEMP";
const TEMP_SECRET_KEY = "sk-leak-temporary-7d1c3b5a9e2f";
const SECURITY_TOKEN = "security-token-leak-0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d";
const WRONG_SECRET_KEY = "sk-leak-wrong-1f2e3d4c5b6a7988";

const ACCESS_KEYS = [
  { accessKey: ACCESS_KEY, secretKey: SECRET_KEY },
  { accessKey: TEMP_ACCESS_KEY, secretKey: TEMP_SECRET_KEY, securityToken: SECURITY_TOKEN },
];

const NO_TOKEN = { HWCERT_AUTH_TOKEN: undefined };

/** Every way the daemon can authenticate, plus one that is refused. */
const MODES: Readonly<Record<string, (sim: Simulator) => Record<string, string | undefined>>> = {
  "static token": () => ({}),
  "AK/SK": () => ({ ...NO_TOKEN, HUAWEICLOUD_SDK_AK: ACCESS_KEY, HUAWEICLOUD_SDK_SK: SECRET_KEY }),
  "temporary AK/SK": () => ({
    ...NO_TOKEN,
    HUAWEICLOUD_SDK_AK: TEMP_ACCESS_KEY,
    HUAWEICLOUD_SDK_SK: TEMP_SECRET_KEY,
    HUAWEICLOUD_SDK_SECURITY_TOKEN: SECURITY_TOKEN,
  }),
  // Without a project id, so the IAM project lookup runs (and meets the faults) too.
  "IAM password": (sim) => ({
    ...NO_TOKEN,
    HWCERT_PROJECT_ID: undefined,
    HWCERT_IAM_DOMAIN: sim.iam.credentials.domain,
    HWCERT_IAM_USERNAME: sim.iam.credentials.username,
    HWCERT_IAM_PASSWORD: sim.iam.credentials.password,
  }),
  "a wrong secret key": () => ({
    ...NO_TOKEN,
    HUAWEICLOUD_SDK_AK: ACCESS_KEY,
    HUAWEICLOUD_SDK_SK: WRONG_SECRET_KEY,
  }),
};

/** One of each kind of failure; each is applied to one service at a time. */
const FAULTS: readonly FaultAction[] = [
  { kind: "status", status: 401 },
  { kind: "status", status: 403 },
  { kind: "status", status: 404 },
  { kind: "status", status: 429, retryAfter: "0" },
  { kind: "status", status: 500, body: "elb" },
  { kind: "status", status: 502, body: "html" },
  { kind: "status", status: 200, body: "html" },
  { kind: "reset" },
  { kind: "hang" },
  { kind: "slow-body", bytesPerSecond: 20 },
  { kind: "truncate", mode: "end" },
  { kind: "truncate", mode: "destroy" },
  { kind: "json", body: { certificates: null, instances: 5, certs: "x", token: null } },
  { kind: "flood", bytes: 1024 * 1024 * 1024 },
  { kind: "pagination-loop" },
];

const SERVICES: readonly ServiceName[] = ["elb", "geminidb", "iam", "obs"];

/** Every secret a simulator handed out or was configured with, as they could appear in text. */
function secretsOf(world: World): string[] {
  const { sim } = world;
  const signatures = sim.obs.presignedUrls.flatMap((url) => {
    const query = new URL(url).searchParams;
    const signature = query.get("Signature") ?? "";
    return [signature, encodeURIComponent(signature), new URL(url).search.slice(1)];
  });
  const keyLines = sim.elb.echoedPrivateKeyPem
    .split("\n")
    .filter((line) => line.length >= 16 && !line.startsWith("-----"));
  return [
    SECRET_KEY,
    TEMP_SECRET_KEY,
    SECURITY_TOKEN,
    WRONG_SECRET_KEY,
    sim.authToken,
    sim.iam.credentials.password,
    ...sim.iam.issuedTokens,
    ...keyLines,
    ...signatures,
    sim.obs.accessKeyId,
  ].filter((secret) => secret.length >= 8);
}

/** Text that only a leaked credential or header would put into output. */
const LEAK_PATTERNS = [
  /PRIVATE KEY/,
  /SDK-HMAC-SHA256/,
  /Signature=(?!\[REDACTED\])[A-Za-z0-9%+/]/,
  /AccessKeyId=/,
  /x-auth-token"?\s*[:=]\s*"?[A-Za-z0-9]/i,
];

function expectNoSecrets(label: string, text: string, secrets: readonly string[]): void {
  for (const secret of secrets) {
    expect(text.includes(secret), `${label} contains a secret (${secret.slice(0, 4)}…)`).toBe(
      false,
    );
  }
  for (const pattern of LEAK_PATTERNS) {
    expect(pattern.exec(text)?.[0], `${label} matches ${String(pattern)}`).toBeUndefined();
  }
}

describe("secrets under every auth mode and fault", () => {
  it.concurrent.for(Object.keys(MODES))(
    "%s: nothing secret in logs, /metrics, the status page or error messages",
    async (mode) => {
      const world = await startWorld({ accessKeys: ACCESS_KEYS });
      const { sim } = world;
      const outputs: [string, string][] = [];
      // Short-lived tokens: renewals (and their faults) happen during the run.
      sim.iam.tokenTtlMs = 3_000;
      const exporter = await startTestDaemon(sim, {
        ...MODES[mode]!(sim),
        HWCERT_LOG_LEVEL: "trace",
        HWCERT_HTTP_TIMEOUT_SECONDS: "0.3",
        HWCERT_API_RATE_LIMIT: "1000",
      });
      const capture = async (label: string): Promise<void> => {
        outputs.push([`${label} /metrics`, await exporter.scrapeText()]);
        for (const page of ["/", "/?format=json"]) {
          const response = await fetch(`${exporter.baseUrl}${page}`);
          outputs.push([`${label} ${page}`, await response.text()]);
        }
        for (const source of exporter.daemon.poller.snapshot.sources) {
          outputs.push([`${label} error of ${source.source}`, JSON.stringify(source.lastError)]);
        }
      };
      try {
        await exporter.waitForPolls(1);
        await capture("first poll");
        for (const service of SERVICES) {
          for (const action of FAULTS) {
            sim.faults.add({ service, action });
            await exporter.daemon.pollNow();
            await capture(`${service} ${action.kind}`);
            sim.faults.clear();
          }
        }
        await exporter.daemon.pollNow();
        await capture("recovered");
      } finally {
        await exporter.stop();
        await sim.close();
      }
      outputs.push(["logs", exporter.logs.text]);
      expect(exporter.logs.lines.length).toBeGreaterThan(100);
      const secrets = secretsOf(world);
      // The run did issue what is searched for.
      if (mode !== "a wrong secret key") expect(sim.obs.presignedUrls.length).toBeGreaterThan(0);
      if (mode === "IAM password") expect(sim.iam.issuedTokens.length).toBeGreaterThan(0);
      for (const [label, text] of outputs) expectNoSecrets(`${mode}: ${label}`, text, secrets);
    },
  );

  it.concurrent("CloudApiError and download results carry no secret, however printed", async () => {
    const world = await startWorld({ accessKeys: ACCESS_KEYS });
    const { sim } = world;
    const linkPolicy = { allowedHosts: ["127.0.0.1"], allowHttp: true };
    const connections = openCloudConnections(linkPolicy);
    const clientOptions = {
      dispatcher: connections.api,
      timeoutMs: 300,
      userAgent: "leak-test",
      retry: FAST_RETRY,
    };
    const clients: CloudClient[] = [
      createCloudClient({
        ...clientOptions,
        authenticator: createTokenAuthenticator(new Secret(sim.authToken)),
      }),
      createCloudClient({
        ...clientOptions,
        authenticator: createAkSkAuthenticator(
          {
            accessKey: new Secret(TEMP_ACCESS_KEY),
            secretKey: new Secret(TEMP_SECRET_KEY),
            securityToken: new Secret(SECURITY_TOKEN),
          },
          () => sim.projectId,
        ),
      }),
    ];
    const printed: string[] = [];
    const record = (value: unknown): void => {
      printed.push(
        inspect(value, { depth: null, showHidden: true }),
        value === undefined ? "" : JSON.stringify(value),
        value instanceof Error ? `${value.message}\n${value.stack ?? ""}` : "",
      );
    };
    const attempt = async (call: () => Promise<unknown>): Promise<void> => {
      try {
        await call();
      } catch (error) {
        record(error);
      }
    };
    /** The calls that reach each service, for every client. */
    const callsTo = (service: ServiceName): (() => Promise<unknown>)[] =>
      clients.flatMap((client): (() => Promise<unknown>)[] => {
        const api = { client, endpoint: sim.endpoints.elb, projectId: sim.projectId };
        const gemini = { ...api, endpoint: sim.endpoints.geminidb };
        switch (service) {
          case "elb":
            return [
              async () => {
                for await (const page of listElbCertificatePages(api, record)) record(page);
              },
              () => showElbCertificate(api, world.elbIds[0]!),
            ];
          case "geminidb":
            return [
              () => listGeminiDbInstances(gemini, record),
              () => showSslCertDownloadLinks(gemini, world.instanceIds[0]!),
            ];
          case "ccm": {
            const ccm = { client, endpoint: sim.endpoints.ccm };
            return [
              () => listCcmCertificates(ccm, record),
              () => showCcmCertificate(ccm, "scs1700000000000"),
            ];
          }
          case "iam":
            return [
              () => findProjectId(client, sim.endpoints.iam, sim.region),
              () => findDomainId(client, sim.endpoints.iam),
              () =>
                createPasswordToken(client, sim.endpoints.iam, login, {
                  projectId: sim.projectId,
                  region: sim.region,
                }),
            ];
          case "obs":
            return [];
        }
      });
    const login = {
      domain: sim.iam.credentials.domain,
      username: sim.iam.credentials.username,
      password: new Secret(sim.iam.credentials.password),
    };
    const download = async (): Promise<void> => {
      const location = sim.geminidb.caObjectLocation(world.instanceIds[0]!)!;
      const link = sim.obs.presign(location.bucket, location.key, 600);
      const policy = {
        ...linkPolicy,
        maxBytes: 65_536,
        timeoutMs: 300,
        userAgent: "leak-test",
        agent: connections.downloads,
      };
      record(await downloadFile(link, policy, new AbortController().signal));
    };
    try {
      for (const service of SERVICES) {
        for (const action of FAULTS) {
          sim.faults.add({ service, action });
          const calls = service === "obs" ? [download] : callsTo(service);
          await Promise.all(calls.map((call) => attempt(call)));
          sim.faults.clear();
        }
      }
    } finally {
      await connections.close();
      await sim.close();
    }
    expect(printed.length).toBeGreaterThan(100);
    const secrets = secretsOf(world);
    printed.forEach((text, i) => {
      expectNoSecrets(`printed value ${i}`, text, secrets);
    });
  });
});

const FAST_RETRY = { limit: 1, baseDelayMs: 10, backoffLimitMs: 20, maxRetryAfterMs: 1_000 };

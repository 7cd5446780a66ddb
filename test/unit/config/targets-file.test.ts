import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConfig, type Environment } from "../../../src/config/load-config.js";

const FILE = "/etc/hwcert/targets.yaml";

function load(content: string, env: Environment = {}, secrets: Record<string, string> = {}) {
  return loadConfig(
    { HWCERT_CONFIG_FILE: FILE, HWCERT_AUTH_TOKEN: "env-token-value", ...env },
    {
      readConfigFile: (path) => {
        if (path !== FILE) throw Object.assign(new Error("no"), { code: "ENOENT" });
        return content;
      },
      readSecretFile: (path) => {
        const value = secrets[path];
        if (value === undefined) throw Object.assign(new Error("no"), { code: "ENOENT" });
        return value;
      },
    },
  );
}

function errorsOf(content: string, env: Environment = {}): readonly string[] {
  const result = load(content, env);
  if (result.ok) throw new Error("expected the file to be rejected");
  return result.errors;
}

describe("HWCERT_CONFIG_FILE", () => {
  it("reads targets with their own sources, endpoints, ids and credentials", () => {
    const result = load(
      `
targets:
  - name: prod-sg
    region: ap-southeast-1
    project_id: 0605767f3e00d4a72f4bc01f8d0e8b1a
    sources: [elb, ccm]
    domain_id: 0970dd7a1300f5672ff2c003c60ae115
    endpoints:
      ccm: https://scm.example.test/
    elb_certificate_ids: [a1, b2]
  - region: eu-west-101
    sources: geminidb
    endpoints:
      geminidb: https://gaussdb-nosql.{region}.myhuaweicloud.eu
      iam: https://iam.{region}.myhuaweicloud.eu
    credentials:
      access_key: AKIDTEAMB
      secret_key_file: /run/secrets/team-b-sk
      security_token_env: TEAM_B_STS
`,
      { HWCERT_SOURCES: "elb,geminidb", TEAM_B_STS: "sts-value" },
      { "/run/secrets/team-b-sk": "sk-value\n" },
    );
    if (!result.ok) throw new Error(result.errors.join("\n"));
    const [first, second] = result.config.targets;
    expect(first).toMatchObject({
      label: "prod-sg",
      region: "ap-southeast-1",
      projectId: "0605767f3e00d4a72f4bc01f8d0e8b1a",
      sources: ["elb", "ccm"],
      domainId: "0970dd7a1300f5672ff2c003c60ae115",
      elb: { certificateIds: ["a1", "b2"] },
      endpoints: {
        elb: "https://elb.ap-southeast-1.myhuaweicloud.com",
        ccm: "https://scm.example.test",
      },
    });
    expect(first!.auth.kind).toBe("token");
    expect(second).toMatchObject({
      label: "targets[1]",
      region: "eu-west-101",
      projectId: null,
      domainId: null,
      sources: ["geminidb"],
      endpoints: {
        geminidb: "https://gaussdb-nosql.eu-west-101.myhuaweicloud.eu",
        ccm: "https://scm.eu-west-101.myhuaweicloud.com",
        iam: "https://iam.eu-west-101.myhuaweicloud.eu",
      },
    });
    const auth = second!.auth;
    if (auth.kind !== "aksk") throw new Error("expected AK/SK");
    expect([
      auth.accessKey.reveal(),
      auth.secretKey.reveal(),
      auth.securityToken?.reveal(),
    ]).toEqual(["AKIDTEAMB", "sk-value", "sts-value"]);
  });

  it("reads JSON as well", () => {
    const result = load('{"targets": [{"region": "cn-north-4"}]}');
    expect(result.ok && result.config.targets.map((t) => t.region)).toEqual(["cn-north-4"]);
  });

  it.each<[string, string, Environment, readonly string[]]>([
    [
      "a YAML syntax error, with its position",
      "targets:\n  - region: [unclosed\n",
      {},
      [
        `HWCERT_CONFIG_FILE: ${FILE}: line 3, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]`,
      ],
    ],
    ["no targets", "targets: []\n", {}, [`HWCERT_CONFIG_FILE: ${FILE}: targets: lists no target`]],
    [
      "an unknown key",
      "targets:\n  - region: ap-southeast-1\n    regoin: x\n",
      {},
      [`HWCERT_CONFIG_FILE: ${FILE}: targets[0]: Unrecognized key: "regoin"`],
    ],
    [
      "a missing region",
      "targets:\n  - project_id: abc\n",
      {},
      [
        `HWCERT_CONFIG_FILE: ${FILE}: targets[0].region: Invalid input: expected string, received undefined`,
      ],
    ],
    [
      "a bad region and endpoint",
      "targets:\n  - region: Mars\n    endpoints: {elb: 'not a url'}\n",
      {},
      [
        `HWCERT_CONFIG_FILE: ${FILE}: targets[0].region: "Mars" is not a region name (expected something like ap-southeast-1)`,
        `HWCERT_CONFIG_FILE: ${FILE}: targets[0].endpoints.elb: "not a url" is not a valid URL`,
      ],
    ],
    [
      "an inline secret",
      "targets:\n  - region: ap-southeast-1\n    credentials: {access_key: AK, secret_key: oops}\n",
      {},
      [
        `HWCERT_CONFIG_FILE: ${FILE}: targets[0].credentials.secret_key: write no secret in the file: use secret_key_file or secret_key_env`,
      ],
    ],
    [
      "two methods in one credentials block",
      "targets:\n  - region: ap-southeast-1\n    credentials: {token_env: T, access_key: AK, secret_key_env: T}\n",
      { T: "x-value" },
      [
        `HWCERT_CONFIG_FILE: ${FILE}: targets[0].credentials: several auth methods configured: static token (token_file/token_env) and AK/SK (access_key, secret_key_file/secret_key_env); set exactly one`,
      ],
    ],
    [
      "a secret variable that is not set",
      "targets:\n  - region: ap-southeast-1\n    credentials: {token_env: MISSING}\n",
      {},
      [
        `HWCERT_CONFIG_FILE: ${FILE}: targets[0].credentials.token_env: environment variable MISSING is not set`,
      ],
    ],
    [
      "a target polled twice",
      "targets:\n  - {region: ap-southeast-1, project_id: p1}\n  - {region: ap-southeast-1, project_id: p1, sources: [elb]}\n",
      {},
      [
        `HWCERT_CONFIG_FILE: ${FILE}: targets[1]: polls elb of project p1 in ap-southeast-1 again (already in targets[0])`,
      ],
    ],
    [
      "per-target settings left in the environment",
      "targets:\n  - region: ap-southeast-1\n",
      { HWCERT_REGION: "ap-southeast-1" },
      ["HWCERT_REGION: is set per target in HWCERT_CONFIG_FILE; remove it from the environment"],
    ],
  ])("rejects %s", (_name, content, env, expected) => {
    expect(errorsOf(content, env)).toEqual(expected);
  });

  it("requires credentials somewhere", () => {
    const result = loadConfig(
      { HWCERT_CONFIG_FILE: FILE },
      { readConfigFile: () => "targets:\n  - region: ap-southeast-1\n", readSecretFile: () => "" },
    );
    expect(result.ok ? [] : result.errors).toEqual([
      `HWCERT_CONFIG_FILE: ${FILE}: targets[0]: no credentials: give the target a credentials block, or set them in the environment (HWCERT_AUTH_TOKEN; or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK; or HWCERT_IAM_DOMAIN, HWCERT_IAM_USERNAME and HWCERT_IAM_PASSWORD)`,
    ]);
  });

  it("names an unreadable file", () => {
    const result = loadConfig(
      { HWCERT_CONFIG_FILE: "/nope.yaml", HWCERT_AUTH_TOKEN: "t-value" },
      {
        readSecretFile: () => {
          throw Object.assign(new Error("no"), { code: "ENOENT" });
        },
      },
    );
    expect(result.ok ? [] : result.errors).toEqual([
      'HWCERT_CONFIG_FILE: cannot read "/nope.yaml" (ENOENT)',
    ]);
  });
});

describe("config/targets.example.yaml", () => {
  it("is a valid targets file", () => {
    const example = readFileSync(
      new URL("../../../config/targets.example.yaml", import.meta.url),
      "utf8",
    );
    const result = load(
      example,
      { TEAM_B_AK: "AKIDTEAMB" },
      {
        "/run/secrets/team-b-sk": "sk",
        "/run/secrets/team-b-security-token": "sts",
        "/run/secrets/legacy-password": "pw",
      },
    );
    if (!result.ok) throw new Error(result.errors.join("\n"));
    expect(result.config.targets.map((t) => [t.label, t.auth.kind])).toEqual([
      ["prod-singapore", "token"],
      ["shop-frontends", "token"],
      ["eu-team-b", "aksk"],
      ["legacy-account", "password"],
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../../src/simulator/index.js";
import { asArray, asRecord, getJson } from "./http.js";

describe("simulated IAM", () => {
  let sim: Simulator;
  let clock = Date.parse("2026-11-24T03:00:01.168Z");

  beforeAll(async () => {
    sim = await startSimulator({
      now: () => clock,
      iam: { domain: "acme", username: "exporter", password: "s3cret" },
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  const requestToken = (password: string, scope: unknown = { project: { name: sim.region } }) =>
    fetch(`${sim.endpoints.iam}/v3/auth/tokens`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ["password"],
            password: { user: { domain: { name: "acme" }, name: "exporter", password } },
          },
          scope,
        },
      }),
    });

  const listElb = (token: string) =>
    getJson(`${sim.endpoints.elb}/v3/${sim.projectId}/elb/certificates`, token);

  it("issues a fresh 24-hour token per login, in X-Subject-Token", async () => {
    const first = await requestToken("s3cret");
    const second = await requestToken("s3cret");
    expect(first.status).toBe(201);
    const token = first.headers.get("x-subject-token");
    expect(token).toMatch(/^MII/);
    expect(second.headers.get("x-subject-token")).not.toBe(token);
    const body = asRecord(asRecord(await first.json()).token);
    expect(body.issued_at).toBe("2026-11-24T03:00:01.168000Z");
    expect(body.expires_at).toBe("2026-11-25T03:00:01.168000Z");
    expect(body.project).toMatchObject({ id: sim.projectId, name: sim.region });
    expect((await listElb(token ?? "")).status).toBe(200);
  });

  it("scopes by project id too", async () => {
    const response = await requestToken("s3cret", { project: { id: sim.projectId } });
    expect(response.status).toBe(201);
    expect(asRecord(asRecord(await response.json()).token).project).toMatchObject({
      id: sim.projectId,
    });
  });

  it.each([
    ["a wrong password", "wrong", { project: { name: "ap-southeast-1" } }],
    ["an unknown project", "s3cret", { project: { name: "mars-north-1" } }],
  ])("answers 401 to %s", async (_label, password, scope) => {
    const response = await requestToken(password, scope);
    expect(response.status).toBe(401);
    expect(response.headers.get("x-subject-token")).toBeNull();
    expect(await response.json()).toEqual({
      error: {
        code: 401,
        message: "The request you have made requires authentication.",
        title: "Unauthorized",
      },
    });
  });

  it("stops accepting a token once it expires by the clock", async () => {
    const token = (await requestToken("s3cret")).headers.get("x-subject-token") ?? "";
    clock += 24 * 3_600_000 + 1;
    const { status, body } = await listElb(token);
    expect(status).toBe(401);
    expect(asRecord(body).error_msg).toBe(
      "Incorrect IAM authentication information: token expires",
    );
    expect((await listElb(sim.authToken)).status).toBe(200);
  });

  it("revokes and expires tokens on request", async () => {
    const revoked = (await requestToken("s3cret")).headers.get("x-subject-token") ?? "";
    const expired = (await requestToken("s3cret")).headers.get("x-subject-token") ?? "";
    expect(sim.iam.issuedTokens).toContain(revoked);
    sim.iam.revokeToken(revoked);
    sim.iam.expireToken(expired);
    expect((await listElb(revoked)).status).toBe(401);
    expect(asRecord((await listElb(expired)).body).error_msg).toMatch(/token expires$/);
  });

  it("lists projects by name for authenticated callers only", async () => {
    const { status, body } = await getJson(
      `${sim.endpoints.iam}/v3/projects?name=${sim.region}`,
      sim.authToken,
    );
    expect(status).toBe(200);
    const projects = asArray(asRecord(body).projects).map(asRecord);
    expect(projects.map((p) => [p.id, p.name])).toEqual([[sim.projectId, sim.region]]);
    const anonymous = await getJson(`${sim.endpoints.iam}/v3/projects?name=${sim.region}`);
    expect(anonymous.status).toBe(401);
    expect(asRecord(anonymous.body).error_code).toBe("APIGW.0301");
  });

  it("refuses a domain-scoped token on project APIs", async () => {
    const response = await requestToken("s3cret", { domain: { name: "acme" } });
    expect(response.status).toBe(201);
    const token = response.headers.get("x-subject-token") ?? "";
    expect((await listElb(token)).status).toBe(403);
  });

  it("revokeAll also revokes the static token", async () => {
    sim.iam.revokeAll();
    expect((await listElb(sim.authToken)).status).toBe(401);
  });
});

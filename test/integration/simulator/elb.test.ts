import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  generateChain,
  startSimulator,
  toOneLinePem,
  type Simulator,
} from "../../../src/simulator/index.js";
import { asArray, asRecord, getJson } from "./http.js";

const DAY = 86_400_000;

describe("simulated ELB v3 certificates", () => {
  let sim: Simulator;
  let pem: string;
  let ids: string[];
  let base: string;

  beforeAll(async () => {
    sim = await startSimulator({ elbPageSizeCap: 3 });
    const chain = await generateChain({
      commonName: "www.example.com",
      notBefore: new Date(Date.now() - DAY),
      notAfter: new Date(Date.now() + 30 * DAY),
    });
    pem = chain.certificatePem;
    ids = [];
    for (let i = 0; i < 7; i++) {
      ids.push(
        sim.elb.add({
          name: `cert-${i}`,
          type: i === 6 ? "client" : "server",
          certificate: i === 5 ? toOneLinePem(pem) : pem,
          ...(i === 4 ? { expireTimeFormat: "space" as const } : {}),
        }),
      );
    }
    ids.sort();
    base = `${sim.endpoints.elb}/v3/${sim.projectId}/elb/certificates`;
  });
  afterAll(async () => {
    await sim.close();
  });

  it("caps pages and chains next_marker until the last page", async () => {
    const seen: string[] = [];
    const markers: (string | undefined)[] = [];
    let marker: string | undefined;
    for (let page = 0; page < 10; page++) {
      const url = `${base}?limit=2000${marker === undefined ? "" : `&marker=${marker}`}`;
      const { status, body } = await getJson(url, sim.authToken);
      expect(status).toBe(200);
      const record = asRecord(body);
      const certificates = asArray(record.certificates).map(asRecord);
      const pageInfo = asRecord(record.page_info);
      expect(pageInfo.current_count).toBe(certificates.length);
      expect(pageInfo.previous_marker).toBe(certificates[0]?.id);
      seen.push(...certificates.map((c) => String(c.id)));
      marker = pageInfo.next_marker as string | undefined;
      markers.push(marker);
      if (marker === undefined) break;
    }
    expect(seen).toEqual(ids);
    expect(markers).toEqual([ids[2], ids[5], undefined]);
  });

  it("honours a limit below the cap", async () => {
    const { body } = await getJson(`${base}?limit=2`, sim.authToken);
    expect(asArray(asRecord(body).certificates)).toHaveLength(2);
    expect(asRecord(asRecord(body).page_info).next_marker).toBe(ids[1]);
  });

  it.each(["-1", "2001", "abc", "1.5"])(
    "refuses limit=%s with an ELB error body",
    async (limit) => {
      const { status, body, headers } = await getJson(`${base}?limit=${limit}`, sim.authToken);
      expect(status).toBe(400);
      expect(body).toEqual({
        error_msg: `Invalid input for limit: ${limit} (must be an integer from 0 to 2000)`,
        error_code: "ELB.8902",
        request_id: headers.get("x-request-id"),
      });
    },
  );

  it("refuses an unknown marker", async () => {
    const { status, body } = await getJson(`${base}?marker=${"f".repeat(32)}`, sim.authToken);
    expect(status).toBe(400);
    expect(asRecord(body).error_code).toBe("ELB.8902");
  });

  it("filters by repeated id, by name and by type", async () => {
    const byId = await getJson(`${base}?id=${ids[0]}&id=${ids[3]}`, sim.authToken);
    expect(asArray(asRecord(byId.body).certificates).map((c) => asRecord(c).id)).toEqual([
      ids[0],
      ids[3],
    ]);
    const byName = await getJson(`${base}?name=cert-2`, sim.authToken);
    expect(asArray(asRecord(byName.body).certificates).map((c) => asRecord(c).name)).toEqual([
      "cert-2",
    ]);
    const byType = await getJson(`${base}?type=client`, sim.authToken);
    const clients = asArray(asRecord(byType.body).certificates).map(asRecord);
    expect(clients.map((c) => c.name)).toEqual(["cert-6"]);
    expect(clients[0]?.private_key).toBe("");
  });

  it("shows details with every CertificateInfo field, echoing the private key", async () => {
    const id = sim.elb.list().find((c) => c.name === "cert-0")?.id ?? "";
    const { status, body, headers } = await getJson(`${base}/${id}`, sim.authToken);
    expect(status).toBe(200);
    const record = asRecord(body);
    expect(record.request_id).toBe(headers.get("x-request-id"));
    const certificate = asRecord(record.certificate);
    expect(Object.keys(certificate).sort()).toEqual(
      [
        "id",
        "name",
        "description",
        "type",
        "domain",
        "certificate",
        "private_key",
        "expire_time",
        "created_at",
        "updated_at",
        "project_id",
        "admin_state_up",
        "source",
        "scm_certificate_id",
        "common_name",
        "fingerprint",
        "subject_alternative_names",
        "protection_status",
        "enterprise_project_id",
      ].sort(),
    );
    expect(certificate.id).toMatch(/^[0-9a-f]{32}$/);
    expect(certificate.certificate).toBe(pem);
    expect(certificate.private_key).toBe(sim.elb.echoedPrivateKeyPem);
    expect(certificate.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(certificate.expire_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(certificate.common_name).toBe("www.example.com");
    expect(certificate.domain).toBe("www.example.com");
    expect(certificate.project_id).toBe(sim.projectId);
  });

  it("prints expire_time in the space form and PEM as stored when asked", () => {
    const list = sim.elb.list();
    expect(list.find((c) => c.name === "cert-4")?.expire_time).toMatch(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/,
    );
    expect(list.find((c) => c.name === "cert-5")?.certificate).not.toContain("\n");
  });

  it("answers 404 with the ELB error shape for an unknown certificate", async () => {
    const missing = "0".repeat(32);
    const { status, body, headers } = await getJson(`${base}/${missing}`, sim.authToken);
    expect(status).toBe(404);
    expect(body).toEqual({
      error_msg: `Certificate ${missing} could not be found.`,
      error_code: "ELB.8904",
      request_id: headers.get("x-request-id"),
    });
  });

  it("answers 404 for a project that does not exist", async () => {
    const { status, body } = await getJson(
      `${sim.endpoints.elb}/v3/${"a".repeat(32)}/elb/certificates`,
      sim.authToken,
    );
    expect(status).toBe(404);
    expect(asRecord(body).error_code).toBe("APIGW.0101");
  });

  it.each([
    ["no token", undefined, "x-auth-token not found"],
    ["a made-up token", "MIIS-not-a-token", "token is invalid or revoked"],
  ])("answers 401 in the API gateway shape with %s", async (_label, token, detail) => {
    const { status, body, headers } = await getJson(base, token);
    expect(status).toBe(401);
    expect(body).toEqual({
      error_code: "APIGW.0301",
      error_msg: `Incorrect IAM authentication information: ${detail}`,
      request_id: headers.get("x-request-id"),
    });
  });

  it("answers an unknown path with APIGW.0101", async () => {
    const { status, body } = await getJson(`${sim.endpoints.elb}/v2/nothing`, sim.authToken);
    expect(status).toBe(404);
    expect(asRecord(body).error_code).toBe("APIGW.0101");
  });

  it("reflects add, update and remove at once", async () => {
    const id = sim.elb.add({ name: "temporary", certificate: pem, id: "0".repeat(31) + "1" });
    await expect(getJson(`${base}/${id}`, sim.authToken)).resolves.toMatchObject({ status: 200 });
    sim.elb.update(id, { name: "renamed", expireTime: "2045-11-17T13:25:47Z" });
    const updated = asRecord(
      asRecord((await getJson(`${base}/${id}`, sim.authToken)).body).certificate,
    );
    expect(updated.name).toBe("renamed");
    expect(updated.expire_time).toBe("2045-11-17T13:25:47Z");
    const first = asRecord((await getJson(`${base}?limit=1`, sim.authToken)).body);
    expect(asRecord(asArray(first.certificates)[0]).id).toBe(id);
    expect(sim.elb.remove(id)).toBe(true);
    await expect(getJson(`${base}/${id}`, sim.authToken)).resolves.toMatchObject({ status: 404 });
  });

  it("keeps other projects apart and refuses tokens scoped to another project", async () => {
    const other = sim.projects.add({ name: "cn-north-4" });
    sim.elb.add({ name: "elsewhere", certificate: pem, projectId: other });
    const listed = await getJson(
      `${sim.endpoints.elb}/v3/${other}/elb/certificates`,
      sim.authToken,
    );
    expect(asArray(asRecord(listed.body).certificates).map((c) => asRecord(c).name)).toEqual([
      "elsewhere",
    ]);

    const response = await fetch(`${sim.endpoints.iam}/v3/auth/tokens`, {
      method: "POST",
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ["password"],
            password: {
              user: {
                domain: { name: sim.iam.credentials.domain },
                name: sim.iam.credentials.username,
                password: sim.iam.credentials.password,
              },
            },
          },
          scope: { project: { id: other } },
        },
      }),
    });
    const scoped = response.headers.get("x-subject-token") ?? "";
    const refused = await getJson(base, scoped);
    expect(refused.status).toBe(403);
    expect(asRecord(refused.body).error_code).toBe("APIGW.0302");
  });
});

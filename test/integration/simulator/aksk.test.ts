import { createHmac, createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  canonicalRequest,
  computeSignature,
  startSimulator,
  stringToSign,
  verifySignedRequest,
  type Simulator,
} from "../../../src/simulator/index.js";

const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

describe("AK/SK signature checks", () => {
  const vector = {
    method: "GET",
    rawPath: "/path",
    rawQuery: "limit=1",
    headers: { "x-sdk-date": "20060102T150405Z" },
    body: Buffer.alloc(0),
  };

  it("reproduces the public test vector of the official Go SDK", () => {
    const canonical = canonicalRequest(vector, ["x-sdk-date"]);
    expect(canonical).toBe(
      `GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\n${EMPTY_SHA256}`,
    );
    expect(computeSignature("SecretKey", stringToSign(canonical, "20060102T150405Z"))).toBe(
      "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624",
    );
  });

  it("accepts the vector's request and refuses it outside the 15-minute window", () => {
    const signed = {
      ...vector,
      headers: {
        ...vector.headers,
        authorization:
          "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624",
      },
    };
    const secretFor = (ak: string) => (ak === "AccessKey" ? "SecretKey" : undefined);
    const at = Date.parse("2006-01-02T15:04:05Z");
    expect(verifySignedRequest(signed, secretFor, at)).toEqual({
      ok: true,
      accessKey: "AccessKey",
    });
    expect(verifySignedRequest(signed, secretFor, at + 16 * 60_000)).toMatchObject({ ok: false });
    expect(verifySignedRequest(signed, () => "OtherKey", at)).toEqual({
      ok: false,
      message: "verify aksk signature fail",
    });
  });

  describe("over HTTP", () => {
    let sim: Simulator;
    beforeAll(async () => {
      sim = await startSimulator({ accessKeys: [{ accessKey: "AK1", secretKey: "SK1" }] });
    });
    afterAll(async () => {
      await sim.close();
    });

    /** A signer written out in the test from the notes (canonical form of this simple request). */
    function signedHeaders(
      url: URL,
      secretKey: string,
      date: Date,
      projectId?: string,
    ): Record<string, string> {
      const sdkDate = date
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, "");
      const query = [...url.searchParams]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k}=${v}`)
        .join("&");
      const canonical = [
        "GET",
        `${url.pathname}/`,
        query,
        `host:${url.host}\nx-sdk-date:${sdkDate}\n`,
        "host;x-sdk-date",
        EMPTY_SHA256,
      ].join("\n");
      const toSign = `SDK-HMAC-SHA256\n${sdkDate}\n${createHash("sha256").update(canonical).digest("hex")}`;
      const signature = createHmac("sha256", secretKey).update(toSign).digest("hex");
      return {
        "X-Sdk-Date": sdkDate,
        Authorization: `SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, Signature=${signature}`,
        ...(projectId === undefined ? {} : { "X-Project-Id": projectId }),
      };
    }

    it("authenticates a signed request and refuses a bad secret, a stale date or another project", async () => {
      const url = new URL(
        `${sim.endpoints.elb}/v3/${sim.projectId}/elb/certificates?limit=10&marker=`,
      );
      url.searchParams.delete("marker");
      const ok = await fetch(url, {
        headers: signedHeaders(url, "SK1", new Date(), sim.projectId),
      });
      expect(ok.status).toBe(200);
      expect(sim.requests.at(-1)?.authenticated).toBe(true);

      const bad = await fetch(url, { headers: signedHeaders(url, "SK2", new Date()) });
      expect(bad.status).toBe(401);
      expect(await bad.json()).toMatchObject({
        error_code: "APIGW.0301",
        error_msg: "Incorrect IAM authentication information: verify aksk signature fail",
      });
      const stale = await fetch(url, {
        headers: signedHeaders(url, "SK1", new Date(Date.now() - 20 * 60_000)),
      });
      expect(stale.status).toBe(401);
      const other = await fetch(url, {
        headers: signedHeaders(url, "SK1", new Date(), "b".repeat(32)),
      });
      expect(other.status).toBe(403);
    });
  });
});

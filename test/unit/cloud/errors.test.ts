import { describe, expect, it } from "vitest";
import { CloudApiError, parseErrorBody, reasonForStatus } from "../../../src/cloud/errors.js";
import { parseJsonWithoutSecrets } from "../../../src/cloud/http/json-body.js";
import { backoffDelay, DEFAULT_RETRY_POLICY } from "../../../src/cloud/http/retry.js";

describe("parseErrorBody", () => {
  it.each<[string, { code: string | null; message: string | null }]>([
    [
      '{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information"}',
      { code: "APIGW.0301", message: "Incorrect IAM authentication information" },
    ],
    [
      '{"error":{"code":"ELB.6101","message":"Certificate not found"}}',
      { code: "ELB.6101", message: "Certificate not found" },
    ],
    [
      '{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}',
      { code: "401", message: "The request you have made requires authentication." },
    ],
    ['{"error_msg":"no code"}', { code: null, message: "no code" }],
    ["<html><body>502 Bad Gateway</body></html>", { code: null, message: null }],
    ["", { code: null, message: null }],
    ["null", { code: null, message: null }],
  ])("%s", (body, expected) => {
    expect(parseErrorBody(body)).toEqual(expected);
  });
});

describe("reasonForStatus", () => {
  it.each([
    [401, "auth_failed"],
    [403, "forbidden"],
    [404, "not_found"],
    [429, "rate_limited"],
    [400, "http_4xx"],
    [431, "http_4xx"],
    [500, "http_5xx"],
    [503, "http_5xx"],
  ])("%i → %s", (status, reason) => {
    expect(reasonForStatus(status)).toBe(reason);
  });
});

describe("CloudApiError", () => {
  it("builds its message from safe fields only", () => {
    const error = new CloudApiError({
      service: "elb",
      operation: "list_certificates",
      status: 401,
      reason: "auth_failed",
      errorCode: "APIGW.0301",
      requestId: "req-1",
      detail: "Incorrect IAM authentication information",
    });
    expect(error.message).toBe(
      "elb list_certificates: HTTP 401 APIGW.0301: Incorrect IAM authentication information",
    );
    expect(Object.keys(error)).not.toContain("options");
  });
});

describe("backoffDelay", () => {
  it.each([
    [1, 0, 1000],
    [1, 1, 2000],
    [2, 0, 2000],
    [2, 1, 4000],
    [3, 0.5, 6000],
    [5, 1, 8000],
  ])("attempt %i with random %f waits %i ms", (attempt, random, expected) => {
    expect(backoffDelay(DEFAULT_RETRY_POLICY, attempt, random)).toBe(expected);
  });
});

describe("parseJsonWithoutSecrets", () => {
  it("drops private keys at every depth while parsing", () => {
    const parsed = parseJsonWithoutSecrets(
      '{"certificate":{"id":"a","private_key":"KEY","enc_private_key":"ENC","nested":[{"private_key":"K2"}]}}',
    );
    expect(JSON.stringify(parsed)).toBe('{"certificate":{"id":"a","nested":[{}]}}');
  });

  it.each(["null", "5", '"private_key"', "[]", '[null,{"private_key":"K"}]'])(
    "parses %s like JSON.parse, keys aside",
    (text) => {
      expect(JSON.stringify(parseJsonWithoutSecrets(text))).toBe(
        JSON.stringify(
          JSON.parse(text, (key, value: unknown) => (key === "private_key" ? undefined : value)),
        ),
      );
    },
  );

  it("walks a body nested deeper than the call stack", () => {
    const depth = 200_000;
    const text = `${"[".repeat(depth)}{"private_key":"K"}${"]".repeat(depth)}`;
    let innermost: unknown = parseJsonWithoutSecrets(text);
    for (let level = 0; level < depth; level++) innermost = (innermost as unknown[])[0];
    expect(innermost).toEqual({});
  });
});

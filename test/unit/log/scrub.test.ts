import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { Secret } from "../../../src/config/secret.js";
import { createLogger } from "../../../src/log/logger.js";
import { describeUrl, SecretScrubber } from "../../../src/log/scrub.js";

function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString("utf8"));
      callback();
    },
  });
  return { stream, lines };
}

describe("SecretScrubber", () => {
  it.each<[string, string]>([
    ["token MIIT-secret-token here", "token [REDACTED] here"],
    ['{"detail":"quote\\"d MIIT-secret-token"}', '{"detail":"quote\\"d [REDACTED]"}'],
    [
      "https://bucket.obs.ap-southeast-1.myhuaweicloud.com/ca.crt?AccessKeyId=AK&Expires=1&Signature=abc%2F",
      "https://bucket.obs.ap-southeast-1.myhuaweicloud.com/ca.crt?[REDACTED]",
    ],
    ["-----BEGIN PRIVATE KEY-----\nMIIEvg\n-----END PRIVATE KEY-----", "[REDACTED]"],
    ["-----BEGIN EC PRIVATE KEY-----MIIEvg (cut", "[REDACTED]"],
    ["nothing secret", "nothing secret"],
  ])("%j", (input, expected) => {
    const scrubber = new SecretScrubber();
    scrubber.add("MIIT-secret-token");
    expect(scrubber.scrub(input)).toBe(expected);
  });

  it("ignores values too short to be secrets", () => {
    const scrubber = new SecretScrubber();
    scrubber.add("abc");
    expect(scrubber.scrub("abc")).toBe("abc");
  });
});

describe("describeUrl", () => {
  it.each([
    ["https://h.example/a/b?Signature=x", "https://h.example/a/b?[REDACTED]"],
    ["https://h.example/a", "https://h.example/a"],
    ["not a url", "(invalid URL)"],
  ])("%s", (url, expected) => {
    expect(describeUrl(url)).toBe(expected);
  });
});

describe("createLogger", () => {
  it("redacts secrets by field, by value and by shape, at debug level", async () => {
    const { stream, lines } = capture();
    const scrubber = new SecretScrubber();
    scrubber.add("sk-value-123456");
    const logger = createLogger({ level: "debug", destination: stream, scrubber });
    logger.debug(
      {
        token: new Secret("tok-value-999999"),
        headers: { "X-Auth-Token": "tok-value-999999" },
        request: { "x-auth-token": "tok-value-888888", password: "pw-value-777777" },
        detail: "the sk is sk-value-123456",
        link: "https://b.obs.example/ca.crt?Signature=sig-value-555555",
        err: Object.assign(new Error("boom"), {
          options: { headers: { authorization: "auth-666666" } },
        }),
      },
      "event",
    );
    await new Promise((resolve) => setImmediate(resolve));
    const text = lines.join("");
    for (const secret of [
      "tok-value-999999",
      "tok-value-888888",
      "pw-value-777777",
      "sk-value-123456",
      "sig-value-555555",
      "auth-666666",
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(JSON.parse(text)).toMatchObject({
      msg: "event",
      level: "debug",
      err: { message: "boom" },
    });
  });
});

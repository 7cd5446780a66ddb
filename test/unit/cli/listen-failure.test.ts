import { describe, expect, it } from "vitest";
import { describeListenFailure } from "../../../src/cli/listen-failure.js";

// EADDRINUSE, EADDRNOTAVAIL and ENOTFOUND are also produced for real through the CLI in
// test/integration/process.test.ts; EACCES cannot be, where tests run as root.
describe("describeListenFailure", () => {
  it.each<[string, number, string, string]>([
    [
      "127.0.0.1",
      10057,
      "EADDRINUSE",
      "HWCERT_LISTEN_ADDRESS: cannot listen on 127.0.0.1:10057: address already in use (EADDRINUSE); another process holds the port — choose another HWCERT_LISTEN_ADDRESS, or stop that process",
    ],
    [
      "0.0.0.0",
      80,
      "EACCES",
      "HWCERT_LISTEN_ADDRESS: cannot listen on 0.0.0.0:80: permission denied (EACCES); ports below 1024 need privileges — choose a port from 1024 up in HWCERT_LISTEN_ADDRESS",
    ],
    [
      "0.0.0.0",
      10057,
      "EACCES",
      "HWCERT_LISTEN_ADDRESS: cannot listen on 0.0.0.0:10057: permission denied (EACCES) — choose another HWCERT_LISTEN_ADDRESS",
    ],
    [
      "::",
      10057,
      "EAFNOSUPPORT",
      "HWCERT_LISTEN_ADDRESS: cannot listen on [::]:10057: address family not supported (EAFNOSUPPORT); IPv6 may be off on this machine — use 0.0.0.0:<port> in HWCERT_LISTEN_ADDRESS",
    ],
    [
      "10.0.0.9",
      10057,
      "EINVAL",
      "HWCERT_LISTEN_ADDRESS: cannot listen on 10.0.0.9:10057: EINVAL — check HWCERT_LISTEN_ADDRESS",
    ],
  ])("%s:%i %s", (host, port, code, message) => {
    expect(describeListenFailure({ host, port }, code)).toBe(message);
  });
});

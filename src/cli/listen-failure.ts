// Says why the HTTP server could not listen on HWCERT_LISTEN_ADDRESS and what to change, for the
// system errors a listen address can cause. Pure: the caller passes the address and the code.

import type { ListenAddress } from "../config/config.js";

/** Why the HTTP server could not listen, and what to change, for the errors a setting causes. */
const LISTEN_FAILURES: Readonly<Record<string, (address: ListenAddress) => string>> = {
  EADDRINUSE: () =>
    "address already in use (EADDRINUSE); another process holds the port — choose another HWCERT_LISTEN_ADDRESS, or stop that process",
  EACCES: ({ port }) =>
    port < 1024
      ? `permission denied (EACCES); ports below 1024 need privileges — choose a port from 1024 up in HWCERT_LISTEN_ADDRESS`
      : "permission denied (EACCES) — choose another HWCERT_LISTEN_ADDRESS",
  EADDRNOTAVAIL: ({ host }) =>
    `address not available (EADDRNOTAVAIL); ${host} is not an address of this machine — use 0.0.0.0 (every interface) or one of its own addresses in HWCERT_LISTEN_ADDRESS`,
  ENOTFOUND: ({ host }) =>
    `host name ${host} not found (ENOTFOUND) — use an IP address in HWCERT_LISTEN_ADDRESS`,
  EAI_AGAIN: ({ host }) =>
    `host name ${host} could not be resolved (EAI_AGAIN) — use an IP address in HWCERT_LISTEN_ADDRESS`,
  EAFNOSUPPORT: () =>
    "address family not supported (EAFNOSUPPORT); IPv6 may be off on this machine — use 0.0.0.0:<port> in HWCERT_LISTEN_ADDRESS",
};

export function describeListenFailure(address: ListenAddress, code: string): string {
  const shown = address.host.includes(":") ? `[${address.host}]` : address.host;
  const why = LISTEN_FAILURES[code]?.(address) ?? `${code} — check HWCERT_LISTEN_ADDRESS`;
  return `HWCERT_LISTEN_ADDRESS: cannot listen on ${shown}:${address.port}: ${why}`;
}

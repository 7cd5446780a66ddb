// Decides whether the exporter may fetch a download link (or a redirect target): only https
// (http only when allowed), no user info, and only hosts on the allow list; and, once a host name
// is resolved, whether the address it resolved to may be contacted (see checkResolvedAddress).
// The links come from the cloud, so a tampered or wrong link must not make the daemon fetch
// internal addresses. Pure: the caller passes the URL, the address and the policy.

import { BlockList, isIP } from "node:net";

export interface LinkPolicy {
  /** Lower-case host names, IP literals (`127.0.0.1`, `[::1]`), or `*.suffix` patterns. */
  readonly allowedHosts: readonly string[];
  readonly allowHttp: boolean;
}

export type LinkVerdict = { readonly ok: true } | { readonly ok: false; readonly detail: string };

export function checkLink(url: URL, policy: LinkPolicy): LinkVerdict {
  const scheme = url.protocol.replace(/:$/, "");
  if (scheme !== "https" && !(scheme === "http" && policy.allowHttp)) {
    return { ok: false, detail: `scheme ${scheme} is not allowed` };
  }
  if (url.username !== "" || url.password !== "") {
    return { ok: false, detail: "links with user info are not allowed" };
  }
  const host = url.hostname.toLowerCase();
  const bare = host.startsWith("[") ? host.slice(1, -1) : host;
  const literal = isIP(bare) !== 0;
  const allowed = policy.allowedHosts.some((pattern) => {
    if (pattern === host) return true;
    // A *.suffix pattern names DNS names; it never matches an IP literal.
    return !literal && pattern.startsWith("*.") && host.endsWith(pattern.slice(1));
  });
  return allowed ? { ok: true } : { ok: false, detail: `host ${host} is not allowed` };
}

/** IPv4 ranges no download host name may resolve to (see checkResolvedAddress). */
const NEVER_BY_NAME_V4: readonly (readonly [string, number])[] = [
  ["0.0.0.0", 8], // "this network"; 0.0.0.0 reaches the local host on Linux
  ["127.0.0.0", 8], // loopback: the exporter's own port and every local service
  ["169.254.0.0", 16], // link-local: 169.254.169.254 is the cloud's metadata service
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and the broadcast address
];

/** IPv6 ranges; each IPv4 range above is also refused in its NAT64 (64:ff9b::/96) form. */
const NEVER_BY_NAME_V6: readonly (readonly [string, number])[] = [
  ["::", 96], // unspecified, loopback ::1, and the deprecated IPv4-compatible ::a.b.c.d
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
];

const NEVER_BY_NAME = ((): BlockList => {
  const list = new BlockList();
  for (const [address, prefix] of NEVER_BY_NAME_V4) {
    list.addSubnet(address, prefix, "ipv4");
    list.addSubnet(`64:ff9b::${address}`, 96 + prefix, "ipv6");
  }
  for (const [address, prefix] of NEVER_BY_NAME_V6) list.addSubnet(address, prefix, "ipv6");
  // IPv4-mapped IPv6 (::ffff:127.0.0.1) is matched against the IPv4 rules by BlockList itself.
  return list;
})();

/**
 * Whether a download host NAME may be contacted at the address DNS gave for it. Loopback,
 * link-local, unspecified, multicast and reserved addresses are refused (in IPv4, IPv6,
 * IPv4-mapped and NAT64 form), unless that address literal is itself on the allow list: so an
 * allowed name whose DNS was changed (or rebound) cannot reach the metadata service or the
 * host's own ports. Private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) are
 * allowed, because Huawei Cloud's intranet DNS and VPC endpoints answer OBS names with them.
 */
export function checkResolvedAddress(
  host: string,
  address: string,
  policy: LinkPolicy,
): LinkVerdict {
  const family = isIP(address);
  if (family === 0) return { ok: false, detail: `host ${host} resolved to no usable address` };
  // Compare in the URL parser's normal form, as checkLink compares hosts.
  const literal = new URL(`http://${family === 6 ? `[${address}]` : address}/`).hostname;
  if (policy.allowedHosts.includes(literal)) return { ok: true };
  if (NEVER_BY_NAME.check(address, family === 6 ? "ipv6" : "ipv4")) {
    return { ok: false, detail: `host ${host} resolves to ${literal}, which is not allowed` };
  }
  return { ok: true };
}

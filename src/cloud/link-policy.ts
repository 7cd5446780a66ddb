// Decides whether the exporter may fetch a download link (or a redirect target): only https
// (http only when allowed), no user info, and only hosts on the allow list. The links come from
// the cloud, so a tampered or wrong link must not make the daemon fetch internal addresses.
// Pure: the caller passes the URL and the policy.

import { isIP } from "node:net";

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

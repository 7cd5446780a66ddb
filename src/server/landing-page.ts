// The small page at `/`: what this is and where the useful endpoints are. Static apart from
// the version, which is escaped like any other text.

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

export function renderLandingPage(version: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>huaweicloud-cert-exporter</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:40rem;color:#222}code{background:#f3f3f3;padding:0 .2em}</style>
</head>
<body>
<h1>huaweicloud-cert-exporter</h1>
<p>Prometheus exporter for SSL/TLS certificates on Huawei Cloud. Version ${escapeHtml(version)}.</p>
<ul>
<li><a href="/metrics">/metrics</a>: certificate expiry and exporter health</li>
<li><a href="/healthz">/healthz</a>: the process is alive</li>
<li><a href="/readyz">/readyz</a>: the first poll has completed</li>
</ul>
</body>
</html>
`;
}

import { describe, expect, it } from "vitest";
import { LIVE_METRICS } from "../../../src/metrics/contract.js";
import { createLiveMetrics } from "../../../src/metrics/live-metrics.js";
import { polledFamilies } from "../../../src/metrics/polled-families.js";
import { METRICS, SOURCES } from "../../../src/sources/index.js";

const polled = polledFamilies(SOURCES, {}).map((family) => family.spec.name);
const catalog = Object.values(METRICS).map((metric) => metric.name);

describe("the metric catalog", () => {
  it("writes the polled families once each, in the published order", () => {
    expect(polled).toEqual([
      "hwcert_elb_certificate_expire_timestamp_seconds",
      "hwcert_elb_certificate_listener_bindings",
      "hwcert_elb_certificate_listener_info",
      "hwcert_certificate_not_after_timestamp_seconds",
      "hwcert_certificate_not_before_timestamp_seconds",
      "hwcert_certificate_info",
      "hwcert_certificate_expiry_threshold_seconds",
      "hwcert_resource_owner_info",
      "hwcert_resource_in_use",
      "hwcert_geminidb_ca_link_up",
      "hwcert_geminidb_ca_download_status_code",
      "hwcert_geminidb_ca_download_duration_seconds",
      "hwcert_geminidb_ca_download_bytes",
      "hwcert_geminidb_instance_info",
      "hwcert_ccm_certificate_expire_timestamp_seconds",
      "hwcert_ccm_certificate_not_before_timestamp_seconds",
      "hwcert_ccm_certificate_status",
      "hwcert_ccm_certificate_info",
      "hwcert_ccm_certificate_usage_info",
      "hwcert_resource_problem",
      "hwcert_source_up",
      "hwcert_source_last_success_timestamp_seconds",
    ]);
  });

  it("names every family once and lists every polled and live one", () => {
    expect(new Set(catalog).size).toBe(catalog.length);
    expect([...catalog].sort()).toEqual(
      [...polled, ...Object.values(LIVE_METRICS).map((metric) => metric.name)].sort(),
    );
  });

  it("never gives a live family the name of a polled one", () => {
    // The exposition writes the live registry and then the polled text: a shared name would be
    // one family written twice.
    const live = createLiveMetrics({ sources: ["elb"], version: "test" });
    const names = live.registry.getMetricsAsArray().map((metric) => metric.name);
    expect(names).toContain(LIVE_METRICS.errors.name);
    expect(names.filter((name) => polled.includes(name))).toEqual([]);
  });
});

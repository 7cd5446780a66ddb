import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Builds and runs the container image: `npm run test:container`, after these.
    exclude: [...configDefaults.exclude, "test/container/**"],
    setupFiles: ["test/setup.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Limits for a test that hangs, not performance targets: on a 2-core machine under full load
    // a real-daemon or real-Prometheus test takes several times its quiet duration.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});

// The container test (test/container): builds the image and runs it, so it runs alone, after
// `npm test`, through `npm run test:container` (scripts/container-test.sh makes the base image).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/container/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 180_000,
    hookTimeout: 900_000,
    pool: "forks",
    fileParallelism: false,
  },
});

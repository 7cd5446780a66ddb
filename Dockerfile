# syntax=docker/dockerfile:1
# huaweicloud-cert-exporter image: built from the lockfile, compiled in a build stage, run as a
# numeric non-root user from a slim Node.js 24 runtime that holds only dist/, the production
# dependencies and the example configuration. test/deploy checks these rules on every `npm test`;
# `npm run test:container` builds the image and runs it as the README's Docker section says.
#   docker build -t huaweicloud-cert-exporter:0.1.0 .
#   docker run --rm -p 10057:10057 --env-file .env --read-only --cap-drop ALL \
#     --security-opt no-new-privileges huaweicloud-cert-exporter:0.1.0
# For reproducible builds pin both base images by digest (node:24-bookworm-slim@sha256:...).

# Build stage: install exactly the lockfile, compile TypeScript, then drop dev dependencies.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
  && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# Runtime stage.
FROM node:24-bookworm-slim AS runtime
# docker build --build-arg VERSION=... --build-arg REVISION="$(git rev-parse HEAD)" \
#   --build-arg SOURCE=<repository URL> --build-arg CREATED="$(date -u +%FT%TZ)" .
ARG VERSION=0.1.0
ARG REVISION=""
ARG SOURCE=""
ARG CREATED=""
LABEL org.opencontainers.image.title="huaweicloud-cert-exporter" \
      org.opencontainers.image.description="Prometheus exporter for the expiry of SSL/TLS certificates kept on Huawei Cloud (ELB certificates, GeminiDB CA certificates, Cloud Certificate Manager certificates)." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="docker.io/library/node:24-bookworm-slim"
ENV NODE_ENV=production
# glibc gives each thread that allocates its own malloc arena, and freed memory stays in them;
# two arenas hold the exporter's resident memory 15-20 MiB lower at no measurable cost in time.
ENV MALLOC_ARENA_MAX=2
# The exporter needs node only: drop npm, npx, corepack and yarn (and their CVE surface).
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
WORKDIR /app
# Owned by root and read-only to the runtime user: the process cannot modify its own code.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY config ./config
# uid/gid 1000 is the image's unprivileged `node` user; numeric so runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 10057
# Exec form, no shell in between: node runs as PID 1 and receives SIGTERM itself; the exporter
# handles it (finishes a running poll, at most 5 s, and exits 0) and starts no child processes,
# so no init is needed. The same command and environment as `npm start`.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "--optimize-for-size", "--heap-growing-percent=100", "dist/main.js"]
# Exec form again (no shell needed): GET /healthz on the address of HWCERT_LISTEN_ADDRESS. A
# wildcard (0.0.0.0, [::] or an empty host) is asked on 127.0.0.1; a specific address (a pod IP,
# 127.0.0.2) is asked on that address, where the exporter listens; IPv6 literals get brackets.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "const a = process.env.HWCERT_LISTEN_ADDRESS || ':10057'; const i = a.lastIndexOf(':'); const h = a.slice(0, i).replace('[', '').replace(']', ''); const host = ['', '0.0.0.0', '::'].includes(h) ? '127.0.0.1' : h.includes(':') ? '[' + h + ']' : h; fetch('http://' + host + ':' + a.slice(i + 1) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

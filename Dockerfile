# syntax=docker/dockerfile:1
# One image for every reform-inbox process; docker-compose.yml starts it with a different command per service.
# Node 24 (LTS) runs it here; the code also runs on Node 20 and 22 (package.json "engines"). The version is pinned
# in every stage (Renovate proposes updates, and .ci/run tests with the same one): a rebuild never changes Node.

# Every dependency (TypeScript included), in a layer of its own: rebuilt only when the lock file changes.
FROM node:24.21.0-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

# The build: only this layer and the ones after it are redone when a source file changes.
FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workers ./workers
RUN npm run build

# Runtime dependencies only (no TypeScript, test tools or the local SMTP sink), also cached on the lock file.
FROM node:24.21.0-bookworm-slim AS runtime-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

FROM node:24.21.0-bookworm-slim
ENV NODE_ENV=production TZ=Asia/Ho_Chi_Minh METRICS_PORT=9464
WORKDIR /app
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY data ./data
COPY templates ./templates
COPY --from=build /app/dist ./dist
USER node
# 8080: the ops process (HTTP_PORT); 9464: each worker's /metrics and /healthz (METRICS_PORT).
EXPOSE 8080 9464
# Asks the running process's own /healthz (the kind is read from the container's command); a one-shot command
# such as `reform db migrate` counts as healthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "bin/healthcheck.js"]
ENTRYPOINT ["node"]
CMD ["bin/reform.js", "--help"]

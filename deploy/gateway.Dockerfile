# syntax=docker/dockerfile:1
#
# gateway: the public HTTP service (OpenAI, Anthropic and Ollama wire formats). It holds no provider key and
# needs no egress: it only talks to llm-proxy and Redis.
# Build from the repository root:
#   docker build -f deploy/gateway.Dockerfile -t nachos/gateway .
#
# Stages: the npm that wrote package-lock.json → the workspace manifests alone (so dependency layers are
# rebuilt only when a package.json or the lockfile changes) → a full build → a fresh production-only install
# (pruning a dev install keeps the root devDependencies) → a small runtime with tini and the node user.

ARG NODE_VERSION=20
ARG NPM_VERSION=11.19.1

# The npm release the repository uses: it honours the `allowScripts` list in package.json, so dependency
# install scripts run in the image exactly as they do on a developer's machine (only when approved).
FROM node:${NODE_VERSION}-alpine AS node-npm
ARG NPM_VERSION
RUN --mount=type=cache,target=/root/.npm npm install --global "npm@${NPM_VERSION}"
WORKDIR /app

# package-lock.json and every workspace's package.json, at their paths. COPY cannot keep the folders of a
# wildcard match, and listing workspaces here would go stale as plugins are added.
FROM node-npm AS manifests
COPY . /src
RUN cd /src \
 && find . -maxdepth 3 -name package.json -not -path '*/node_modules/*' > /tmp/manifests \
 && echo ./package-lock.json >> /tmp/manifests \
 && tar -cf - -T /tmp/manifests | tar -xf - -C /app

FROM node-npm AS build
COPY --from=manifests /app/ ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
# What each package publishes (its package.json "files": dist/, and data such as a plugin's models.json),
# exactly as `npm pack` would ship it, at the package's path.
RUN npm run build \
 && mkdir -p /out /tmp/packs \
 && for dir in plugins/sdk proto services/common services/gateway services/admin-console; do \
      [ -f "$dir/package.json" ] || continue; \
      tarball=$(cd "$dir" && npm pack --silent --pack-destination /tmp/packs) \
      && mkdir -p "/out/$dir" \
      && tar -xzf "/tmp/packs/$tarball" -C "/out/$dir" --strip-components=1 || exit 1; \
    done \
 && find /out -name '*.tsbuildinfo' -delete

FROM node-npm AS prod-deps
COPY --from=manifests /app/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --workspace @nachos/gateway

FROM node:${NODE_VERSION}-alpine AS runtime
LABEL org.opencontainers.image.title="nachos gateway" \
      org.opencontainers.image.description="One endpoint for OpenAI, Anthropic and Ollama clients" \
      org.opencontainers.image.licenses="Apache-2.0"
# tini reaps zombies and forwards SIGTERM to node, which then drains open streams. The runtime needs no
# package manager, so npm, npx, corepack and yarn go.
RUN apk add --no-cache tini \
 && rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /opt/yarn-* \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    LLM_PROXY_URL=llm-proxy:50051
WORKDIR /app
# Files stay root-owned: the service only reads them.
COPY --from=prod-deps /app/ ./
COPY --from=build /out/ ./
USER node
EXPOSE 8080
STOPSIGNAL SIGTERM
# busybox wget is in the base image; a node process per probe would cost more than the request it makes.
HEALTHCHECK --interval=10s --timeout=5s --start-period=15s --retries=3 \
  CMD wget -q -T 3 -O /dev/null "http://127.0.0.1:${PORT}/health" || exit 1
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "services/gateway/dist/main.js"]

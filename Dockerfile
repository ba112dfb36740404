# syntax=docker/dockerfile:1
# Ferry's server image: build with the dev dependencies, ship dist/ with the production ones only.
#   docker build -t ferry:0.1.0 .
#   docker run -p 5050:5050 -v ferry-data:/data -e FERRY_ADMIN_TOKEN=… ferry:0.1.0
# Verified without a container engine by scripts/verify-dockerfile.sh (it replays these steps; see docs/kubernetes.md).
ARG NODE_VERSION=20.20.2

FROM node:${NODE_VERSION}-bookworm AS build
# package.json's allowScripts (which install scripts may run) is an npm 11 feature; Node 20 ships npm 10, which would
# run every install script — onnxruntime-node's among them, and it downloads CUDA/TensorRT providers (hundreds of MB)
# next to the binding its package already bundles. See .ci/run.
RUN npm install -g --no-audit --no-fund npm@11.19.1
WORKDIR /src
# Dependencies first, in their own layer, reused while the lockfile holds; their install scripts run below, once
# the sources are here (npm ci would otherwise also run our own `prepare`, the build, without them).
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY ui ./ui
COPY bin ./bin
COPY demo ./demo
COPY examples ./examples
COPY projects ./projects
# npm rebuild runs the install scripts that allowScripts approves (better-sqlite3's native binding) and skips the
# denied one; the check after the build fails the image if onnxruntime-node's script ran anyway.
RUN npm rebuild --no-audit --no-fund \
  && npm run build \
  && if ls node_modules/onnxruntime-node/bin/napi-v*/*/*/libonnxruntime_providers_* >/dev/null 2>&1; then \
       echo "onnxruntime-node's install script ran (allowScripts denies it)" >&2; exit 1; fi \
  && ls node_modules/onnxruntime-node/bin/napi-v*/linux/x64/onnxruntime_binding.node >/dev/null \
  && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    FERRY_HOST=0.0.0.0 \
    FERRY_PORT=5050 \
    FERRY_DATA_DIR=/data
# A fixed non-root uid/gid (10001), so that Kubernetes' runAsNonRoot can check it and volumes can be chowned to it.
RUN groupadd --system --gid 10001 ferry \
  && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home --shell /usr/sbin/nologin ferry \
  && mkdir -p /data && chown 10001:10001 /data
WORKDIR /app
# What package.json's "files" publishes (bin, dist, demo, examples, projects), the production node_modules, package.json
# (the server reads its version from it). Owned by root: the server cannot change its own code.
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/bin ./bin
COPY --from=build /src/demo ./demo
COPY --from=build /src/examples ./examples
# The built-in job projects (onnx-convert): they run on an executor with Python (this image has none; see docs/conversion.md).
COPY --from=build /src/projects ./projects
USER 10001:10001
# SQLite database and local artifacts (the defaults); with --store postgres://… and S3 artifacts it holds only scratch.
VOLUME ["/data"]
EXPOSE 5050
# No curl in the slim image: node asks /health (public, and answered whatever the Host header).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.FERRY_PORT||5050)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/ferry.js"]
CMD ["server", "--host", "0.0.0.0"]

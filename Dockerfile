# The Understudy worker image (used by docker-compose.yml).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    UNDERSTUDY_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js \
    UNDERSTUDY_ARTIFACT_ROOT=/data/artifacts \
    UNDERSTUDY_OUTPUT_DIR=/data/output
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/examples ./examples
VOLUME ["/data"]
CMD ["node", "dist/workers/main.js"]

# Velora API + web app. Build: docker build -t velora .   Run: docker compose up (docs/deploy.md)
# Three stages on the same Node 20 base: build (all dependencies, compiles API + web), deps (production
# dependencies only), runtime (non-root, only dist/ + production node_modules).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 DATA_DIR=/app/data
# code and dependencies stay owned by root (read-only for the app); only the data folder is writable
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /app/data && chown node:node /app/data
USER node
# embedded PGlite database when DATABASE_URL is unset
VOLUME ["/app/data"]
# 3000: API + web app; 9464: Prometheus metrics when METRICS_PORT=9464
EXPOSE 3000 9464
# slim images have no curl: Node's fetch against the liveness probe
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/api/src/main.js"]

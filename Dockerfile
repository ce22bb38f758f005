# The API and the projector: one image, two commands.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles natively.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/data/samples ./data/samples
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]

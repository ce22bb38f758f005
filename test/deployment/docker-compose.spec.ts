import { CONFIG_VARIABLES, loadConfig } from '@archive/application';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * No Docker engine runs on CI, so the compose file is checked by what can be read from it: the
 * environment each archive service gets is one the service accepts, for the topology intended.
 */
describe('docker-compose.yml', () => {
  interface Service {
    build?: unknown;
    image?: string;
    command?: string[];
    environment?: Record<string, string | number>;
    depends_on?: Record<string, { condition: string }>;
    healthcheck?: unknown;
    ports?: string[];
    stop_grace_period?: string;
  }
  const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, Service> };
  // As Compose reads `${NAME:-default}` with NAME unset, and as the image sets NODE_ENV.
  const interpolate = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
  const env = (service: Service): Record<string, string> => ({
    NODE_ENV: 'production',
    ...Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))])),
  });

  it('runs KurrentDB, PostgreSQL, a projector and two API replicas, each with a health check where it serves', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'api-replica', 'kurrentdb', 'postgres', 'projector']);
    expect(compose.services.kurrentdb!.healthcheck).toBeDefined();
    expect(compose.services.postgres!.healthcheck).toBeDefined();
    expect(compose.services.api!.healthcheck).toBeDefined();
    expect(compose.services['api-replica']!.healthcheck).toEqual(compose.services.api!.healthcheck);
  });

  it('publishes the insecure KurrentDB on loopback only, and gives each archive service longer to stop than its shutdown may take', () => {
    expect(compose.services.kurrentdb!.ports).toEqual(['127.0.0.1:2113:2113']);
    for (const name of ['api', 'api-replica', 'projector']) {
      const service = compose.services[name]!;
      const shutdownMs = loadConfig(env(service)).shutdownTimeoutMs;
      expect(Number(/^(\d+)s$/.exec(service.stop_grace_period ?? '')?.[1]) * 1000).toBeGreaterThan(shutdownMs);
      expect(service.image).toBe('briefing-archive');
    }
  });

  it.each(['api', 'api-replica', 'projector'])('gives %s a configuration the service accepts', (name) => {
    const service = compose.services[name]!;
    for (const variable of Object.keys(service.environment ?? {})) expect(CONFIG_VARIABLES).toContain(variable);
    const config = loadConfig(env(service));
    expect(config.eventStore).toBe('kurrentdb');
    expect(config.readStore).toBe('postgres');
    expect(config.kurrentDbUrl).toContain('tls=false');
    expect(new URL(config.databaseUrl!).hostname).toBe('postgres');
    expect(new URL(config.kurrentDbUrl!.replace(/^kurrentdb/, 'http')).hostname).toBe('kurrentdb');
    expect(service.depends_on).toEqual({ kurrentdb: { condition: 'service_healthy' }, postgres: { condition: 'service_healthy' } });
  });

  it('runs projections only in the projector', () => {
    expect(loadConfig(env(compose.services.api!)).projections).toBe('off');
    expect(loadConfig(env(compose.services['api-replica']!)).projections).toBe('off');
    expect(loadConfig(env(compose.services.projector!)).projections).toBe('on');
    expect(compose.services.projector!.command).toEqual(['node', 'dist/apps/projector/src/main.js']);
  });

  it('gives the production services keys, as the image runs with NODE_ENV=production', () => {
    expect(readFileSync('Dockerfile', 'utf8')).toMatch(/^ENV NODE_ENV=production$/m);
    for (const name of ['api', 'api-replica', 'projector']) {
      const config = loadConfig(env(compose.services[name]!));
      expect(config.production).toBe(true);
      expect(config.apiKeys.map((key) => key.role).sort()).toEqual(['admin', 'editor']);
    }
  });

  it('passes the same credentials to the services as PostgreSQL is created with', () => {
    const pg = env(compose.services.postgres!);
    const url = new URL(loadConfig(env(compose.services.api!)).databaseUrl!);
    expect([url.username, url.password, url.pathname.slice(1)]).toEqual([pg.POSTGRES_USER, pg.POSTGRES_PASSWORD, pg.POSTGRES_DB]);
  });
});

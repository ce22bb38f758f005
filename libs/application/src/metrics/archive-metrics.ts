import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The service's Prometheus instruments. The write side counts into them as it goes; the gauges
 * that describe state (projections, feed, webhooks) are set when `/metrics` is read.
 */
export class ArchiveMetrics {
  readonly registry = new Registry();

  readonly commands = new Counter({
    name: 'archive_commands_total',
    help: 'Commands handled, by command type and outcome (ok, rejected, conflict, stale, failed)',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly appendSeconds = new Histogram({
    name: 'archive_append_duration_seconds',
    help: "Time from a command's append being asked for to its commit being on disk",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly groupCommitAppends = new Histogram({
    name: 'archive_group_commit_appends',
    help: 'Appends that shared one commit (one fsync) of the embedded event store',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [this.registry],
  });

  readonly projectionPosition = new Gauge({
    name: 'archive_projection_position',
    help: 'The last log position each read model has applied',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly projectionLag = new Gauge({
    name: 'archive_projection_lag_events',
    help: 'Events in the log each read model has not applied yet',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly rebuildRate = new Gauge({
    name: 'archive_rebuild_events_per_second',
    help: "The rate of each read model's running rebuild (0 when none runs)",
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly feedClients = new Gauge({
    name: 'archive_feed_clients',
    help: 'Clients following the live feed in this process',
    registers: [this.registry],
  });

  readonly webhookBacklog = new Gauge({
    name: 'archive_webhook_backlog_positions',
    help: 'How far each webhook subscription is behind the head of the log, in log positions',
    labelNames: ['subscription'] as const,
    registers: [this.registry],
  });

  readonly headPosition = new Gauge({
    name: 'archive_log_head_position',
    help: 'The position of the last event in the log',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'archive_' });
  }
}

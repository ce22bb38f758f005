import { InvalidCursorError } from '@archive/projections';
import type { ReadStore } from '@archive/read-store';
import { Inject, Injectable } from '@nestjs/common';
import type { FeedFilter } from '../feed/feed.filter.js';
import type { PageRequest } from '../queries/paging.js';
import { READ_STORE } from '../tokens.js';
import type { WebhookSubscription, WebhookTarget } from './webhook-subscription.js';

/*
 * One table in the read store, which the API replicas and the dispatcher share. Unlike the read
 * models it is not a fold of the log (a rebuild never touches it): the registration is
 * configuration, the positions and failures are the dispatcher's progress through the log.
 */
const SCHEMA = `CREATE TABLE IF NOT EXISTS webhook_subscriptions (
  subscription_id TEXT PRIMARY KEY,
  callback_url TEXT NOT NULL,
  secret TEXT NOT NULL,
  filters TEXT NOT NULL,
  position BIGINT NOT NULL,
  last_delivered_position BIGINT NOT NULL,
  failures INTEGER NOT NULL,
  last_error TEXT,
  next_attempt_at TEXT,
  created_at TEXT NOT NULL
)`;

interface Row {
  subscription_id: string;
  callback_url: string;
  secret: string;
  filters: string;
  position: number | string;
  last_delivered_position: number | string;
  failures: number | string;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
}

export interface WebhookPage {
  items: WebhookSubscription[];
  nextCursor: string | null;
}

function toTarget(row: Row): WebhookTarget {
  const failures = Number(row.failures);
  return {
    subscriptionId: row.subscription_id,
    callbackUrl: row.callback_url,
    secret: row.secret,
    filters: JSON.parse(row.filters) as FeedFilter,
    status: failures > 0 ? 'failing' : 'active',
    lastDeliveredPosition: Number(row.last_delivered_position),
    position: Number(row.position),
    failures,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
  };
}

/** The subscription without its secret, which is shown once, when it is registered. */
function withoutSecret({ secret: _secret, ...subscription }: WebhookTarget): WebhookSubscription {
  return subscription;
}

/** The cursor of a page of subscriptions: the creation time and id of the last one given. */
function encodeCursor(subscription: WebhookSubscription): string {
  return Buffer.from(JSON.stringify([subscription.createdAt, subscription.subscriptionId])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string')) return value as [string, string];
  } catch {
    // Refused below, like any cursor this store did not write.
  }
  throw new InvalidCursorError();
}

/**
 * The webhook subscriptions and their delivery progress, in the read store with the SQL that
 * SQLite and PostgreSQL share. The progress updates answer whether the subscription still
 * exists, so that a delivery loop stops once it is deleted, whichever process deleted it.
 */
@Injectable()
export class WebhookSubscriptionStore {
  private schema: Promise<void> | undefined;

  constructor(@Inject(READ_STORE) private readonly db: ReadStore) {}

  /** Creates the table if it is missing; once per process. */
  ready(): Promise<void> {
    this.schema ??= this.db.run(SCHEMA).then(
      () => undefined,
      (error: unknown) => {
        this.schema = undefined;
        throw error;
      },
    );
    return this.schema;
  }

  async insert(target: WebhookTarget): Promise<void> {
    await this.ready();
    await this.db.run(
      `INSERT INTO webhook_subscriptions
         (subscription_id, callback_url, secret, filters, position, last_delivered_position, failures, last_error, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        target.subscriptionId,
        target.callbackUrl,
        target.secret,
        JSON.stringify(target.filters),
        target.position,
        target.lastDeliveredPosition,
        target.failures,
        target.lastError,
        target.nextAttemptAt,
        target.createdAt,
      ],
    );
  }

  async get(subscriptionId: string): Promise<WebhookSubscription | undefined> {
    await this.ready();
    const row = await this.db.get<Row>('SELECT * FROM webhook_subscriptions WHERE subscription_id = $1', [subscriptionId]);
    return row ? withoutSecret(toTarget(row)) : undefined;
  }

  /** Oldest first. */
  async page({ limit, cursor }: PageRequest): Promise<WebhookPage> {
    await this.ready();
    const rows = cursor
      ? await this.db.all<Row>(
          `SELECT * FROM webhook_subscriptions WHERE created_at > $1 OR (created_at = $1 AND subscription_id > $2)
           ORDER BY created_at, subscription_id LIMIT $3`,
          [...decodeCursor(cursor), limit],
        )
      : await this.db.all<Row>('SELECT * FROM webhook_subscriptions ORDER BY created_at, subscription_id LIMIT $1', [limit]);
    const items = rows.map((row) => withoutSecret(toTarget(row)));
    const last = items.at(-1);
    return { items, nextCursor: items.length === limit && last ? encodeCursor(last) : null };
  }

  /** One subscription with its secret, as it stands now, for the dispatcher. */
  async target(subscriptionId: string): Promise<WebhookTarget | undefined> {
    await this.ready();
    const row = await this.db.get<Row>('SELECT * FROM webhook_subscriptions WHERE subscription_id = $1', [subscriptionId]);
    return row ? toTarget(row) : undefined;
  }

  /** Every subscription with its secret, for the dispatcher. */
  async targets(): Promise<WebhookTarget[]> {
    await this.ready();
    return (await this.db.all<Row>('SELECT * FROM webhook_subscriptions ORDER BY created_at, subscription_id')).map(toTarget);
  }

  /** Answers whether there was such a subscription. */
  async delete(subscriptionId: string): Promise<boolean> {
    await this.ready();
    return (await this.db.run('DELETE FROM webhook_subscriptions WHERE subscription_id = $1', [subscriptionId])) > 0;
  }

  /** The callback acknowledged the event at `position`. Answers whether the subscription still exists. */
  async acknowledged(subscriptionId: string, position: number): Promise<boolean> {
    const changed = await this.db.run(
      `UPDATE webhook_subscriptions
       SET position = $2, last_delivered_position = $2, failures = 0, last_error = NULL, next_attempt_at = NULL
       WHERE subscription_id = $1`,
      [subscriptionId, position],
    );
    return changed > 0;
  }

  /** The events up to `position` did not match the filters. Answers whether the subscription still exists. */
  async skipped(subscriptionId: string, position: number): Promise<boolean> {
    const changed = await this.db.run('UPDATE webhook_subscriptions SET position = $2 WHERE subscription_id = $1', [subscriptionId, position]);
    return changed > 0;
  }

  /**
   * An attempt at the event after `position` failed: it is tried again at `nextAttemptAt`.
   * Answers whether the subscription still exists.
   */
  async failed(subscriptionId: string, position: number, failures: number, error: string, nextAttemptAt: string): Promise<boolean> {
    const changed = await this.db.run(
      `UPDATE webhook_subscriptions SET position = $2, failures = $3, last_error = $4, next_attempt_at = $5 WHERE subscription_id = $1`,
      [subscriptionId, position, failures, error, nextAttemptAt],
    );
    return changed > 0;
  }
}

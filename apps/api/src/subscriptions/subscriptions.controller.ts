import { WebhookSubscriptions, type RegisteredWebhook, type WebhookPage, type WebhookSubscription } from '@archive/application';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '../http/page-query.dto.js';
import { NoQuery, UuidParam } from '../http/validation.js';
import { CreatedSubscriptionDto, CreateSubscriptionDto, SubscriptionDto, SubscriptionPageDto } from './subscription.dto.js';
import { Access } from '../security/access.js';

const DELIVERIES =
  'Each stored event that matches the filters (the live feed\'s: `topic`, `speaker`, `types`, `briefingId`) is POSTed to ' +
  '`callbackUrl` with its envelope as the JSON body, one event at a time and in log order, with the headers ' +
  '`X-Archive-Event-Id`, `X-Archive-Position`, `X-Archive-Event-Type`, `X-Archive-Subscription`, `X-Archive-Delivery` (a new id per ' +
  'attempt) and `X-Archive-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret>`. A 2xx answer ' +
  'acknowledges the event; anything else, a redirect, or no answer within `WEBHOOK_TIMEOUT_MS` (5 s) is retried after ' +
  '`WEBHOOK_RETRY_BASE_MS` (1 s), doubling up to `WEBHOOK_RETRY_MAX_MS` (5 min), and nothing after it is sent until it is ' +
  'acknowledged. Delivery is at least once: after a restart it resumes after the last acknowledged event, and an event ' +
  'may come twice (deduplicate on `X-Archive-Event-Id`).';

@ApiTags('subscriptions')
@Access('admin')
@Controller('api/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: WebhookSubscriptions) {}

  @Post()
  @ApiOperation({ summary: 'Subscribe a webhook to the log', description: DELIVERIES })
  @ApiCreatedResponse({ type: CreatedSubscriptionDto })
  create(@Body() body: CreateSubscriptionDto, @NoQuery() _query: Record<string, never>): Promise<RegisteredWebhook> {
    return this.subscriptions.register(
      {
        callbackUrl: body.callbackUrl,
        filters: {
          ...(body.topic !== undefined ? { topic: body.topic } : {}),
          ...(body.speaker !== undefined ? { speaker: body.speaker } : {}),
          ...(body.types !== undefined ? { types: [...new Set(body.types)] } : {}),
          ...(body.briefingId !== undefined ? { briefingId: body.briefingId.toLowerCase() } : {}),
        },
        after: body.after,
      },
      new Date(),
    );
  }

  @Get()
  @ApiOperation({ summary: 'The webhook subscriptions, oldest first' })
  @ApiOkResponse({ type: SubscriptionPageDto })
  list(@Query() query: PageQueryDto): Promise<WebhookPage> {
    return this.subscriptions.list({ limit: query.limit, cursor: query.cursor });
  }

  @Get(':subscriptionId')
  @ApiOperation({ summary: 'A webhook subscription and how its deliveries go' })
  @ApiOkResponse({ type: SubscriptionDto })
  get(@Param('subscriptionId', new UuidParam('subscriptionId')) subscriptionId: string, @NoQuery() _query: Record<string, never>): Promise<WebhookSubscription> {
    return this.subscriptions.get(subscriptionId);
  }

  @Delete(':subscriptionId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop and remove a webhook subscription', description: 'Once answered, nothing more is sent to it.' })
  @ApiNoContentResponse()
  async remove(@Param('subscriptionId', new UuidParam('subscriptionId')) subscriptionId: string, @NoQuery() _query: Record<string, never>): Promise<void> {
    await this.subscriptions.delete(subscriptionId);
  }
}

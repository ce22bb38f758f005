import { HttpException, HttpStatus } from '@nestjs/common';

/** Too many feed connections: 429 from one address, 503 in all. Both carry `Retry-After`. */
export class FeedFullException extends HttpException {
  constructor(
    message: string,
    status: HttpStatus.TOO_MANY_REQUESTS | HttpStatus.SERVICE_UNAVAILABLE,
    readonly retryAfterSeconds: number,
  ) {
    super(message, status);
  }
}

/** Counts open feed connections, in all and per address, and refuses those over the caps. */
export class FeedLimits {
  private total = 0;
  private readonly byAddress = new Map<string, number>();

  constructor(
    private readonly maxClients: number,
    private readonly maxPerAddress: number,
    private readonly retryAfterSeconds: number,
  ) {}

  /** Takes a place for a connection from `address`; call the answer when it closes. */
  admit(address: string): () => void {
    const fromAddress = this.byAddress.get(address) ?? 0;
    if (fromAddress >= this.maxPerAddress) {
      throw new FeedFullException(
        `this address already has ${fromAddress} feed connections open, the most allowed`,
        HttpStatus.TOO_MANY_REQUESTS,
        this.retryAfterSeconds,
      );
    }
    if (this.total >= this.maxClients) {
      throw new FeedFullException(`the feed serves ${this.total} connections, its most`, HttpStatus.SERVICE_UNAVAILABLE, this.retryAfterSeconds);
    }
    this.total += 1;
    this.byAddress.set(address, fromAddress + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.byAddress.get(address) ?? 1) - 1;
      if (left === 0) this.byAddress.delete(address);
      else this.byAddress.set(address, left);
    };
  }

  get open(): number {
    return this.total;
  }
}

import type { Logger } from 'pino';
import type { SettlementService } from './service.ts';

/**
 * Runs `settleDue` about every second in the background. Every instance may run one: orders are
 * claimed with `FOR UPDATE SKIP LOCKED`, so two sweepers never settle the same order.
 */
export class SettlementSweeper {
  readonly #settlement: Pick<SettlementService, 'settleDue'>;
  readonly #log: Logger;
  readonly intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;
  #running: Promise<void> | undefined;

  constructor(settlement: Pick<SettlementService, 'settleDue'>, log: Logger, intervalMs = 1000) {
    this.#settlement = settlement;
    this.#log = log;
    this.intervalMs = intervalMs;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Stops the loop and waits for a sweep in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #schedule(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#running = this.#sweep().finally(() => {
        this.#running = undefined;
        if (!this.#stopped) this.#schedule(this.intervalMs);
      });
    }, ms);
  }

  readonly #failed = (orderId: string, err: unknown) => this.#log.error({ err, orderId }, 'settling an order failed');

  async #sweep(): Promise<void> {
    try {
      const batch = 100;
      while (!this.#stopped && (await this.#settlement.settleDue(new Date(), batch, this.#failed)) === batch) {
        /* a full batch: more may be due */
      }
    } catch (err) {
      this.#log.error({ err }, 'settlement sweep failed');
    }
  }
}

/**
 * Writes take turns here, without ever blocking the event loop.
 *
 * SQLite lets one connection write at a time, and better-sqlite3 waits for the lock synchronously: a request
 * that tried to write while an upload's worker thread held the write transaction would stall the whole
 * server until the upload committed. So writers agree on turns first, asynchronously:
 *
 * - the upload worker holds the gate **exclusively** for its one write transaction;
 * - requests that may write hold it **shared** while their handler runs (any number at once);
 * - a shared holder that arrives while an exclusive writer holds the gate, or waits for it, waits its turn,
 *   and an exclusive writer waits for the shared holders already inside to finish.
 *
 * Reads need no turn: in WAL mode they see the last committed state while a write is under way.
 */
export type Release = () => void;

export class WriteGate {
  private sharedHolders = 0;
  private exclusiveHeld = false;
  private readonly sharedWaiting: (() => void)[] = [];
  private readonly exclusiveWaiting: (() => void)[] = [];

  /** How many writers wait for a turn (shared and exclusive). */
  get waiting(): number {
    return this.sharedWaiting.length + this.exclusiveWaiting.length;
  }

  /** True while an exclusive writer holds the gate or is waiting for it. */
  get busy(): boolean {
    return this.exclusiveHeld || this.exclusiveWaiting.length > 0;
  }

  acquireShared(): Promise<Release> {
    if (!this.busy) {
      this.sharedHolders++;
      return Promise.resolve(this.sharedRelease());
    }
    return new Promise((resolve) => this.sharedWaiting.push(() => resolve(this.sharedRelease())));
  }

  acquireExclusive(): Promise<Release> {
    if (!this.exclusiveHeld && this.sharedHolders === 0) {
      this.exclusiveHeld = true;
      return Promise.resolve(this.exclusiveRelease());
    }
    return new Promise((resolve) => this.exclusiveWaiting.push(() => resolve(this.exclusiveRelease())));
  }

  /** Runs `work` holding a shared turn, waiting for one if a worker is writing. */
  async shared<T>(work: () => T | Promise<T>): Promise<T> {
    const release = await this.acquireShared();
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** Runs `work` holding a shared turn if one is free now; otherwise skips it and returns undefined. */
  async ifFree<T>(work: () => T | Promise<T>): Promise<T | undefined> {
    if (this.busy) return undefined;
    this.sharedHolders++;
    const release = this.sharedRelease();
    try {
      return await work();
    } finally {
      release();
    }
  }

  private sharedRelease(): Release {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.sharedHolders--;
      if (this.sharedHolders === 0) this.wakeNextWriter();
    };
  }

  private exclusiveRelease(): Release {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.exclusiveHeld = false;
      if (this.sharedWaiting.length > 0) {
        // Everyone who waited behind this write goes in together; a further writer waits for them.
        const woken = this.sharedWaiting.splice(0);
        this.sharedHolders += woken.length;
        for (const wake of woken) wake();
      } else this.wakeNextWriter();
    };
  }

  /** Hands the gate to the writer that has waited longest, if one is waiting. */
  private wakeNextWriter(): void {
    const next = this.exclusiveWaiting.shift();
    if (!next) return;
    this.exclusiveHeld = true;
    next();
  }
}

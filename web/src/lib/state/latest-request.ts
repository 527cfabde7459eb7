/**
 * The rule behind every screen's loading, kept free of Svelte so it can be tested on its own: one request
 * at a time per resource; a new request aborts the one before it (its AbortSignal reaches `fetch`), and only
 * the newest request's answer or failure is ever applied, so a slow old answer never overwrites a newer one.
 */

/** What a resource holds: its data, whether a request is under way, and why the last one failed. */
export interface ResourceSnapshot<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
}

/** Starts loading with the signal given, or answers null when there is nothing to load yet (inputs not ready). */
export type Loader<T> = (signal: AbortSignal) => Promise<T> | null;

export class LatestRequest<T> {
  #generation = 0;
  #controller: AbortController | null = null;

  /** `apply` receives each change to the snapshot, in order; changes from overtaken requests never reach it. */
  constructor(private readonly apply: (change: Partial<ResourceSnapshot<T>>) => void) {}

  /**
   * Starts a request, overtaking any under way. The data already held stays until the answer arrives (a
   * failure clears it, so a screen never shows figures for other inputs beside the error); a loader with
   * nothing to load clears everything. The promise settles when this request is done or overtaken; it never
   * rejects.
   */
  run(load: Loader<T>): Promise<void> {
    this.stop();
    const controller = new AbortController();
    let answer: Promise<T> | null;
    try {
      answer = load(controller.signal);
    } catch (e) {
      answer = Promise.reject(e);
    }
    if (answer === null) {
      this.apply({ data: null, error: null, loading: false });
      return Promise.resolve();
    }
    this.#controller = controller;
    const generation = this.#generation;
    this.apply({ loading: true, error: null });
    return answer.then(
      (data) => this.#settle(generation, { data, error: null, loading: false }),
      (e: unknown) => this.#settle(generation, { data: null, error: toError(e), loading: false }),
    );
  }

  /** Holds this data as the newest answer, overtaking any request under way (e.g. what a save returned). */
  set(data: T): void {
    this.stop();
    this.apply({ data, error: null, loading: false });
  }

  /** Abandons the request under way, if any (the screen has gone): its answer will be ignored. */
  stop(): void {
    this.#controller?.abort();
    this.#controller = null;
    this.#generation += 1;
  }

  #settle(generation: number, change: ResourceSnapshot<T>): void {
    if (generation !== this.#generation) return;
    this.#controller = null;
    this.apply(change);
  }
}

function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

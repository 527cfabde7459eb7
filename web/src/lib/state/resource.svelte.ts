/**
 * Data a screen loads from the API, as runes: `data`, `loading` and `error`, kept up to date with the inputs
 * the loader reads. The one place where a screen's loading is started by a change of state; the ordering rule
 * (newest request wins, overtaken ones aborted) is LatestRequest's.
 *
 *   const overview = new Resource((signal) => api.overview(router.query.get('period') ?? undefined, signal));
 *
 * The loader's inputs are the reactive values it reads before it starts its request (everything it reads
 * synchronously); when one changes, it runs again. It answers null when there is nothing to load yet. Create a
 * Resource while a component initialises (in its script, or in a state class made there): it loads when the
 * component mounts and abandons its request when the component goes.
 */
import { untrack } from 'svelte';
import { LatestRequest, type Loader, type ResourceSnapshot } from './latest-request';

export class Resource<T> {
  /** The newest answer; kept while a newer request is under way, null after a failure. */
  data = $state.raw<T | null>(null);
  /** Why the newest request failed (an ApiError for the API's refusals), or null. */
  error = $state.raw<Error | null>(null);
  /** A request is under way. */
  loading = $state(false);

  readonly #load: Loader<T>;
  readonly #requests = new LatestRequest<T>((change: Partial<ResourceSnapshot<T>>) => {
    if ('data' in change) this.data = change.data ?? null;
    if ('error' in change) this.error = change.error ?? null;
    if (change.loading !== undefined) this.loading = change.loading;
  });

  constructor(load: Loader<T>) {
    this.#load = load;
    // Svelte runs this after the component mounts and again whenever what the loader read changes; the
    // teardown abandons the request under way when the component goes.
    $effect(() => {
      void this.#requests.run(this.#load);
      return () => this.#requests.stop();
    });
  }

  /** Loads again with the current inputs (after a change this screen made); settles when done or overtaken. */
  reload(): Promise<void> {
    return untrack(() => this.#requests.run(this.#load));
  }

  /** Holds an answer the screen already has (what a save returned), overtaking any request under way. */
  set(data: T): void {
    this.#requests.set(data);
  }
}

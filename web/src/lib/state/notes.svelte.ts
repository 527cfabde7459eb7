/**
 * A network's annotations (SPEC 12) for the charts of a screen: loaded once, drawn on each indicator's
 * chart, added to and deleted where the server says the reader may (`canWrite`). Create it while a component
 * initialises (it holds a Resource).
 */
import { loopApi, type Annotation } from '../api/learning-loop';
import { Resource } from './resource.svelte';

export class NetworkNotes {
  readonly #loaded: Resource<Awaited<ReturnType<typeof loopApi.annotations>>>;
  readonly #network: () => string | null;

  constructor(network: () => string | null) {
    this.#network = network;
    this.#loaded = new Resource((signal) => {
      const code = this.#network();
      return code ? loopApi.annotations({ network: code }, signal) : null;
    });
  }

  get network(): string {
    return this.#network() ?? '';
  }
  get all(): Annotation[] {
    return this.#loaded.data?.annotations ?? [];
  }
  get canWrite(): boolean {
    return this.#loaded.data?.canWrite ?? false;
  }
  get error(): Error | null {
    return this.#loaded.error;
  }

  /** The notes on one indicator, optionally only those about the whole network or about one practice. */
  of(indicator: string, practice?: string): Annotation[] {
    return this.all.filter(
      (a) => a.indicator === indicator && (practice === undefined || a.practice === null || a.practice === practice),
    );
  }

  reload(): Promise<void> {
    return this.#loaded.reload();
  }

  async remove(note: Annotation): Promise<void> {
    if (!window.confirm(`Delete the note “${note.text}”? The audit log keeps what it said.`)) return;
    await loopApi.deleteAnnotation(note.id);
    await this.reload();
  }
}

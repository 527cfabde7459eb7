/**
 * The web app's loading rule (web/src/lib/state/latest-request.ts): the newest request wins. Each test holds
 * its requests' answers in its own hands and settles them in the order it chooses; no timers.
 */
import { describe, expect, it } from 'vitest';
import { LatestRequest, type ResourceSnapshot } from '../../web/src/lib/state/latest-request';

/** A promise the test settles when it chooses. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A LatestRequest whose snapshot the test can read, as a Resource holds it. */
function harness<T>() {
  const snapshot: ResourceSnapshot<T> = { data: null, error: null, loading: false };
  const changes: Partial<ResourceSnapshot<T>>[] = [];
  const requests = new LatestRequest<T>((change) => {
    changes.push(change);
    Object.assign(snapshot, change);
  });
  const signals: AbortSignal[] = [];
  /** Starts a request whose answer is the deferred returned. */
  const start = () => {
    const answer = deferred<T>();
    const done = requests.run((signal) => {
      signals.push(signal);
      return answer.promise;
    });
    return { ...answer, done };
  };
  return { snapshot, changes, requests, signals, start };
}

describe('LatestRequest: the newest request wins', () => {
  it('one request: loading while it runs, then its data', async () => {
    const h = harness<string>();
    const a = h.start();
    expect(h.snapshot).toEqual({ data: null, error: null, loading: true });
    a.resolve('March');
    await a.done;
    expect(h.snapshot).toEqual({ data: 'March', error: null, loading: false });
    expect(h.signals[0]!.aborted).toBe(false);
  });

  it('a stale answer arriving after the newer one is ignored', async () => {
    const h = harness<string>();
    const march = h.start();
    const april = h.start();
    expect(h.signals.map((s) => s.aborted)).toEqual([true, false]); // the first fetch was cancelled
    april.resolve('April');
    await april.done;
    march.resolve('March'); // the server answered the cancelled request anyway, late
    await march.done;
    expect(h.snapshot).toEqual({ data: 'April', error: null, loading: false });
    expect(h.changes.filter((c) => 'data' in c).map((c) => c.data)).toEqual(['April']);
  });

  it('a stale answer arriving before the newer one is ignored, and loading lasts until the newer one', async () => {
    const h = harness<string>();
    const march = h.start();
    const april = h.start();
    march.resolve('March');
    await march.done;
    expect(h.snapshot).toEqual({ data: null, error: null, loading: true });
    april.resolve('April');
    await april.done;
    expect(h.snapshot).toEqual({ data: 'April', error: null, loading: false });
  });

  it('the data already held stays while a newer request runs', async () => {
    const h = harness<string>();
    const march = h.start();
    march.resolve('March');
    await march.done;
    const april = h.start();
    expect(h.snapshot).toEqual({ data: 'March', error: null, loading: true });
    april.resolve('April');
    await april.done;
    expect(h.snapshot.data).toBe('April');
  });

  it("a stale request's failure (its abort, or any other) is ignored", async () => {
    const h = harness<string>();
    const march = h.start();
    const april = h.start();
    march.reject(new DOMException('The operation was aborted.', 'AbortError'));
    await march.done;
    april.resolve('April');
    await april.done;
    expect(h.snapshot).toEqual({ data: 'April', error: null, loading: false });
  });

  it("the newest request's failure is kept, clears the data, and the next request clears the error", async () => {
    const h = harness<string>();
    const march = h.start();
    march.resolve('March');
    await march.done;
    const april = h.start();
    april.reject(new Error('The server cannot be reached.'));
    await april.done;
    expect(h.snapshot).toEqual({ data: null, error: new Error('The server cannot be reached.'), loading: false });
    const again = h.start();
    expect(h.snapshot.error).toBeNull();
    again.resolve('April');
    await again.done;
    expect(h.snapshot).toEqual({ data: 'April', error: null, loading: false });
  });

  it('a loader that throws before starting is a failure, not an exception', async () => {
    const h = harness<string>();
    await h.requests.run(() => {
      throw new Error('bad input');
    });
    expect(h.snapshot).toEqual({ data: null, error: new Error('bad input'), loading: false });
  });

  it('a loader with nothing to load yet clears the snapshot and cancels the request under way', async () => {
    const h = harness<string>();
    const march = h.start();
    await h.requests.run(() => null);
    expect(h.signals[0]!.aborted).toBe(true);
    expect(h.snapshot).toEqual({ data: null, error: null, loading: false });
    march.resolve('March');
    await march.done;
    expect(h.snapshot.data).toBeNull();
  });

  it('stop: the screen has gone, so the answer under way is cancelled and never applied', async () => {
    const h = harness<string>();
    const march = h.start();
    h.requests.stop();
    expect(h.signals[0]!.aborted).toBe(true);
    march.resolve('March');
    await march.done;
    expect(h.changes).toEqual([{ loading: true, error: null }]);
  });

  it('set: an answer the screen already has overtakes the request under way', async () => {
    const h = harness<string>();
    const march = h.start();
    h.requests.set('saved');
    expect(h.snapshot).toEqual({ data: 'saved', error: null, loading: false });
    march.resolve('March');
    await march.done;
    expect(h.snapshot.data).toBe('saved');
  });

  it('three overlapping requests answered in reverse order: only the third is applied', async () => {
    const h = harness<number>();
    const [one, two, three] = [h.start(), h.start(), h.start()];
    expect(h.signals.map((s) => s.aborted)).toEqual([true, true, false]);
    three.resolve(3);
    two.resolve(2);
    one.resolve(1);
    await Promise.all([one.done, two.done, three.done]);
    expect(h.snapshot.data).toBe(3);
    expect(h.changes.filter((c) => 'data' in c)).toEqual([{ data: 3, error: null, loading: false }]);
  });
});

/** The write gate's turns, step by step: who holds it, who waits, and in what order they go on. */
import { describe, expect, it } from 'vitest';
import { WriteGate, type Release } from '../../server/db/write-gate';

/** Lets every promise that can settle now settle (no clock involved). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Asks for a turn and records, in `log`, the moment it is given. */
function ask(
  gate: WriteGate,
  kind: 'shared' | 'exclusive',
  name: string,
  log: string[],
): { release: Promise<Release> } {
  const turn = kind === 'shared' ? gate.acquireShared() : gate.acquireExclusive();
  return { release: turn.then((release) => (log.push(name), release)) };
}

describe('WriteGate', () => {
  it('lets any number of shared holders in at once', async () => {
    const gate = new WriteGate();
    const log: string[] = [];
    ask(gate, 'shared', 'a', log);
    ask(gate, 'shared', 'b', log);
    await settle();
    expect(log).toEqual(['a', 'b']);
    expect(gate.busy).toBe(false);
  });

  it('an exclusive writer waits for the shared holders inside, and shared arrivals wait behind it', async () => {
    const gate = new WriteGate();
    const log: string[] = [];
    const a = ask(gate, 'shared', 'shared a', log);
    await settle();
    const upload = ask(gate, 'exclusive', 'upload', log);
    const b = ask(gate, 'shared', 'shared b', log);
    await settle();
    expect(log).toEqual(['shared a']);
    expect(gate.busy).toBe(true);
    expect(gate.waiting).toBe(2);

    (await a.release)();
    await settle();
    expect(log).toEqual(['shared a', 'upload']);
    (await upload.release)();
    await settle();
    expect(log).toEqual(['shared a', 'upload', 'shared b']);
    expect(gate.waiting).toBe(0);
    (await b.release)();
  });

  it('after a write, everyone who waited goes in together, and the next writer waits for them', async () => {
    const gate = new WriteGate();
    const log: string[] = [];
    const first = ask(gate, 'exclusive', 'upload 1', log);
    await settle();
    const b = ask(gate, 'shared', 'shared b', log);
    const c = ask(gate, 'shared', 'shared c', log);
    const second = ask(gate, 'exclusive', 'upload 2', log);
    await settle();
    (await first.release)();
    await settle();
    expect(log).toEqual(['upload 1', 'shared b', 'shared c']);
    (await b.release)();
    await settle();
    expect(log).toEqual(['upload 1', 'shared b', 'shared c']);
    (await c.release)();
    await settle();
    expect(log).toEqual(['upload 1', 'shared b', 'shared c', 'upload 2']);
    (await second.release)();
    expect(gate.busy).toBe(false);
  });

  it('ifFree runs work only when no writer holds or waits for the gate', async () => {
    const gate = new WriteGate();
    expect(await gate.ifFree(() => 'ran')).toBe('ran');
    const release = await gate.acquireExclusive();
    expect(await gate.ifFree(() => 'ran')).toBeUndefined();
    release();
    expect(await gate.ifFree(() => 'ran again')).toBe('ran again');
  });

  it('shared() releases its turn even when the work fails, and a release given twice counts once', async () => {
    const gate = new WriteGate();
    await expect(gate.shared(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const release = await gate.acquireShared();
    release();
    release();
    const log: string[] = [];
    const writer = ask(gate, 'exclusive', 'upload', log);
    await settle();
    expect(log).toEqual(['upload']);
    (await writer.release)();
  });
});

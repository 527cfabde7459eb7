/** A large response body written item by item gives JSON.stringify's bytes exactly (services/figures-cache.ts). */
import { describe, expect, it } from 'vitest';
import { jsonBytesItemByItem } from '../../server/services/figures-cache';

const same = (value: Record<string, unknown>, key: string) =>
  expect(jsonBytesItemByItem(value, key).toString('utf8')).toBe(JSON.stringify(value));

describe('jsonBytesItemByItem', () => {
  it('writes the fields before the list, then each item: the same text as JSON.stringify', () => {
    const value = { period: '2026-03', previous: null, networks: [{ code: 'N1', rate: 0.7 }, { code: 'N2' }] };
    expect(jsonBytesItemByItem(value, 'networks').toString('utf8')).toBe(
      '{"period":"2026-03","previous":null,"networks":[{"code":"N1","rate":0.7},{"code":"N2"}]}',
    );
  });

  it('keeps characters beyond Latin-1 and escapes as JSON.stringify does', () => {
    same({ title: 'HbA1c ≤ 58 mmol/mol', networks: [{ name: 'St Mary’s "North"\n', emoji: '🙂' }] }, 'networks');
  });

  it('an empty list, a list alone, and items with no JSON form (written as null)', () => {
    same({ a: 1, networks: [] }, 'networks');
    same({ networks: [1, 'two', null] }, 'networks');
    same({ skipped: undefined, networks: [undefined, () => 1, 3] }, 'networks');
  });

  it('falls back to the whole text when the key is not the last field or not a list', () => {
    same({ networks: [1, 2], after: true }, 'networks');
    same({ networks: 'none' }, 'networks');
    same({ other: [1] }, 'networks');
  });
});

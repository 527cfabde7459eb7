/**
 * The repository stands on its own: nothing in it reads or names the folder beside the makers' checkout,
 * so a fresh clone with nothing beside it runs its tests, demos and benchmarks.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
// Spelt in pieces so that this file does not name it itself.
const OUTSIDE = ['..', 'shared'].join('/');

function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' });
  return out.split('\0').filter((f) => f && !f.startsWith('node_modules/'));
}

describe('a repository that stands on its own', () => {
  it(`no tracked file names ${OUTSIDE}`, () => {
    const files = trackedFiles();
    expect(files.length).toBeGreaterThan(50);
    const naming = files.filter((f) => existsSync(join(ROOT, f)) && readFileSync(join(ROOT, f)).includes(OUTSIDE));
    expect(naming).toEqual([]);
  });

  it('the public data the tests and demos read is inside the repository, with its README and licence', () => {
    for (const file of [
      'fixtures/public/england/practice-network-map-2022-01.csv',
      'fixtures/public/tower-hamlets/cover-gp-coverage-long.csv',
      'fixtures/public/tower-hamlets/practice-network-by-year.csv',
      'fixtures/public/tower-hamlets/practice-network-relationships.csv',
      'fixtures/public/tower-hamlets/qof-prevalence-2019-20.csv',
    ])
      expect(existsSync(join(ROOT, file)), file).toBe(true);
    for (const folder of ['england', 'tower-hamlets']) {
      const readme = readFileSync(join(ROOT, 'fixtures/public', folder, 'README.md'), 'utf8').replace(/\s+/g, ' ');
      expect(readme).toMatch(/Open Government Licence v3\.0/);
      expect(readme).toMatch(/Contains public sector information licensed under the Open Government Licence v3\.0/);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { fileNotKept, type KeptFileFacts } from '../../server/domain/upload-outcome';

describe('fileNotKept: whether any of an upload can be downloaded', () => {
  it.each<[string, KeptFileFacts, string | null]>([
    ['an accepted file, kept whole', { status: 'accepted', sizeBytes: 500, storedBytes: 500 }, null],
    ['a rejected file, kept whole', { status: 'rejected', sizeBytes: 500, storedBytes: 500 }, null],
    [
      'a large rejected file, its first 100 bytes kept',
      { status: 'rejected', sizeBytes: 5000, storedBytes: 100 },
      null,
    ],
    [
      'an empty rejected file (nothing to keep, nothing lost)',
      { status: 'rejected', sizeBytes: 0, storedBytes: 0 },
      null,
    ],
    [
      'a rejected file over the upload limit',
      { status: 'rejected', sizeBytes: 5000, storedBytes: 0 },
      'over the upload limit',
    ],
    [
      'an interrupted upload',
      { status: 'interrupted', sizeBytes: 300, storedBytes: 0 },
      'stopped before the whole file arrived',
    ],
    ['a failed upload', { status: 'failed', sizeBytes: 300, storedBytes: 0 }, 'could not finish processing'],
    [
      'an upload still being processed',
      { status: 'processing', sizeBytes: 300, storedBytes: 300 },
      'still being processed',
    ],
  ])('%s', (_name, facts, problem) => {
    const answer = fileNotKept(facts);
    if (problem === null) expect(answer).toBeNull();
    else expect(answer).toContain(problem);
  });
});

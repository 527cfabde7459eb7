/** The upload and time-out settings read from the environment (server/config.ts), with their defaults. */
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../server/config';

const MB = 1024 * 1024;

describe('upload and time-out settings', () => {
  it.each([
    [
      'defaults',
      {},
      { maxUploadBytes: 200 * MB, rejectedBytesMax: 5 * MB, requestTimeoutSeconds: 300, connectionTimeoutSeconds: 120 },
    ],
    [
      'set',
      {
        MAX_UPLOAD_MB: '50',
        REJECTED_BYTES_MAX_MB: '2',
        REQUEST_TIMEOUT_SECONDS: '600',
        CONNECTION_TIMEOUT_SECONDS: '90',
      },
      { maxUploadBytes: 50 * MB, rejectedBytesMax: 2 * MB, requestTimeoutSeconds: 600, connectionTimeoutSeconds: 90 },
    ],
    ['keep none of a rejected file', { REJECTED_BYTES_MAX_MB: '0' }, { rejectedBytesMax: 0 }],
  ] as const)('%s', (_name, env, expected) => {
    expect(readConfig(env)).toMatchObject(expected);
  });

  it.each([
    ['REQUEST_TIMEOUT_SECONDS', '0'],
    ['CONNECTION_TIMEOUT_SECONDS', 'soon'],
    ['REJECTED_BYTES_MAX_MB', '-1'],
    ['REJECTED_BYTES_MAX_MB', '1.5'],
  ])('refuses %s=%s, naming the setting', (name, value) => {
    expect(() => readConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => readConfig({ [name]: value })).toThrow(name);
  });
});

import { describe, expect, it } from 'vitest';
import {
  defineAdapterOptions,
  optionCheck,
  optionChecks,
  renderAdapterOptions,
} from '../../src/plugin/adapter-options.js';

interface Options {
  bucket: string;
  endpoint?: string;
  pollIntervalMs?: number;
  tags?: string[];
}

const spec = defineAdapterOptions<Options>('my-adapter', 'storage', {
  bucket: {
    check: optionChecks.nonEmptyString,
    required: 'the bucket is required',
    description: 'The bucket.',
  },
  endpoint: { check: optionChecks.url, default: 'the service', description: 'Where | to go.' },
  pollIntervalMs: {
    check: optionChecks.integer(100, 60_000, 'milliseconds'),
    default: '1000',
    description: 'Poll wait.',
  },
  tags: {
    check: optionCheck('lower-case words', (v) => Array.isArray(v) && v.every((t) => /^[a-z]+$/.test(t))),
    description: 'Tags.',
  },
});

const failure = (given: object) => {
  try {
    spec.parse(given);
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('parse accepted it');
};

describe('adapter options', () => {
  it('pass valid options through unchanged', () => {
    const given = { bucket: 'b', endpoint: 'https://x.example', pollIntervalMs: 100, tags: ['a'] };
    expect(spec.parse(given)).toEqual(given);
    expect(spec.parse({ bucket: 'b', endpoint: undefined })).toEqual({ bucket: 'b', endpoint: undefined });
  });

  it('name the option that is unknown, mistyped or missing', () => {
    expect(failure({ bucket: 'b', bukket: 'c' })).toMatchObject({
      code: 'LR_CONFIG_INVALID',
      message: expect.stringMatching(
        /^storage\.options\.bukket: unknown option of my-adapter \(known: bucket, endpoint/,
      ),
    });
    expect(failure({ bucket: 'b', pollIntervalMs: 99 }).message).toBe(
      'storage.options.pollIntervalMs: expected a whole number of milliseconds from 100 to 60000, got 99',
    );
    expect(failure({ bucket: 'b', endpoint: 'ftp://x' }).message).toContain('expected an http(s) URL');
    expect(failure({ bucket: 'b', tags: ['A'] }).message).toContain('expected lower-case words');
    expect(failure({}).message).toBe('storage.options.bucket: the bucket is required');
  });

  it('render the table the READMEs show, from the same checks', () => {
    expect(renderAdapterOptions(spec)).toBe(
      [
        '| `storage.options` | Expects | Default | Description |',
        '| --- | --- | --- | --- |',
        '| `bucket` | a non-empty string | **required** | The bucket. |',
        '| `endpoint` | an http(s) URL | the service | Where \\| to go. |',
        '| `pollIntervalMs` | a whole number of milliseconds from 100 to 60000 | 1000 | Poll wait. |',
        '| `tags` | lower-case words | — | Tags. |',
        '',
      ].join('\n'),
    );
  });
});

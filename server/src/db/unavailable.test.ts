import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, isReadTimeout } from './unavailable.js';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('telling a database that is away from a request that is wrong', () => {
  it('counts unreachable servers, lost connections and timeouts, also when drizzle wraps them', () => {
    for (const error of [
      withCode('ECONNREFUSED'),
      withCode('ECONNRESET'),
      withCode('57P01', 'terminating connection due to administrator command'),
      withCode('08006'),
      withCode('53300', 'sorry, too many clients already'),
      withCode('57014', 'canceling statement due to statement timeout'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Connection terminated unexpectedly'),
      new Error('Query read timeout'),
      new DrizzleQueryError('select 1', [], new Error('Connection terminated due to connection timeout')),
    ]) {
      expect(isDatabaseUnavailable(error), error.message).toBe(true);
    }
  });

  it('leaves errors that bad input or a bug cause to the rest of the error mapper', () => {
    for (const error of [
      withCode('23505', 'duplicate key value violates unique constraint'),
      withCode('22P02', 'invalid input syntax for type uuid'),
      withCode('42703', 'column does not exist'),
      new DrizzleQueryError('select 1', [], withCode('22021')),
      new TypeError('x is undefined'),
      'a string',
      null,
    ]) {
      expect(isDatabaseUnavailable(error)).toBe(false);
    }
  });

  it('knows a read timeout, whose connection must not be reused', () => {
    expect(isReadTimeout(new Error('Query read timeout'))).toBe(true);
    expect(isReadTimeout(withCode('57014'))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JsonText, responseSerializerCompiler } from './serializer.js';

const Page = z.object({ items: z.array(z.object({ id: z.string(), score: z.number() })), nextCursor: z.string().nullable() });
const compile = (check: boolean) =>
  responseSerializerCompiler({ check })({ schema: Page, method: 'GET', url: '/things', httpStatus: '200' } as never);

describe('answers written as JSON by their handler (JsonText)', () => {
  it('are sent exactly as written', () => {
    const text = '{"items":[{"id":"a","score":1}],"nextCursor":null}';
    expect(compile(true)(new JsonText(text))).toBe(text);
    expect(compile(false)(new JsonText(text))).toBe(text);
  });

  it('are held to the response schema when answers are checked: nothing extra, nothing missing, every value of its type', () => {
    const serialize = compile(true);
    expect(() => serialize(new JsonText('{"items":[{"id":"a","score":1,"secret":"x"}],"nextCursor":null}'))).toThrow(/response schema/);
    expect(() => serialize(new JsonText('{"items":[{"id":"a"}],"nextCursor":null}'))).toThrow();
    expect(() => serialize(new JsonText('{"items":[{"id":"a","score":"1"}],"nextCursor":null}'))).toThrow();
  });

  it('leave objects to the schema serializer, which writes only the schema’s properties', () => {
    expect(compile(false)({ items: [{ id: 'a', score: 1, secret: 'x' }], nextCursor: null })).toBe(
      '{"items":[{"id":"a","score":1}],"nextCursor":null}',
    );
  });
});

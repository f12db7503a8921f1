import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JsonText, responseSerializerCompiler } from './serializer.js';

const Page = z.object({ items: z.array(z.object({ id: z.string(), score: z.number() })), nextCursor: z.string().nullable() });
const compile = (check: boolean) =>
  responseSerializerCompiler({ check })({ schema: Page, method: 'GET', url: '/things', httpStatus: '200' });

describe('answers written as JSON by their handler (JsonText)', () => {
  it('are sent exactly as written, as UTF-8 bytes', () => {
    const text = '{"items":[{"id":"مطعم الريف 😀 \\"quoted\\" Café","score":1}],"nextCursor":null}';
    for (const check of [true, false]) {
      const sent = compile(check)(new JsonText(text)) as unknown as Buffer;
      expect(Buffer.isBuffer(sent)).toBe(true);
      expect(sent.equals(Buffer.from(text, 'utf8'))).toBe(true);
    }
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

import { isDeepStrictEqual } from 'node:util';
import fastJsonStringify from 'fast-json-stringify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type RouteSchema = Parameters<typeof zodSerializerCompiler>[0];
type Serialize = (data: unknown) => string;

/**
 * An answer its handler has already written as JSON, sent as it is. With `check` it is parsed and
 * held to the route's response schema like any other answer. Only for routes with a response schema.
 */
export class JsonText {
  constructor(readonly text: string) {}

  /**
   * The text as UTF-8, encoded in one pass into room for the worst case: sent as a string, a page
   * with Arabic names (a two-byte string in V8) would be encoded twice, once to measure its length.
   */
  toUtf8(): Buffer {
    const bytes = Buffer.allocUnsafe(this.text.length * 3);
    return bytes.subarray(0, bytes.write(this.text));
  }
}

/**
 * Answers are written by fast-json-stringify from the JSON Schema of the route's zod response
 * schema: like zod's encode it writes only the schema's properties (nothing a handler adds by
 * mistake leaves the server), at about a quarter of the cost of zod's encode plus JSON.stringify
 * for a page of leads. A schema JSON Schema cannot express (a transform, a date) keeps zod's way.
 *
 * With `check` (the tests), every answer is also encoded by zod, and any difference between the
 * two is a 500, so the tests go on validating every shape they see.
 */
export function responseSerializerCompiler(opts: { check: boolean }) {
  return (route: RouteSchema): Serialize => {
    const zodWay = zodSerializerCompiler(route);
    // Compiled on first use: most routes of a test app never answer.
    let fast: Serialize | null | undefined;
    return (data) => {
      if (data instanceof JsonText) {
        if (opts.check) checkJsonText(route, data.text, zodWay);
        // fastify sends a Buffer payload as it sends a string, with its byte length as Content-Length.
        return data.toUtf8() as unknown as string;
      }
      if (fast === undefined) fast = compileFast(route.schema);
      if (!fast) return zodWay(data);
      // zod first: data that breaks the schema fails here exactly as it always did.
      const expected = opts.check ? zodWay(data) : null;
      const written = fast(data);
      if (expected !== null && written !== expected) {
        throw new Error(`${route.method} ${route.url}: the fast serializer wrote ${written.slice(0, 300)}, zod ${expected.slice(0, 300)}`);
      }
      return written;
    };
  };
}

/** Zod's reading of the parsed text must be the text's own content: nothing missing, nothing extra, every value of its type. */
function checkJsonText(route: RouteSchema, text: string, zodWay: Serialize) {
  const parsed: unknown = JSON.parse(text);
  if (!isDeepStrictEqual(JSON.parse(zodWay(parsed)), parsed)) {
    throw new Error(`${route.method} ${route.url}: the JSON text ${text.slice(0, 300)} is not what the response schema makes of it`);
  }
}

function compileFast(schema: unknown): Serialize | null {
  try {
    const json = z.toJSONSchema(schema as z.ZodType, { io: 'output', target: 'draft-7' });
    return fastJsonStringify(json as Parameters<typeof fastJsonStringify>[0]);
  } catch {
    return null;
  }
}

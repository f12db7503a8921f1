import fc from 'fast-check';
import { isStorableText } from '@optarget/shared';

/** The part of JSON Schema (2020-12, as the OpenAPI document writes it) that request schemas use. */
export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
};

/** Ids a generated uuid field may take: the tenant's own rows, another tenant's, and unknown ones. */
export type IdPool = string[];

const storableText = (minLength = 0, maxLength = 40) =>
  fc.string({ unit: 'grapheme', minLength, maxLength: Math.max(minLength, Math.min(maxLength, 40)) }).filter(isStorableText);

/** Text PostgreSQL refuses or cannot compare: NUL, unpaired surrogates, dates that do not exist. */
const databaseTraps = fc.constantFrom(
  '\0',
  'a\u0000b',
  'x\ud800',
  '\udc00y',
  '9999-99-99T99:99:99.999999Z',
  '0000-01-01T00:00:00Z',
  '2025-02-30T00:00:00Z',
);

/** Values a client may send where the schema asks for something else, including what PostgreSQL refuses. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: databaseTraps, weight: 3 },
  fc.constantFrom(
    "' or 1=1 --",
    '<img src=x onerror=alert(1)>',
    '%00',
    '../../etc/passwd',
    'x'.repeat(5000),
    '',
    ' ',
    -1,
    0,
    2 ** 31,
    -(2 ** 63),
    1e308,
    -1e308,
    0.5,
    null,
    true,
    {},
    [],
    ['\0'],
    { $ne: null },
    { __proto__: { admin: true } },
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.uuid(),
);

function stringOf(schema: JsonSchema, ids: IdPool): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.oneof(fc.constantFrom(...ids), fc.uuid());
  if (schema.format === 'date-time')
    return fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString());
  if (schema.format === 'email') return fc.emailAddress().filter((e) => e.length <= 254);
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 200));
  return storableText(schema.minLength ?? 0, schema.maxLength ?? 40);
}

function numberOf(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : 1e-6) : -1000);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : 1e-6) : 100_000);
  return integer
    ? fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Values the schema accepts (as far as JSON Schema can say; refinements of zod may still refuse some). */
export function validValue(schema: JsonSchema, ids: IdPool): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => validValue(s, ids)));
  if (schema.allOf) return validValue(Object.assign({}, ...schema.allOf) as JsonSchema, ids);
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => validValue({ ...schema, type }, ids)));
  switch (schema.type) {
    case 'string':
      return stringOf(schema, ids);
    case 'integer':
      return numberOf(schema, true);
    case 'number':
      return numberOf(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validValue(schema.items ?? {}, ids), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)),
      });
    case 'object':
      return objectOf(schema, ids);
    default:
      return fc.oneof(storableText(), fc.integer(), fc.boolean());
  }
}

function objectOf(schema: JsonSchema, ids: IdPool): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  if (Object.keys(properties).length === 0 && typeof schema.additionalProperties === 'object') {
    const keys = schema.propertyNames ? validValue(schema.propertyNames, ids) : storableText(1, 10);
    return fc.dictionary(keys as fc.Arbitrary<string>, validValue(schema.additionalProperties, ids), { maxKeys: 3 });
  }
  return fc.record(Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, validValue(s, ids)])), {
    requiredKeys: schema.required ?? [],
  });
}

/** Where the values of a generated object are: every key path, leaves and objects alike. */
function pathsIn(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...pathsIn(item, [...prefix, key])]);
}

function replacedAt(value: unknown, path: string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [key, ...rest] = path;
  const copy: Record<string, unknown> = Array.isArray(value)
    ? ([...value] as unknown as Record<string, unknown>)
    : { ...(value as object) };
  copy[key] = replacedAt(copy[key], rest, replacement);
  return copy;
}

/**
 * A value the schema should refuse in exactly one place: a valid value with one of its fields, at
 * any depth, replaced by a hostile one (one bad field, so it is that field's check that answers), or
 * a hostile value as a whole.
 */
export function invalidValue(schema: JsonSchema, ids: IdPool): fc.Arbitrary<unknown> {
  const oneField = validValue(schema, ids).chain((valid) => {
    const paths = [...pathsIn(valid), ...Object.keys(schema.properties ?? {}).map((key) => [key])];
    if (paths.length === 0) return hostileValue;
    return fc.tuple(fc.constantFrom(...paths), hostileValue).map(([path, hostile]) => replacedAt(valid, path, hostile));
  });
  return fc.oneof({ arbitrary: oneField, weight: 3 }, hostileValue);
}

import pg from 'pg';

/** One statement as the app sent it to node-postgres: the query config drizzle built (text, row mode, type parsers) and its values. */
export type CapturedStatement = { config: pg.QueryConfig & { rowMode?: string; types?: unknown }; values: unknown[] };

/**
 * Records every statement any pg client sends while `work` runs, by wrapping `Client.prototype.query`
 * for that time only. Run one request at a time under it, so the statements are that request's.
 */
export async function captureStatements(work: () => Promise<void>): Promise<CapturedStatement[]> {
  const seen: CapturedStatement[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [first, second] = args;
    if (typeof first === 'string') seen.push({ config: { text: first }, values: Array.isArray(second) ? second : [] });
    else if (first && typeof first === 'object' && 'text' in first) {
      const config = first as CapturedStatement['config'] & { values?: unknown[] };
      seen.push({ config, values: Array.isArray(second) ? second : (config.values ?? []) });
    }
    return original.apply(this, args);
  };
  try {
    await work();
  } finally {
    proto.query = original;
  }
  return seen;
}

/**
 * The lead page SELECT among a request's statements: the one reading `leads` with an order and a
 * limit. The app sends it between BEGIN, its role lookup and tenant settings, and COMMIT, in one
 * multi-statement query (see selectAsMember), with its parameters written in as literals; the
 * SELECT alone is returned.
 */
export function leadPageStatement(statements: CapturedStatement[]): CapturedStatement {
  const found = statements.filter(
    (s) => /from "leads"/i.test(s.config.text) && /order by/i.test(s.config.text) && /limit/i.test(s.config.text),
  );
  if (found.length !== 1) {
    throw new Error(
      `expected one lead page SELECT in the request, found ${found.length}:\n${statements.map((s) => s.config.text.slice(0, 120)).join('\n')}`,
    );
  }
  const [statement] = found;
  const parts = statement.config.text.split(';\n');
  if (parts.length === 1) return statement;
  if (parts.length < 4 || parts[0] !== 'begin' || !parts[1].startsWith('select enter_tenant(') || parts[parts.length - 1] !== 'commit') {
    throw new Error(`the lead page SELECT came in an unknown multi-statement form: ${statement.config.text.slice(0, 200)}`);
  }
  return { config: { ...statement.config, text: parts.slice(2, -1).join(';\n') }, values: [] };
}

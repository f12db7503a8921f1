/**
 * Text search folds the spellings people type interchangeably into one: the alef forms (أ إ آ ٱ → ا),
 * alef maqsura (ى → ي), teh marbuta (ة → ه), Arabic-Indic and Persian digits (→ 0-9), and drops
 * tatweel and harakat. The same fold runs in PostgreSQL (`translate`, in the leads' generated
 * `search_text` column) and here on the query, so both sides compare folded text.
 */
const FOLDED_FROM = 'أإآٱىة٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹';
const FOLDED_TO = 'اااايه01234567890123456789';
/** Tatweel, the harakat (U+064B–U+0652) and the superscript alef: `translate` drops characters it has no partner for. */
const DROPPED = '\u0640\u064B\u064C\u064D\u064E\u064F\u0650\u0651\u0652\u0670';

export const SEARCH_FOLD_FROM = FOLDED_FROM + DROPPED;
export const SEARCH_FOLD_TO = FOLDED_TO;

const folding = new Map<string, string>([...FOLDED_FROM].map((c, i) => [c, FOLDED_TO[i]]));
const dropped = new Set(DROPPED);

/** The query side of the fold: what `translate(text, SEARCH_FOLD_FROM, SEARCH_FOLD_TO)` does in PostgreSQL. */
export function foldSearchText(text: string): string {
  let out = '';
  for (const c of text) if (!dropped.has(c)) out += folding.get(c) ?? c;
  return out;
}

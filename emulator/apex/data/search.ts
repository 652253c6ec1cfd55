/**
 * SOSL against the in-memory database: the FIND text is matched against a simple index of each row's text
 * fields, and each RETURNING object is then run as a SOQL query over the matching rows, so WHERE, ORDER BY,
 * LIMIT and OFFSET are the SOQL evaluator's (./soql/eval.ts).
 *
 * Rules (SOQL and SOSL Reference unless noted):
 * - "Text searches are case-insensitive"; a search query holds single words, phrases in double quotes, the
 *   wildcards `*` and `?`, and the operators AND, OR, AND NOT with grouping parentheses ("FIND {SearchQuery}").
 * - "The search engine splits record information separated by spaces or punctuation into separate tokens".
 * - IN ALL FIELDS (the default) searches every text field, NAME/EMAIL/PHONE FIELDS only those fields ("IN
 *   SearchGroup"; NAME FIELDS adds the documented extra fields of Account, Case, Contact, Lead...).
 * - LIMIT: "up to 2,000 results. If unspecified, the default is the maximum 2,000 results"; with a limit on the
 *   entire query "results are evenly distributed among the objects returned" ("LIMIT n").
 * - In Apex tests SOSL returns no rows unless Test.setFixedSearchResults gave record ids; those ids replace the
 *   search results and the RETURNING object's WHERE and LIMIT still apply (Apex Developer Guide, "Adding SOSL
 *   Queries to Unit Tests").
 *
 * Approximations (documented in README.md): no relevance ranking (rows come in the order they were created unless
 * ORDER BY says otherwise), no stemming, synonyms or spelling correction, implicit AND between words, every
 * object of the schema is searchable, and a word containing punctuation (an email address) matches as a phrase.
 */
import type { ApexId } from '../runtime/values.js';
import type { Row } from './db.js';
import { ApexSignal } from './errors.js';
import { STRINGY, type SObjectRecord } from './record.js';
import type { FieldDef, ObjectDef } from './schema.js';
import type { Bind, SearchGroup, SoslQuery } from './soql/ast.js';
import { QueryRunner, type QueryEnv } from './soql/eval.js';

export interface SearchResult {
    readonly def: ObjectDef;
    readonly records: SObjectRecord[];
}

/** "Total number of records retrieved by a single SOSL query: 2,000" (Execution Governors and Limits). */
export const SOSL_MAX_ROWS = 2000;

type SearchExpr =
    | { readonly kind: 'term'; readonly tokens: readonly RegExp[] }
    | { readonly kind: 'and' | 'or'; readonly items: readonly SearchExpr[] }
    | { readonly kind: 'not'; readonly item: SearchExpr };

/** Extra fields searched by IN NAME FIELDS besides the name field ("IN SearchGroup"). */
const NAME_FIELD_EXTRAS: Readonly<Record<string, readonly string[]>> = {
    Account: ['Website', 'Site', 'NameLocal'],
    Asset: ['SerialNumber'],
    Case: ['SuppliedName', 'SuppliedCompany', 'Subject'],
    Contact: ['AssistantName', 'FirstNameLocal', 'LastNameLocal'],
    Event: ['Subject'],
    Lead: ['Company', 'CompanyLocal', 'FirstNameLocal', 'LastNameLocal'],
    Note: ['Title'],
    PermissionSet: ['Label'],
    Task: ['Subject'],
    User: ['CommunityNickname']
};

function searchError(message: string): never {
    throw new ApexSignal('SearchException', message);
}

/** Runs a parsed SOSL query. `fixedIds` is the test-context result set (null outside tests). */
export function runSosl(env: QueryEnv, q: SoslQuery, fixedIds: readonly ApexId[] | null): SearchResult[] {
    // Binds are evaluated once per query, as in SOQL.
    const cache = new Map<number, unknown>();
    const bind = (b: Bind): unknown => {
        if (!cache.has(b.index)) cache.set(b.index, env.bind(b));
        return cache.get(b.index);
    };
    if (!q.returning.length)
        searchError('not supported locally: SOSL without a RETURNING clause (list the objects to search)');
    if (q.searchGroup === 'SIDEBAR') searchError('not supported locally: IN SIDEBAR FIELDS');
    const text = q.find.kind === 'bind' ? bind(q.find) : q.find.kind === 'string' ? q.find.value : null;
    if (typeof text !== 'string') searchError('search term must be longer than one character');
    const expr = fixedIds ? null : parseSearchQuery(text);
    const fixed = fixedIds ? new Set(fixedIds.map((id) => id.to15())) : null;
    const lists = q.returning.map((query) => {
        const def = env.schema.get(query.from);
        const fields = def ? searchFields(def, q.searchGroup) : [];
        const matches = (row: Row): boolean =>
            fixed ? fixed.has(row.id.to15()) : matchRow(expr!, row, fields);
        const runner = new QueryRunner({
            ...env,
            bind,
            // Only rows of this RETURNING object are narrowed to the search hits (not semi-join subqueries).
            hidden: (row) => (env.hidden?.(row) ?? false) || (row.def === def && !matches(row))
        });
        const res = runner.run(query);
        if (res.kind !== 'rows') searchError('COUNT() is not allowed in SOSL');
        return { def: res.def, records: res.records };
    });
    const lim = q.limit;
    const limit = lim
        ? overallLimit(lim.kind === 'bind' ? bind(lim) : lim.kind === 'number' ? Number(lim.text) : null)
        : SOSL_MAX_ROWS;
    const counts = distribute(
        lists.map((l) => l.records.length),
        limit
    );
    return lists.map((l, i) => ({ def: l.def, records: l.records.slice(0, counts[i]) }));
}

function overallLimit(v: unknown): number {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n) || n < 0)
        throw new ApexSignal('QueryException', 'LIMIT must be a non-negative integer');
    return Math.min(n, SOSL_MAX_ROWS);
}

/**
 * How many rows of each object fit in the overall limit: "results are evenly distributed among the objects
 * returned" (19 accounts and 35 contacts with LIMIT 20 give 10 and 10); what one object cannot use goes to the
 * others, earlier objects first.
 */
export function distribute(counts: readonly number[], limit: number): number[] {
    const out = counts.map(() => 0);
    let remaining = limit;
    let open = counts.map((_, i) => i).filter((i) => counts[i] > 0);
    while (remaining > 0 && open.length) {
        const share = Math.max(1, Math.floor(remaining / open.length));
        for (const i of open) {
            const give = Math.min(share, counts[i] - out[i], remaining);
            out[i] += give;
            remaining -= give;
            if (remaining === 0) break;
        }
        open = open.filter((i) => out[i] < counts[i]);
    }
    return out;
}

/** The fields a search group covers on one object ("IN SearchGroup"). */
function searchFields(def: ObjectDef, group: SearchGroup): FieldDef[] {
    // Text fields only: "Numeric fields aren't searchable"; encrypted text is not indexed.
    const all = [...def.fields.values()].filter(
        (f) => STRINGY.has(f.type) && f.type !== 'encryptedstring' && f.name !== 'Id'
    );
    switch (group) {
        case 'EMAIL':
            return all.filter((f) => f.type === 'email');
        case 'PHONE':
            return all.filter((f) => f.type === 'phone');
        case 'NAME': {
            const names = new Set(
                [def.nameField ?? '', ...(NAME_FIELD_EXTRAS[def.name] ?? [])].map((n) => n.toLowerCase())
            );
            return all.filter((f) => names.has(f.name.toLowerCase()));
        }
        default:
            return all;
    }
}

/** Tokens of a field value: letters and digits split at spaces and punctuation, lower-cased. */
function tokens(text: string): string[] {
    return text
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((t) => t.length > 0);
}

/**
 * The search index: tokens of each field of a row, kept per row version (DML replaces a row's values Map, so an
 * updated row is indexed again and a rolled-back one finds its earlier entry).
 */
const index = new WeakMap<Map<string, unknown>, Map<string, string[] | null>>();

function tokensOf(row: Row, f: FieldDef): string[] | null {
    let entry = index.get(row.values);
    if (!entry) {
        entry = new Map();
        index.set(row.values, entry);
    }
    const lc = f.name.toLowerCase();
    let t = entry.get(lc);
    if (t === undefined) {
        const v = row.values.get(lc);
        t = v === null || v === undefined || v === '' ? null : tokens(String(v));
        // Phone numbers also match by their digits alone ("(415) 555-1212" and 4155551212).
        if (t && f.type === 'phone') t.push(String(v).replace(/\D/g, ''));
        entry.set(lc, t);
    }
    return t;
}

function matchRow(expr: SearchExpr, row: Row, fields: readonly FieldDef[]): boolean {
    const fieldTokens = fields.map((f) => tokensOf(row, f)).filter((t): t is string[] => t !== null);
    const test = (e: SearchExpr): boolean => {
        switch (e.kind) {
            case 'and':
                return e.items.every(test);
            case 'or':
                return e.items.some(test);
            case 'not':
                return !test(e.item);
            case 'term':
                return fieldTokens.some((ft) => containsSequence(ft, e.tokens));
        }
    };
    return test(expr);
}

function containsSequence(have: readonly string[], want: readonly RegExp[]): boolean {
    for (let start = 0; start + want.length <= have.length; start++)
        if (want.every((re, k) => re.test(have[start + k]))) return true;
    return false;
}

/** One search word or phrase as token patterns; `*` is any run of letters or digits, `?` exactly one. */
function termPatterns(text: string): RegExp[] {
    return text
        .toLowerCase()
        .split(/[^\p{L}\p{N}*?]+/u)
        .filter((t) => t.replace(/[*?]/g, '').length > 0)
        .map(
            (t) =>
                new RegExp(
                    '^' +
                        t
                            .split('')
                            .map((c) =>
                                c === '*' ? '[\\p{L}\\p{N}]*' : c === '?' ? '[\\p{L}\\p{N}]' : escapeRe(c)
                            )
                            .join('') +
                        '$',
                    'u'
                )
        );
}

function escapeRe(c: string): string {
    return /[\\^$.|+()[\]{}]/.test(c) ? '\\' + c : c;
}

type SearchTok =
    | { kind: 'word'; text: string }
    | { kind: 'phrase'; text: string }
    | { kind: '(' }
    | { kind: ')' };

function lexSearch(text: string): SearchTok[] {
    const out: SearchTok[] = [];
    let i = 0;
    while (i < text.length) {
        const c = text[i];
        if (/\s/.test(c)) i++;
        else if (c === '(' || c === ')') {
            out.push({ kind: c });
            i++;
        } else if (c === '"') {
            const end = text.indexOf('"', i + 1);
            const stop = end < 0 ? text.length : end;
            out.push({ kind: 'phrase', text: text.slice(i + 1, stop) });
            i = stop + 1;
        } else {
            let w = '';
            while (i < text.length && !/[\s()"]/.test(text[i])) {
                // A backslash escapes the next character ("Escaping special characters").
                if (text[i] === '\\' && i + 1 < text.length) i++;
                w += text[i++];
            }
            out.push({ kind: 'word', text: w });
        }
    }
    return out;
}

/**
 * Parses a search query: OR binds looser than AND; words next to each other without an operator must all
 * match (implicit AND); `AND NOT x` excludes rows matching x. Operators are case-insensitive, so a quoted
 * "and" / "or" is a literal word ("Example Text Searches": FIND {"and" or "or"}).
 */
export function parseSearchQuery(text: string): SearchExpr {
    const toks = lexSearch(text);
    let i = 0;
    const isOp = (w: string): boolean => {
        const t = toks[i];
        return t !== undefined && t.kind === 'word' && t.text.toLowerCase() === w;
    };
    const orExpr = (): SearchExpr | null => {
        const items: SearchExpr[] = [];
        for (;;) {
            const a = andExpr();
            if (a) items.push(a);
            if (!isOp('or')) break;
            i++;
        }
        return items.length === 0 ? null : items.length === 1 ? items[0] : { kind: 'or', items };
    };
    const andExpr = (): SearchExpr | null => {
        const items: SearchExpr[] = [];
        while (i < toks.length && toks[i].kind !== ')' && !isOp('or')) {
            let negate = false;
            if (isOp('and')) {
                i++;
                if (isOp('not')) {
                    i++;
                    negate = true;
                }
            } else if (isOp('not')) {
                i++;
                negate = true;
            }
            const u = unary();
            if (u) items.push(negate ? { kind: 'not', item: u } : u);
        }
        return items.length === 0 ? null : items.length === 1 ? items[0] : { kind: 'and', items };
    };
    const unary = (): SearchExpr | null => {
        const t = toks[i++];
        if (!t) return null;
        if (t.kind === '(') {
            const inner = orExpr();
            if (toks[i]?.kind !== ')') searchError(`unbalanced parentheses in search query '${text}'`);
            i++;
            return inner;
        }
        if (t.kind === ')') return null;
        if (t.kind === 'word' && ['and', 'or', 'not'].includes(t.text.toLowerCase())) return null;
        const pats = termPatterns(t.text);
        return pats.length ? { kind: 'term', tokens: pats } : null;
    };
    const expr = orExpr();
    if (i < toks.length) searchError(`unbalanced parentheses in search query '${text}'`);
    const letters = text.replace(/[\s()"*?\\]/g, '');
    if (!expr || letters.length < 2) searchError('search term must be longer than one character');
    return expr;
}

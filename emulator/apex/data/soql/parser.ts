/**
 * A hand-written SOQL parser for static (`[SELECT ...]`, from the SoqlNode text) and dynamic
 * (`Database.query`) queries. Bind expressions `:expr` are numbered in source order, which is the
 * order of SoqlNode.binds produced by the front end.
 *
 * Grammar followed: SOQL and SOSL Reference, "SOQL SELECT Syntax":
 *   SELECT fieldList [subquery][...] FROM objectType [[AS] alias] [USING SCOPE ...]
 *   [WHERE conditionExpression] [WITH ...] [GROUP BY ...] [HAVING ...]
 *   [ORDER BY field [ASC|DESC] [NULLS {FIRST|LAST}]] [LIMIT n] [OFFSET n] [FOR {VIEW|REFERENCE|UPDATE}] [ALL ROWS]
 */
import type {
    AggRef,
    Bind,
    Condition,
    FieldRef,
    Literal,
    OrderItem,
    Query,
    SearchGroup,
    SelectItem,
    SoslQuery,
    Value
} from './ast.js';
import { ApexSignal } from '../errors.js';

type Tok =
    | { t: 'id'; v: string; pos: number }
    | { t: 'str'; v: string; pos: number }
    | { t: 'num'; v: string; pos: number }
    | { t: 'op'; v: string; pos: number }
    | { t: 'bind'; v: string; pos: number }
    | { t: 'date'; v: string; pos: number }
    | { t: 'datetime'; v: string; pos: number }
    | { t: 'eof'; v: ''; pos: number };

const AGG_FNS = new Set(['count', 'count_distinct', 'sum', 'avg', 'min', 'max']);
const DATE_FNS = new Set([
    'calendar_month',
    'calendar_quarter',
    'calendar_year',
    'day_in_month',
    'day_in_week',
    'day_in_year',
    'day_only',
    'fiscal_month',
    'fiscal_quarter',
    'fiscal_year',
    'hour_in_day',
    'week_in_month',
    'week_in_year',
    'convertTimezone'.toLowerCase()
]);
const DATE_LITERALS = new Set([
    'yesterday',
    'today',
    'tomorrow',
    'last_week',
    'this_week',
    'next_week',
    'last_month',
    'this_month',
    'next_month',
    'last_90_days',
    'next_90_days',
    'this_quarter',
    'last_quarter',
    'next_quarter',
    'this_year',
    'last_year',
    'next_year'
]);
const DATE_N_LITERALS = new Set([
    'last_n_days',
    'next_n_days',
    'n_days_ago',
    'last_n_weeks',
    'next_n_weeks',
    'n_weeks_ago',
    'last_n_months',
    'next_n_months',
    'n_months_ago',
    'last_n_quarters',
    'next_n_quarters',
    'n_quarters_ago',
    'last_n_years',
    'next_n_years',
    'n_years_ago'
]);
/** Words that end a bind expression or field list. */
const CLAUSE_WORDS = new Set([
    'from',
    'where',
    'with',
    'group',
    'having',
    'order',
    'limit',
    'offset',
    'for',
    'all',
    'and',
    'or',
    'not',
    'asc',
    'desc',
    'nulls',
    'in',
    'like',
    'includes',
    'excludes',
    'using'
]);

export class SoqlSyntaxError extends ApexSignal {
    constructor(message: string) {
        super('QueryException', message);
    }
}

function lex(src: string, sosl = false): Tok[] {
    const out: Tok[] = [];
    let i = 0;
    const n = src.length;
    while (i < n) {
        const c = src[i];
        if (/\s/.test(c)) {
            i++;
            continue;
        }
        const start = i;
        if (sosl && c === '{') {
            // "Surround the SearchQuery with curly brackets" (SOQL and SOSL Reference, "FIND {SearchQuery}");
            // a backslash escapes the next character, which stays in the text for the search parser.
            i++;
            while (i < n && src[i] !== '}') i += src[i] === '\\' ? 2 : 1;
            if (i >= n) throw new SoqlSyntaxError(`unexpected token: end of query (unterminated '{')`);
            out.push({ t: 'str', v: src.slice(start + 1, i), pos: start });
            i++;
            continue;
        }
        if (c === "'") {
            let s = '';
            i++;
            while (i < n && src[i] !== "'") {
                if (src[i] === '\\' && i + 1 < n) {
                    const e = src[i + 1];
                    s +=
                        e === 'n'
                            ? '\n'
                            : e === 't'
                              ? '\t'
                              : e === 'r'
                                ? '\r'
                                : e === 'b'
                                  ? '\b'
                                  : e === 'f'
                                    ? '\f'
                                    : e;
                    i += 2;
                } else s += src[i++];
            }
            if (i >= n) throw new SoqlSyntaxError(`unexpected token: end of query (unterminated string)`);
            i++;
            out.push({ t: 'str', v: s, pos: start });
            continue;
        }
        if (c === ':') {
            i++;
            while (i < n && /\s/.test(src[i])) i++;
            const b = i;
            i = bindEnd(src, i);
            out.push({ t: 'bind', v: src.slice(b, i).trim(), pos: start });
            continue;
        }
        const dt = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2}))?/.exec(src.slice(i));
        if (dt && !/[\w]/.test(src[i + dt[0].length] ?? '')) {
            out.push({ t: dt[2] ? 'datetime' : 'date', v: dt[0], pos: start });
            i += dt[0].length;
            continue;
        }
        if (
            /[0-9]/.test(c) ||
            ((c === '-' || c === '+') && /[0-9.]/.test(src[i + 1] ?? '') && isValueContext(out))
        ) {
            i++;
            while (i < n && /[0-9.eE]/.test(src[i])) i++;
            out.push({ t: 'num', v: src.slice(start, i), pos: start });
            continue;
        }
        if (/[A-Za-z_]/.test(c)) {
            while (i < n && /[\w]/.test(src[i])) i++;
            out.push({ t: 'id', v: src.slice(start, i), pos: start });
            continue;
        }
        const two = src.slice(i, i + 2);
        if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
            out.push({ t: 'op', v: two === '<>' ? '!=' : two, pos: start });
            i += 2;
            continue;
        }
        if ('=<>(),.'.includes(c)) {
            out.push({ t: 'op', v: c, pos: start });
            i++;
            continue;
        }
        throw new SoqlSyntaxError(`unexpected token: '${c}'`);
    }
    out.push({ t: 'eof', v: '', pos: n });
    return out;
}

/** End of one operand of a bind expression: a string literal or a chain of names, calls and indexes. */
function operandEnd(src: string, i: number): number {
    const n = src.length;
    if (src[i] === "'") {
        i++;
        while (i < n && src[i] !== "'") i += src[i] === '\\' ? 2 : 1;
        return i + 1;
    }
    let depth = 0;
    while (i < n) {
        const ch = src[i];
        if (ch === '(' || ch === '[') depth++;
        else if (ch === ')' || ch === ']') {
            if (depth === 0) break;
            depth--;
        } else if (ch === "'") {
            i++;
            while (i < n && src[i] !== "'") i += src[i] === '\\' ? 2 : 1;
        } else if (depth === 0 && (/\s/.test(ch) || ch === ',' || '+-*/'.includes(ch))) break;
        i++;
    }
    return i;
}

/** End of a bind expression `:expr`: operands joined by arithmetic operators (`:prefix + '%'`). */
function bindEnd(src: string, i: number): number {
    let end = operandEnd(src, i);
    for (;;) {
        let j = end;
        while (j < src.length && /\s/.test(src[j])) j++;
        if (j >= src.length || !'+-*/'.includes(src[j])) return end;
        j++;
        while (j < src.length && /\s/.test(src[j])) j++;
        if (j >= src.length) return end;
        end = operandEnd(src, j);
    }
}

function isValueContext(out: Tok[]): boolean {
    const last = out[out.length - 1];
    return !!last && last.t === 'op' && last.v !== ')';
}

class Parser {
    private i = 0;
    private binds = 0;
    constructor(private readonly toks: Tok[]) {}

    private peek(k = 0): Tok {
        return this.toks[Math.min(this.i + k, this.toks.length - 1)];
    }
    private next(): Tok {
        return this.toks[this.i++];
    }
    private isWord(w: string, k = 0): boolean {
        const t = this.peek(k);
        return t.t === 'id' && t.v.toLowerCase() === w;
    }
    private acceptWord(w: string): boolean {
        if (this.isWord(w)) {
            this.i++;
            return true;
        }
        return false;
    }
    private expectWord(w: string): void {
        if (!this.acceptWord(w)) this.fail(`expecting '${w.toUpperCase()}'`);
    }
    private isOp(o: string): boolean {
        const t = this.peek();
        return t.t === 'op' && t.v === o;
    }
    private acceptOp(o: string): boolean {
        if (this.isOp(o)) {
            this.i++;
            return true;
        }
        return false;
    }
    private expectOp(o: string): void {
        if (!this.acceptOp(o)) this.fail(`expecting '${o}'`);
    }
    fail(msg: string): never {
        const t = this.peek();
        throw new SoqlSyntaxError(`unexpected token: '${t.t === 'eof' ? '<EOF>' : t.v}' (${msg})`);
    }
    private ident(): string {
        const t = this.next();
        if (t.t !== 'id' || ['select', 'from', 'where'].includes(t.v.toLowerCase())) {
            this.i--;
            this.fail('expecting an identifier');
        }
        return t.v;
    }

    query(): Query {
        this.expectWord('select');
        const select = this.selectList();
        this.expectWord('from');
        const from = this.ident();
        let alias: string | null = null;
        if (this.acceptWord('as')) alias = this.ident();
        else if (this.peek().t === 'id' && !CLAUSE_WORDS.has(this.peek().v.toLowerCase()))
            alias = this.ident();
        if (this.acceptWord('using')) this.fail('USING SCOPE is not supported locally');
        let where: Condition | null = null;
        if (this.acceptWord('where')) where = this.condition(false);
        const withClauses: string[] = [];
        while (this.acceptWord('with')) {
            const w = this.ident().toUpperCase();
            if (w === 'SECURITY_ENFORCED' || w === 'USER_MODE' || w === 'SYSTEM_MODE') withClauses.push(w);
            else this.fail(`WITH ${w} is not supported locally`);
        }
        const groupBy: FieldRef[] = [];
        if (this.acceptWord('group')) {
            this.expectWord('by');
            if (this.isWord('rollup') || this.isWord('cube'))
                this.fail('GROUP BY ROLLUP/CUBE is not supported locally');
            do groupBy.push(this.fieldRef());
            while (this.acceptOp(','));
        }
        let having: Condition | null = null;
        if (this.acceptWord('having')) having = this.condition(true);
        const orderBy = this.orderBy();
        const limit = this.acceptWord('limit') ? this.value() : null;
        const offset = this.acceptWord('offset') ? this.value() : null;
        let forUpdate = false;
        let allRows = false;
        while (this.isWord('for') || this.isWord('all') || this.isWord('update')) {
            if (this.acceptWord('for')) {
                const w = this.ident().toLowerCase();
                if (w === 'update') forUpdate = true;
                else if (w !== 'view' && w !== 'reference') this.fail('expecting VIEW, REFERENCE or UPDATE');
            } else if (this.acceptWord('all')) {
                this.expectWord('rows');
                allRows = true;
            } else this.fail('unexpected UPDATE');
        }
        return {
            select,
            from,
            alias,
            where,
            withClauses,
            groupBy,
            having,
            orderBy,
            limit,
            offset,
            forUpdate,
            allRows,
            bindCount: this.binds
        };
    }

    private orderBy(): OrderItem[] {
        const orderBy: OrderItem[] = [];
        if (!this.acceptWord('order')) return orderBy;
        this.expectWord('by');
        do {
            const field = this.fieldOrAgg();
            let desc = false;
            if (this.acceptWord('desc')) desc = true;
            else this.acceptWord('asc');
            // "By default, null values are sorted first." (SOQL and SOSL Reference, "ORDER BY")
            let nullsLast = false;
            if (this.acceptWord('nulls')) {
                if (this.acceptWord('last')) nullsLast = true;
                else this.expectWord('first');
            }
            orderBy.push({ field, desc, nullsLast });
        } while (this.acceptOp(','));
        return orderBy;
    }

    /**
     * SOSL (SOQL and SOSL Reference, "SOSL Syntax"): FIND {SearchQuery} [IN SearchGroup] [RETURNING FieldSpec]
     * [WITH USER_MODE|SYSTEM_MODE] [LIMIT n]. Other WITH clauses and UPDATE TRACKING/VIEWSTAT fail loudly.
     */
    sosl(): SoslQuery {
        this.expectWord('find');
        const find = this.value();
        if (find.kind !== 'string' && find.kind !== 'bind') this.fail('expecting a search string');
        let searchGroup: SearchGroup = 'ALL';
        if (this.acceptWord('in')) {
            const g = this.ident().toUpperCase();
            if (!['ALL', 'NAME', 'EMAIL', 'PHONE', 'SIDEBAR'].includes(g))
                this.fail('expecting ALL, NAME, EMAIL, PHONE or SIDEBAR');
            this.expectWord('fields');
            searchGroup = g as SearchGroup;
        }
        const returning: Query[] = [];
        if (this.acceptWord('returning')) {
            do returning.push(this.returningObject());
            while (this.acceptOp(','));
        }
        const withClauses: string[] = [];
        while (this.acceptWord('with')) {
            const w = this.ident().toUpperCase();
            if (w === 'USER_MODE' || w === 'SYSTEM_MODE') withClauses.push(w);
            else this.fail(`WITH ${w} is not supported locally`);
        }
        const limit = this.acceptWord('limit') ? this.value() : null;
        if (this.isWord('update')) this.fail('UPDATE TRACKING/VIEWSTAT is not supported locally');
        return { find, searchGroup, returning, withClauses, limit, bindCount: this.binds };
    }

    /** `ObjectType[(FieldList [WHERE ...] [ORDER BY ...] [LIMIT n] [OFFSET n])]` as a query over that object. */
    private returningObject(): Query {
        const from = this.ident();
        // Without a field list only the Id is returned (SOQL and SOSL Reference, "RETURNING FieldSpec").
        let select: SelectItem[] = [{ kind: 'field', path: ['Id'] }];
        let where: Condition | null = null;
        let orderBy: OrderItem[] = [];
        let limit: Value | null = null;
        let offset: Value | null = null;
        if (this.acceptOp('(')) {
            select = this.selectList();
            if (select.some((s) => s.kind !== 'field' && s.kind !== 'toLabel'))
                this.fail('only fields can be listed in a RETURNING object');
            if (this.acceptWord('where')) where = this.condition(false);
            if (this.isWord('using')) this.fail('USING ListView is not supported locally');
            orderBy = this.orderBy();
            if (this.acceptWord('limit')) limit = this.value();
            if (this.acceptWord('offset')) offset = this.value();
            this.expectOp(')');
        }
        return {
            select,
            from,
            alias: null,
            where,
            withClauses: [],
            groupBy: [],
            having: null,
            orderBy,
            limit,
            offset,
            forUpdate: false,
            allRows: false,
            bindCount: this.binds
        };
    }

    private selectList(): SelectItem[] {
        const items: SelectItem[] = [];
        do {
            if (this.isOp('(')) {
                this.next();
                const sub = this.query();
                this.expectOp(')');
                items.push({ kind: 'subquery', query: sub });
                continue;
            }
            if (this.isWord('typeof')) this.fail('TYPEOF is not supported locally');
            const t = this.peek();
            if (t.t === 'id' && this.peek(1).t === 'op' && this.peek(1).v === '(') {
                const fn = t.v.toLowerCase();
                if (fn === 'count' && this.peek(2).t === 'op' && this.peek(2).v === ')') {
                    this.i += 3;
                    items.push({ kind: 'count' });
                    continue;
                }
                if (fn === 'tolabel') {
                    this.i += 2;
                    const field = this.fieldRef();
                    this.expectOp(')');
                    items.push({ kind: 'toLabel', field, alias: this.alias() });
                    continue;
                }
                if (AGG_FNS.has(fn)) {
                    this.i += 2;
                    const arg = this.fieldRef();
                    this.expectOp(')');
                    items.push({ kind: 'agg', fn, arg, alias: this.alias() });
                    continue;
                }
                if (DATE_FNS.has(fn)) {
                    items.push(this.aliased(this.fieldRef()));
                    continue;
                }
                this.fail(`function ${t.v} is not supported locally`);
            }
            items.push(this.aliased(this.fieldRef()));
        } while (this.acceptOp(','));
        return items;
    }

    /**
     * "You can use an alias for any field or aggregated field in a SELECT statement in a SOQL query.
     * Specify the alias directly after the associated field." (SOQL and SOSL Reference, "Use Aliases with
     * GROUP BY"). The evaluator accepts it in aggregate queries only.
     */
    private aliased(f: FieldRef): FieldRef {
        const alias = this.alias();
        return alias ? { ...f, alias } : f;
    }

    private alias(): string | null {
        const t = this.peek();
        if (t.t === 'id' && !CLAUSE_WORDS.has(t.v.toLowerCase())) {
            this.i++;
            return t.v;
        }
        return null;
    }

    private fieldRef(): FieldRef {
        const t = this.peek();
        if (
            t.t === 'id' &&
            DATE_FNS.has(t.v.toLowerCase()) &&
            this.peek(1).t === 'op' &&
            this.peek(1).v === '('
        ) {
            this.i += 2;
            const inner = this.fieldRef();
            this.expectOp(')');
            // "You can use convertTimezone() in a date function to convert dateTime fields to the user's
            // time zone" (SOQL and SOSL Reference, "convertTimezone()"): HOUR_IN_DAY(convertTimezone(f)).
            const userZone = inner.fn === 'converttimezone';
            return {
                kind: 'field',
                path: inner.path,
                fn: t.v.toLowerCase(),
                ...(userZone ? { userZone } : {})
            };
        }
        const path = [this.ident()];
        while (this.acceptOp('.')) path.push(this.ident());
        return { kind: 'field', path };
    }

    private fieldOrAgg(): FieldRef | AggRef {
        const t = this.peek();
        if (
            t.t === 'id' &&
            AGG_FNS.has(t.v.toLowerCase()) &&
            this.peek(1).t === 'op' &&
            this.peek(1).v === '('
        ) {
            this.i += 2;
            let arg: FieldRef | null = null;
            if (!this.isOp(')')) arg = this.fieldRef();
            this.expectOp(')');
            return { kind: 'agg', fn: t.v.toLowerCase(), arg };
        }
        return this.fieldRef();
    }

    private condition(having: boolean): Condition {
        const first = this.andCond(having);
        if (!this.isWord('or')) return first;
        const items = [first];
        while (this.acceptWord('or')) items.push(this.andCond(having));
        return { kind: 'or', items };
    }

    private andCond(having: boolean): Condition {
        const first = this.unary(having);
        if (!this.isWord('and')) return first;
        const items = [first];
        while (this.acceptWord('and')) items.push(this.unary(having));
        return { kind: 'and', items };
    }

    private unary(having: boolean): Condition {
        if (this.acceptWord('not')) return { kind: 'not', item: this.unary(having) };
        if (this.isOp('(')) {
            this.next();
            const c = this.condition(having);
            this.expectOp(')');
            return c;
        }
        return this.simple(having);
    }

    private simple(having: boolean): Condition {
        const left = having ? this.fieldOrAgg() : this.fieldRef();
        const t = this.peek();
        if (t.t === 'op' && ['=', '!=', '<', '>', '<=', '>='].includes(t.v)) {
            this.next();
            return { kind: 'cmp', left, op: t.v, right: this.value() };
        }
        if (this.acceptWord('like')) return { kind: 'cmp', left, op: 'like', right: this.value() };
        let not = false;
        if (this.isWord('not') && this.isWord('in', 1)) {
            this.i++;
            not = true;
        }
        if (left.kind !== 'field') this.fail('IN needs a field');
        if (this.acceptWord('in')) {
            if (this.peek().t === 'bind') return { kind: 'in', left, not, values: this.value() as Bind };
            this.expectOp('(');
            if (this.isWord('select')) {
                const q = this.query();
                this.expectOp(')');
                return { kind: 'in', left, not, values: q };
            }
            const values: Value[] = [];
            do values.push(this.value());
            while (this.acceptOp(','));
            this.expectOp(')');
            return { kind: 'in', left, not, values };
        }
        const inc = this.acceptWord('includes') ? false : this.acceptWord('excludes') ? true : null;
        if (inc !== null) {
            this.expectOp('(');
            const values: Value[] = [];
            do values.push(this.value());
            while (this.acceptOp(','));
            this.expectOp(')');
            return { kind: 'includes', left, not: inc, values };
        }
        return this.fail('expecting a comparison operator');
    }

    private value(): Value {
        const t = this.next();
        switch (t.t) {
            case 'str':
                return { kind: 'string', value: t.v };
            case 'num':
                return { kind: 'number', text: t.v };
            case 'bind':
                return { kind: 'bind', index: this.binds++, text: t.v };
            case 'date':
                return { kind: 'date', text: t.v };
            case 'datetime':
                return { kind: 'datetime', text: t.v };
            case 'id': {
                const w = t.v.toLowerCase();
                if (w === 'null') return { kind: 'null' };
                if (w === 'true' || w === 'false') return { kind: 'boolean', value: w === 'true' };
                if (DATE_LITERALS.has(w)) return { kind: 'dateLiteral', name: w };
                if (DATE_N_LITERALS.has(w)) {
                    // LAST_N_DAYS:7 lexes as an id followed by a bind token "7".
                    const nt = this.next();
                    if (nt.t !== 'bind' || !/^\d+$/.test(nt.v)) this.fail(`expecting ${t.v}:n`);
                    return { kind: 'dateLiteral', name: w, n: Number(nt.v) };
                }
                this.i--;
                return this.fail('expecting a value');
            }
            default:
                this.i--;
                return this.fail('expecting a value');
        }
    }

    atEnd(): void {
        if (this.peek().t !== 'eof') this.fail('expecting end of query');
    }
}

const cache = new Map<string, Query>();

/** Parses a SOQL query (cached by text). Throws QueryException-typed ApexSignal on syntax errors. */
export function parseSoql(text: string): Query {
    const hit = cache.get(text);
    if (hit) return hit;
    const p = new Parser(lex(text));
    const q = p.query();
    p.atEnd();
    cache.set(text, q);
    return q;
}

const soslCache = new Map<string, SoslQuery>();

/** Parses a SOSL query, static (`[FIND ...]`, brackets included) or dynamic (Search.query); cached by text. */
export function parseSosl(text: string): SoslQuery {
    const hit = soslCache.get(text);
    if (hit) return hit;
    const body = text.trim().replace(/^\[([\s\S]*)\]$/, '$1');
    const p = new Parser(lex(body, true));
    const q = p.sosl();
    p.atEnd();
    soslCache.set(text, q);
    return q;
}

export type { Literal };

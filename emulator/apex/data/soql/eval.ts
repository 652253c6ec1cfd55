/**
 * Runs a parsed SOQL query against the in-memory database.
 *
 * Rules (SOQL and SOSL Reference unless noted):
 * - "Sorting is case insensitive"; "By default, null values are sorted first" (ORDER BY).
 * - String comparisons with =, !=, LIKE are case-insensitive; LIKE supports % and _ (Comparison Operators).
 * - "The maximum offset is 2,000 rows. Requesting an offset greater than 2,000 results in a
 *   NUMBER_OUTSIDE_VALID_RANGE error." (OFFSET)
 * - Date literals (TODAY, LAST_N_DAYS:n, ...) select ranges of whole days of the running user's calendar
 *   (Date Formats and Date Literals): see `dateLiteralDays` and `QueryRunner.compareDateLiteral`.
 * - Aggregate fields without an alias are named expr0, expr1, ... (Using Aliases with GROUP BY).
 * - In Apex, a query always returns the Id of each row (Apex Developer Guide, "SOQL Statements").
 */
import {
    ApexDate,
    ApexDatetime,
    ApexId,
    ApexList,
    ApexSet,
    Decimal,
    isSObject
} from '../../runtime/values.js';
import { ApexSignal } from '../errors.js';
import type { OrgDatabase, Row } from '../db.js';
import { SObjectRecord } from '../record.js';
import type { FieldDef, ObjectDef, Schema } from '../schema.js';
import type { AggRef, Bind, Condition, FieldRef, Literal, Query, SelectItem, Value } from './ast.js';
import { compareValues, soqlEquals } from './values.js';
import { firstDayOfWeek, fromLocal, localParts } from '../../lib/datetime.js';
import { addDecimal } from '../dml.js';

export interface FieldAccess {
    canRead(def: ObjectDef): boolean;
    canReadField(def: ObjectDef, field: FieldDef): boolean;
}

export interface QueryEnv {
    readonly db: OrgDatabase;
    readonly schema: Schema;
    /** Current instant, ms since the epoch. */
    now(): number;
    /**
     * The running user's TimeZoneSidKey and LocaleSidKey: the day boundaries and first day of the week of
     * date literals. GMT / en_US when absent.
     */
    readonly userZone?: () => { timeZone: string; locale: string };
    bind(b: Bind): unknown;
    /** Set for WITH USER_MODE / WITH SECURITY_ENFORCED / AccessLevel.USER_MODE. */
    readonly access?: FieldAccess | null;
    /** Rows hidden from queries (e.g. the standard price book in tests). */
    readonly hidden?: (row: Row) => boolean;
    /** UserRecordAccess rows of a user for record ids (computed per query; the object stores nothing). */
    readonly userRecordAccess?: (userId: unknown, recordIds: readonly unknown[]) => Row[];
}

export type QueryResult =
    | { readonly kind: 'rows'; readonly def: ObjectDef; readonly records: SObjectRecord[] }
    | { readonly kind: 'count'; readonly count: number };

const AGG_DEF_CACHE = new WeakMap<Schema, ObjectDef>();

/** The AggregateResult pseudo-object: its fields are the query's aliases. */
export function aggregateResultDef(schema: Schema): ObjectDef {
    let d = AGG_DEF_CACHE.get(schema);
    if (!d) {
        d = {
            name: 'AggregateResult',
            label: 'AggregateResult',
            labelPlural: 'AggregateResults',
            kind: 'standard',
            keyPrefix: '',
            setup: false,
            fields: new Map(),
            childRelationships: new Map(),
            nameField: undefined
        };
        AGG_DEF_CACHE.set(schema, d);
    }
    return d;
}

const USER_RECORD_ACCESS_FILTER =
    'UserRecordAccess query must filter on UserId = a single id and on RecordId = a single id or RecordId IN a list of ids';

function qerr(message: string): never {
    throw new ApexSignal('QueryException', message);
}

interface Resolved {
    /** Relationship hops: the reference field of each hop. */
    hops: FieldDef[];
    field: FieldDef;
    /** The field's name lower-cased (the key of a row's values). */
    lower: string;
    /** Object that owns the final field (for static resolution; polymorphic hops resolve at run time). */
    owner: ObjectDef;
}

export class QueryRunner {
    private readonly env: QueryEnv;
    constructor(env: QueryEnv) {
        // Bind expressions are evaluated once per query, not per row.
        const cache = new Map<number, unknown>();
        this.env = {
            ...env,
            bind: (b) => {
                if (!cache.has(b.index)) cache.set(b.index, env.bind(b));
                return cache.get(b.index);
            }
        };
    }

    run(q: Query): QueryResult {
        const def = this.env.schema.get(q.from);
        if (!def)
            qerr(
                `sObject type '${q.from}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
            );
        this.checkObjectAccess(def);
        this.validate(q, def);
        let rows =
            def.name === 'UserRecordAccess'
                ? this.userRecordAccessRows(q)
                : [...this.env.db.rows(def, q.allRows)].filter((r) => !this.env.hidden?.(r));
        if (q.where) rows = rows.filter((r) => this.test(q.where!, r, def, q.alias));
        const hasAgg = q.select.some((s) => s.kind === 'agg') || q.groupBy.length > 0;
        if (q.select.length === 1 && q.select[0].kind === 'count') {
            if (q.groupBy.length) qerr('COUNT() cannot be used with GROUP BY');
            return { kind: 'count', count: this.window(rows, q).length };
        }
        if (q.select.some((s) => s.kind === 'count'))
            qerr('COUNT() must be the only element in the SELECT list');
        const aliased = q.select.find((s) => s.kind === 'field' && s.alias);
        if (aliased && !hasAgg)
            qerr(
                `not supported locally: a field alias outside an aggregate query (${(aliased as FieldRef).alias})`
            );
        if (hasAgg)
            return {
                kind: 'rows',
                def: aggregateResultDef(this.env.schema),
                records: this.aggregate(q, def, rows)
            };
        if (q.orderBy.length) rows = this.sort(rows, q, def);
        rows = this.window(rows, q);
        return { kind: 'rows', def, records: rows.map((r) => this.materialize(r, def, q)) };
    }

    /** Resolves every field and evaluates every bind up front, so errors do not depend on the data. */
    private validate(q: Query, def: ObjectDef): void {
        const field = (f: FieldRef | AggRef | null) => {
            if (f && f.kind === 'field') this.resolve(def, f.path, q.alias);
            else if (f && f.arg) this.resolve(def, f.arg.path, q.alias);
        };
        const value = (v: Value | readonly Value[] | Bind | Query | null) => {
            if (!v) return;
            if (Array.isArray(v)) (v as Value[]).forEach(value);
            else if ((v as Bind).kind === 'bind') this.env.bind(v as Bind);
        };
        const cond = (c: Condition | null): void => {
            if (!c) return;
            switch (c.kind) {
                case 'and':
                case 'or':
                    c.items.forEach(cond);
                    break;
                case 'not':
                    cond(c.item);
                    break;
                case 'cmp':
                    field(c.left);
                    value(c.right);
                    break;
                default:
                    field(c.left);
                    value(c.values as Value[] | Bind);
            }
        };
        for (const item of q.select) {
            if (item.kind === 'field') field(item);
            else if (item.kind === 'toLabel') field(item.field);
            else if (item.kind === 'agg') field(item.arg);
        }
        cond(q.where);
        cond(q.having);
        q.groupBy.forEach(field);
        q.orderBy.forEach((o) => field(o.field));
        value(q.limit);
        value(q.offset);
    }

    /**
     * UserRecordAccess is computed for the user and records a query names (Object Reference,
     * UserRecordAccess, "Usage": `WHERE UserId = [single ID] AND RecordId = [single ID] //or Record IN [list of
     * IDs]`; "You can query a maximum of 200 record IDs"). A query without both filters, or with more ids,
     * fails.
     */
    private userRecordAccessRows(q: Query): Row[] {
        const conds = !q.where ? [] : q.where.kind === 'and' ? q.where.items : [q.where];
        const named = (c: Condition, field: string) =>
            (c.kind === 'cmp' || c.kind === 'in') &&
            c.left.kind === 'field' &&
            c.left.path.length === 1 &&
            c.left.path[0].toLowerCase() === field;
        const user = conds.find((c) => named(c, 'userid'));
        const record = conds.find((c) => named(c, 'recordid'));
        if (!user || user.kind !== 'cmp' || user.op !== '=' || !record) qerr(USER_RECORD_ACCESS_FILTER);
        const userId = this.literalOrBind(user.right, undefined);
        let ids: unknown[];
        if (record.kind === 'cmp' && record.op === '=') ids = [this.literalOrBind(record.right, undefined)];
        else if (record.kind === 'in' && !record.not && !('select' in record.values)) {
            const v = record.values;
            ids = Array.isArray(v)
                ? (v as Value[]).map((x) => this.literalOrBind(x, undefined))
                : flattenBind(this.env.bind(v as Bind));
        } else qerr(USER_RECORD_ACCESS_FILTER);
        if (ids.length > 200) qerr(`UserRecordAccess query can name at most 200 record ids (${ids.length})`);
        return this.env.userRecordAccess?.(userId, ids) ?? [];
    }

    private checkObjectAccess(def: ObjectDef): void {
        const a = this.env.access;
        if (a && !a.canRead(def)) {
            qerr(
                `sObject type '${def.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
            );
        }
    }

    private window<T>(rows: T[], q: Query): T[] {
        let offset = 0;
        if (q.offset) {
            offset = this.intValue(q.offset, 'OFFSET');
            if (offset > 2000) qerr(`Maximum SOQL offset allowed is 2000`);
        }
        let out = offset ? rows.slice(offset) : rows;
        if (q.limit) {
            const lim = this.intValue(q.limit, 'LIMIT');
            if (lim < 0) qerr('LIMIT must be a non-negative value');
            out = out.slice(0, lim);
        }
        return out;
    }

    private intValue(v: Value, what: string): number {
        const x = v.kind === 'bind' ? this.env.bind(v) : v.kind === 'number' ? Number(v.text) : null;
        const n =
            typeof x === 'number'
                ? x
                : x instanceof Decimal
                  ? x.toNumber()
                  : typeof x === 'bigint'
                    ? Number(x)
                    : NaN;
        if (!Number.isInteger(n)) qerr(`${what} must be an integer value`);
        return n;
    }

    // ----------------------------------------------------------------------------------- fields

    /** Field paths (the query's own path arrays) resolved by this query: every row's WHERE and ORDER BY ask again. */
    private readonly resolved = new Map<
        readonly string[],
        { def: ObjectDef; alias: string | null; r: Resolved }
    >();

    /** Resolves a field path once per query: schema and access do not change while a query runs. */
    resolve(def: ObjectDef, path: readonly string[], alias: string | null): Resolved {
        const hit = this.resolved.get(path);
        if (hit && hit.def === def && hit.alias === alias) return hit.r;
        const r = this.resolveField(def, path, alias);
        this.resolved.set(path, { def, alias, r });
        return r;
    }

    private resolveField(def: ObjectDef, path: readonly string[], alias: string | null): Resolved {
        let p = path;
        if (
            p.length > 1 &&
            (p[0].toLowerCase() === def.name.toLowerCase() ||
                (alias && p[0].toLowerCase() === alias.toLowerCase()))
        )
            p = p.slice(1);
        const hops: FieldDef[] = [];
        let cur = def;
        for (let i = 0; i < p.length - 1; i++) {
            const rel = p[i].toLowerCase();
            let hop: FieldDef | undefined;
            for (const f of cur.fields.values()) if (f.relationshipName?.toLowerCase() === rel) hop = f;
            if (!hop)
                qerr(
                    `Didn't understand relationship '${p[i]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`
                );
            hops.push(hop);
            const target =
                hop.referenceTo && hop.referenceTo.length === 1
                    ? this.env.schema.get(hop.referenceTo[0])
                    : this.polymorphicTarget(p[i + 1]);
            if (!target) qerr(`not supported locally: relationship ${p[i]} without a known target`);
            cur = target;
        }
        const last = p[p.length - 1];
        const field = cur.fields.get(last.toLowerCase());
        if (!field) {
            qerr(
                `No such column '${last}' on entity '${cur.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`
            );
        }
        const a = this.env.access;
        if (a && (!a.canRead(cur) || !a.canReadField(cur, field))) {
            qerr(
                `No such column '${field.name}' on entity '${cur.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`
            );
        }
        return { hops, field, lower: field.name.toLowerCase(), owner: cur };
    }

    /** Polymorphic relationships (Owner, What, Who) expose the Name fields (Object Reference, "Name"). */
    private polymorphicTarget(_next: string): ObjectDef | undefined {
        return this.env.schema.get('Name') ?? this.env.schema.get('User');
    }

    private valueAt(row: Row, r: Resolved): unknown {
        let cur: Row | undefined = row;
        for (const hop of r.hops) {
            const id = cur.values.get(hop.name.toLowerCase());
            cur = this.env.db.find(id as ApexId | null);
            if (!cur) return null;
        }
        return r.lower === 'id' ? cur.id : (cur.values.get(r.lower) ?? null);
    }

    private fieldValue(row: Row, def: ObjectDef, f: FieldRef, alias: string | null): unknown {
        const r = this.resolve(def, f.path, alias);
        const v = this.valueAt(row, r);
        return f.fn ? this.dateFn(f, v) : v;
    }

    // -------------------------------------------------------------------------------- filtering

    test(c: Condition, row: Row, def: ObjectDef, alias: string | null): boolean {
        switch (c.kind) {
            case 'and':
                return c.items.every((x) => this.test(x, row, def, alias));
            case 'or':
                return c.items.some((x) => this.test(x, row, def, alias));
            case 'not':
                return !this.test(c.item, row, def, alias);
            case 'cmp': {
                if (c.left.kind !== 'field') qerr('aggregate functions are only allowed in HAVING');
                const r = this.resolve(def, c.left.path, alias);
                let left = this.valueAt(row, r);
                if (c.left.fn) left = this.dateFn(c.left, left);
                return this.compare(left, c.op, c.right, c.left.fn ? undefined : r.field);
            }
            case 'in': {
                const r = this.resolve(def, c.left.path, alias);
                const left = this.valueAt(row, r);
                const values = this.inValues(c.values, r.field);
                const hit = values.some((v) => soqlEquals(left, v));
                return c.not ? !hit && left !== null : hit;
            }
            case 'includes': {
                const r = this.resolve(def, c.left.path, alias);
                const left = this.valueAt(row, r);
                const have = new Set(
                    typeof left === 'string' ? left.split(';').map((s) => s.trim().toLowerCase()) : []
                );
                const hit = c.values.some((v) => {
                    const want = String(this.literalOrBind(v, r.field) ?? '')
                        .split(';')
                        .map((s) => s.trim().toLowerCase());
                    return want.every((w) => have.has(w));
                });
                return c.not ? !hit : hit;
            }
        }
    }

    private inValues(values: readonly Value[] | Bind | Query, field: FieldDef): unknown[] {
        if (Array.isArray(values)) return (values as Value[]).map((v) => this.literalOrBind(v, field));
        if ((values as Query).select) {
            const sub = values as Query;
            if (sub.select.length !== 1 || sub.select[0].kind !== 'field')
                qerr('semi-join sub-selects can only select one field');
            const res = this.run(sub);
            if (res.kind !== 'rows') return [];
            const path = (sub.select[0] as FieldRef).path;
            return res.records.map((rec) =>
                path.reduce<unknown>((o, seg) => (isSObject(o) ? o.get(seg) : null), rec)
            );
        }
        const raw = this.env.bind(values as Bind);
        return flattenBind(raw);
    }

    /** The running user's time zone and locale (GMT / en_US when the host gives none). */
    private zone(): { timeZone: string; locale: string } {
        return this.env.userZone?.() ?? { timeZone: 'GMT', locale: 'en_US' };
    }

    /**
     * A date function's value. Date functions read dateTime values in GMT ("SOQL queries in a client
     * application return dateTime field values as Coordinated Universal Time (UTC) values"), in the running
     * user's time zone under convertTimezone() (SOQL and SOSL Reference, "convertTimezone()").
     */
    private dateFn(ref: { readonly fn?: string; readonly userZone?: boolean }, v: unknown): unknown {
        return applyDateFn(ref.fn ?? '', v, ref.userZone ? this.zone().timeZone : 'GMT');
    }

    /**
     * `field op DATE_LITERAL`. "Each date literal represents a range of time relative to today. The exact
     * start and end of the range depend on the date literal and the locale of the user who sends the query."
     * (SOQL and SOSL Reference, "Date Formats and Date Literals in WHERE"). The range is whole days of the
     * running user's calendar: a date field is compared with those days, a dateTime field (stored in UTC)
     * with the instants of midnight at their start and end in the user's time zone (DST-aware, from ICU).
     */
    private compareDateLiteral(
        left: unknown,
        op: string,
        right: Extract<Value, { kind: 'dateLiteral' }>,
        field: FieldDef | undefined
    ): boolean {
        if (left === null) return op === '!=';
        const zone = this.zone();
        const now = localParts(this.env.now(), zone.timeZone);
        const [startDay, endDay] = dateLiteralDays(
            right.name,
            right.n,
            new ApexDate(now.year, now.month, now.day).toEpochDay(),
            firstDayOfWeek(zone.locale)
        );
        const midnight = (epochDay: number): number => {
            const d = ApexDate.fromEpochDay(epochDay);
            return fromLocal(d.year, d.month, d.day, 0, 0, 0, 0, zone.timeZone);
        };
        let pos: number;
        let start: number;
        let end: number;
        if (left instanceof ApexDatetime) [pos, start, end] = [left.ms, midnight(startDay), midnight(endDay)];
        else if (left instanceof ApexDate) [pos, start, end] = [left.toEpochDay(), startDay, endDay];
        else
            return qerr(
                `value of filter criterion for field '${field?.name}' must be of type ${field?.type} and should not be enclosed in quotes`
            );
        switch (op) {
            case '=':
                return pos >= start && pos < end;
            case '!=':
                return pos < start || pos >= end;
            case '<':
                return pos < start;
            case '<=':
                return pos < end;
            case '>':
                return pos >= end;
            case '>=':
                return pos >= start;
            default:
                return qerr(`invalid operator on date literal`);
        }
    }

    private literalOrBind(v: Value, field: FieldDef | undefined): unknown {
        if (v.kind === 'bind') {
            const raw = this.env.bind(v);
            if (isSObject(raw)) return raw.get('Id');
            return raw;
        }
        return literalValue(v, field);
    }

    private compare(left: unknown, op: string, right: Value, field: FieldDef | undefined): boolean {
        if (right.kind === 'dateLiteral') return this.compareDateLiteral(left, op, right, field);
        const r = this.literalOrBind(right, field);
        if (op === 'like') {
            if (left === null || r === null) return false;
            return likeRegex(String(r)).test(String(left instanceof ApexId ? left.v : left));
        }
        if (r instanceof ApexList || r instanceof ApexSet)
            qerr('Only variable references are allowed in dynamic SOQL/SOSL.');
        if (op === '=') return soqlEquals(left, r);
        if (op === '!=') return !soqlEquals(left, r);
        if (left === null || r === null) return false;
        const c = compareValues(left, r);
        return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }

    // --------------------------------------------------------------------------------- ordering

    private sort(rows: Row[], q: Query, def: ObjectDef): Row[] {
        const keys = q.orderBy.map((o) => {
            if (o.field.kind !== 'field') qerr('ORDER BY an aggregate needs GROUP BY');
            return {
                r: this.resolve(def, o.field.path, q.alias),
                fn: o.field.fn,
                userZone: o.field.userZone,
                desc: o.desc,
                nullsLast: o.nullsLast
            };
        });
        const decorated = rows.map((row, i) => ({
            row,
            i,
            k: keys.map((k) => (k.fn ? this.dateFn(k, this.valueAt(row, k.r)) : this.valueAt(row, k.r)))
        }));
        decorated.sort((a, b) => {
            for (let j = 0; j < keys.length; j++) {
                const c = orderCompare(a.k[j], b.k[j], keys[j].desc, keys[j].nullsLast);
                if (c !== 0) return c;
            }
            return a.i - b.i;
        });
        return decorated.map((d) => d.row);
    }

    // ----------------------------------------------------------------------------- materialise

    materialize(row: Row, def: ObjectDef, q: Query): SObjectRecord {
        const rec = new SObjectRecord(def);
        rec.queried = new Set();
        rec.setRaw('Id', row.id);
        for (const item of q.select) this.addItem(rec, row, def, item, q.alias);
        return rec;
    }

    private addItem(
        rec: SObjectRecord,
        row: Row,
        def: ObjectDef,
        item: SelectItem,
        alias: string | null
    ): void {
        if (item.kind === 'field' || item.kind === 'toLabel') {
            const f = item.kind === 'field' ? item : item.field;
            if (f.fn) qerr(`${f.fn.toUpperCase()}() can only be used with GROUP BY`);
            const r = this.resolve(def, f.path, alias);
            let target = rec;
            let cur: Row | undefined = row;
            for (const hop of r.hops) {
                const id = cur?.values.get(hop.name.toLowerCase()) as ApexId | null | undefined;
                cur = this.env.db.find(id ?? null);
                const relName = hop.relationshipName!;
                const existing = target.has(relName) ? target.get(relName) : undefined;
                if (!cur) {
                    if (existing === undefined) target.setRaw(relName, null);
                    return;
                }
                if (existing instanceof SObjectRecord) {
                    target = existing;
                } else {
                    const parent = new SObjectRecord(cur.def);
                    parent.queried = new Set();
                    parent.setRaw('Id', cur.id);
                    target.setRaw(relName, parent);
                    target = parent;
                }
            }
            const fd = cur!.def === r.owner ? r.field : cur!.def.fields.get(r.field.name.toLowerCase());
            target.setRaw(fd?.name ?? r.field.name, fieldOf(cur!, r.field.name));
            return;
        }
        if (item.kind === 'subquery') {
            const sq = item.query;
            const rel = def.childRelationships.get(sq.from.toLowerCase());
            if (!rel)
                qerr(
                    `Didn't understand relationship '${sq.from}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`
                );
            const childDef = this.env.schema.require(rel.childObject);
            this.checkObjectAccess(childDef);
            const fk = rel.field.toLowerCase();
            let rows = [...this.env.db.rows(childDef, sq.allRows)].filter((r) =>
                soqlEquals(r.values.get(fk) ?? null, row.id)
            );
            if (sq.where) rows = rows.filter((r) => this.test(sq.where!, r, childDef, sq.alias));
            if (sq.orderBy.length) rows = this.sort(rows, sq, childDef);
            rows = this.window(rows, sq);
            const list = new ApexList(
                { name: childDef.name.toLowerCase(), display: childDef.name },
                rows.map((r) => this.materialize(r, childDef, sq))
            );
            rec.setRaw(rel.name, list);
            return;
        }
        qerr('aggregate functions need GROUP BY or an aggregate query');
    }

    // ------------------------------------------------------------------------------ aggregates

    private aggregate(q: Query, def: ObjectDef, rows: Row[]): SObjectRecord[] {
        const groups = new Map<string, Row[]>();
        const groupKeys = q.groupBy.map((g) => ({ g, r: this.resolve(def, g.path, q.alias) }));
        for (const item of q.select) {
            if (
                item.kind === 'field' &&
                !q.groupBy.some(
                    (g) =>
                        g.path.join('.').toLowerCase() === item.path.join('.').toLowerCase() &&
                        g.fn === item.fn &&
                        !g.userZone === !item.userZone
                )
            ) {
                qerr(`Field must be grouped or aggregated: ${item.path.join('.')}`);
            }
        }
        for (const row of rows) {
            const k = groupKeys.map(({ g, r }) => {
                const v = g.fn ? this.dateFn(g, this.valueAt(row, r)) : this.valueAt(row, r);
                return v === null
                    ? '\u0000null'
                    : v instanceof ApexId
                      ? v.to15()
                      : String(v instanceof Object ? v.toString() : v).toLowerCase();
            });
            const key = k.join('\u0001');
            const list = groups.get(key) ?? [];
            list.push(row);
            groups.set(key, list);
        }
        if (groups.size === 0 && q.groupBy.length === 0) groups.set('', []);
        const aggDef = aggregateResultDef(this.env.schema);
        let out: { rec: SObjectRecord; rows: Row[] }[] = [];
        for (const grp of groups.values()) {
            const rec = new SObjectRecord(aggDef);
            let expr = 0;
            for (const item of q.select) {
                if (item.kind === 'field') {
                    const r = this.resolve(def, item.path, q.alias);
                    const v = grp.length
                        ? item.fn
                            ? this.dateFn(item, this.valueAt(grp[0], r))
                            : this.valueAt(grp[0], r)
                        : null;
                    rec.setRaw(item.alias ?? (item.fn ? `expr${expr++}` : r.field.name), v);
                } else if (item.kind === 'agg') {
                    const name = item.alias ?? `expr${expr++}`;
                    rec.setRaw(name, this.aggValue(item, grp, def, q.alias));
                }
            }
            out.push({ rec, rows: grp });
        }
        if (q.having) out = out.filter((o) => this.testHaving(q.having!, o.rec, o.rows, def, q));
        if (q.orderBy.length) {
            const ks = q.orderBy.map((o) => ({
                o,
                get: (x: { rec: SObjectRecord; rows: Row[] }) =>
                    o.field.kind === 'agg'
                        ? this.aggValue(o.field, x.rows, def, q.alias)
                        : x.rows.length
                          ? this.fieldValue(x.rows[0], def, o.field, q.alias)
                          : null
            }));
            out.sort((a, b) => {
                for (const k of ks) {
                    const c = orderCompare(k.get(a), k.get(b), k.o.desc, k.o.nullsLast);
                    if (c) return c;
                }
                return 0;
            });
        }
        return this.window(out, q).map((o) => o.rec);
    }

    private testHaving(c: Condition, rec: SObjectRecord, rows: Row[], def: ObjectDef, q: Query): boolean {
        switch (c.kind) {
            case 'and':
                return c.items.every((x) => this.testHaving(x, rec, rows, def, q));
            case 'or':
                return c.items.some((x) => this.testHaving(x, rec, rows, def, q));
            case 'not':
                return !this.testHaving(c.item, rec, rows, def, q);
            case 'cmp': {
                const left =
                    c.left.kind === 'agg'
                        ? this.aggValue(c.left, rows, def, q.alias)
                        : rows.length
                          ? this.fieldValue(rows[0], def, c.left, q.alias)
                          : null;
                return this.compare(left, c.op, c.right, undefined);
            }
            default:
                return rows.length > 0 && this.test(c, rows[0], def, q.alias);
        }
    }

    private aggValue(
        a: AggRef | { fn: string; arg: FieldRef | null },
        rows: Row[],
        def: ObjectDef,
        alias: string | null
    ): unknown {
        const fn = a.fn;
        if (!a.arg) return rows.length;
        const r = this.resolve(def, a.arg.path, alias);
        const vals = rows.map((row) => this.valueAt(row, r)).filter((v) => v !== null);
        switch (fn) {
            case 'count':
                return vals.length;
            case 'count_distinct':
                return new Set(vals.map((v) => (v instanceof ApexId ? v.to15() : String(v).toLowerCase())))
                    .size;
            case 'sum':
            case 'avg': {
                if (!vals.length) return null;
                let sum = new Decimal(0n, 0);
                for (const v of vals) sum = addDecimal(sum, toDecimal(v));
                if (fn === 'sum') return sum;
                return Decimal.parse(String(sum.toNumber() / vals.length));
            }
            case 'min':
            case 'max': {
                if (!vals.length) return null;
                return vals.reduce((m, v) => (compareValues(v, m) * (fn === 'min' ? -1 : 1) > 0 ? v : m));
            }
            default:
                return qerr(`not supported locally: aggregate ${fn}`);
        }
    }
}

/** A row's field value (the Id comes from the row itself). */
function fieldOf(row: Row, name: string): unknown {
    const lc = name.toLowerCase();
    if (lc === 'id') return row.id;
    return row.values.get(lc) ?? null;
}

function toDecimal(v: unknown): Decimal {
    if (v instanceof Decimal) return v;
    if (typeof v === 'number') return Decimal.fromInt(v);
    return Decimal.parse(String(v));
}

export function orderCompare(a: unknown, b: unknown, desc: boolean, nullsLast: boolean): number {
    const an = a === null || a === undefined;
    const bn = b === null || b === undefined;
    if (an || bn) {
        if (an && bn) return 0;
        return (an ? -1 : 1) * (nullsLast ? -1 : 1);
    }
    const c = compareValues(a, b);
    return desc ? -c : c;
}

function flattenBind(raw: unknown): unknown[] {
    if (raw instanceof ApexList) return raw.items.map((x) => (isSObject(x) ? x.get('Id') : x));
    if (raw instanceof ApexSet) return [...raw.map.values()];
    if (raw === null || raw === undefined) return [];
    if (isSObject(raw)) return [raw.get('Id')];
    return [raw];
}

export function likeRegex(pattern: string): RegExp {
    let re = '';
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === '\\' && i + 1 < pattern.length) {
            re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        } else if (c === '%') re += '.*';
        else if (c === '_') re += '.';
        else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${re}$`, 'is');
}

/** A SOQL literal as the runtime value of the field's type. */
export function literalValue(v: Literal, field: FieldDef | undefined): unknown {
    switch (v.kind) {
        case 'null':
            return null;
        case 'boolean':
            return v.value;
        case 'string':
            return v.value;
        case 'number':
            return field && field.type === 'int' && /^-?\d+$/.test(v.text)
                ? Number(v.text)
                : Decimal.parse(v.text);
        case 'date': {
            const [y, m, d] = v.text.split('-').map(Number);
            if (field?.type === 'datetime') return new ApexDatetime(Date.UTC(y, m - 1, d));
            return new ApexDate(y, m, d);
        }
        case 'datetime':
            return new ApexDatetime(Date.parse(v.text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')));
        case 'dateLiteral':
            return qerr('date literal outside a comparison');
    }
}

function applyDateFn(fn: string, v: unknown, timeZone: string): unknown {
    if (v === null) return null;
    let d: { year: number; month: number; day: number; hour: number; weekday: number };
    if (v instanceof ApexDatetime) d = localParts(v.ms, timeZone);
    else if (v instanceof ApexDate)
        d = {
            year: v.year,
            month: v.month,
            day: v.day,
            hour: 0,
            weekday: weekdayOf(v.toEpochDay())
        };
    else return qerr(`${fn.toUpperCase()} needs a date or datetime field`);
    switch (fn) {
        case 'calendar_year':
            return d.year;
        case 'calendar_month':
            return d.month;
        case 'calendar_quarter':
            return Math.floor((d.month - 1) / 3) + 1;
        case 'day_in_month':
            return d.day;
        case 'day_in_week':
            return d.weekday + 1;
        case 'hour_in_day':
            return d.hour;
        case 'day_only':
            return new ApexDate(d.year, d.month, d.day);
        default:
            return qerr(`not supported locally: date function ${fn.toUpperCase()}`);
    }
}

const DAY = 86400000;

/** Day of the week of an epoch day, 0 = Sunday (1970-01-01 was a Thursday). */
function weekdayOf(epochDay: number): number {
    return (((epochDay + 4) % 7) + 7) % 7;
}

/**
 * [first day, day after the last) of a date literal, in epoch days of the user's calendar (SOQL and SOSL
 * Reference, "Date Formats and Date Literals in WHERE"). `today` is the user's current date as an epoch
 * day; `weekStart` the first day of the week of the user's locale (0 = Sunday): "Your locale determines the
 * first day of the week."
 */
export function dateLiteralDays(
    name: string,
    n: number | undefined,
    today: number,
    weekStart: number
): [number, number] {
    const d = ApexDate.fromEpochDay(today);
    const y = d.year;
    const m = d.month - 1;
    const weekday = weekdayOf(today);
    const week = today - ((weekday - weekStart + 7) % 7);
    const day = (utcMs: number) => Math.round(utcMs / DAY);
    const month = (k: number) => day(Date.UTC(y, m + k, 1));
    const q0 = Math.floor(m / 3) * 3;
    const quarter = (k: number) => day(Date.UTC(y, q0 + 3 * k, 1));
    const year = (k: number) => day(Date.UTC(y + k, 0, 1));
    const N = n ?? 0;
    switch (name) {
        case 'yesterday':
            return [today - 1, today];
        case 'today':
            return [today, today + 1];
        case 'tomorrow':
            return [today + 1, today + 2];
        case 'last_week':
            return [week - 7, week];
        case 'this_week':
            return [week, week + 7];
        case 'next_week':
            return [week + 7, week + 14];
        case 'last_month':
            return [month(-1), month(0)];
        case 'this_month':
            return [month(0), month(1)];
        case 'next_month':
            return [month(1), month(2)];
        case 'last_90_days':
            return [today - 90, today + 1];
        case 'next_90_days':
            return [today + 1, today + 91];
        case 'this_quarter':
            return [quarter(0), quarter(1)];
        case 'last_quarter':
            return [quarter(-1), quarter(0)];
        case 'next_quarter':
            return [quarter(1), quarter(2)];
        case 'this_year':
            return [year(0), year(1)];
        case 'last_year':
            return [year(-1), year(0)];
        case 'next_year':
            return [year(1), year(2)];
        // "LAST_N_DAYS:n ... starts with the current day and continues for the past n days"
        case 'last_n_days':
            return [today - N, today + 1];
        // "NEXT_N_DAYS:n ... does not include the current day"
        case 'next_n_days':
            return [today + 1, today + N + 1];
        case 'n_days_ago':
            return [today - N, today - N + 1];
        case 'last_n_weeks':
            return [week - N * 7, week];
        case 'next_n_weeks':
            return [week + 7, week + (N + 1) * 7];
        case 'n_weeks_ago':
            return [week - N * 7, week - (N - 1) * 7];
        case 'last_n_months':
            return [month(-N), month(0)];
        case 'next_n_months':
            return [month(1), month(N + 1)];
        case 'n_months_ago':
            return [month(-N), month(-N + 1)];
        case 'last_n_quarters':
            return [quarter(-N), quarter(0)];
        case 'next_n_quarters':
            return [quarter(1), quarter(N + 1)];
        case 'n_quarters_ago':
            return [quarter(-N), quarter(-N + 1)];
        case 'last_n_years':
            return [year(-N), year(0)];
        case 'next_n_years':
            return [year(1), year(N + 1)];
        case 'n_years_ago':
            return [year(-N), year(-N + 1)];
        default:
            return qerr(`not supported locally: date literal ${name.toUpperCase()}`);
    }
}

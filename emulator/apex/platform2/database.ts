/**
 * `Database` methods and their result types, `AccessLevel`, DmlException details, `Test.getStandardPricebookId`,
 * `FeatureManagement.checkPermission`, `Security.stripInaccessible`, UserInfo ids.
 * Apex Reference: "Database Class", "Database.SaveResult Class", "Database.Error Class", "AccessLevel Class",
 * "DmlException Class", "Security Class", "SObjectAccessDecision Class", "FeatureManagement Class".
 */
import type { ApexContext } from '../runtime/context.js';
import { ApexError } from '../runtime/errors.js';
import type { NativeRegistry } from '../runtime/natives.js';
import {
    ApexId,
    ApexList,
    ApexMap,
    ApexObject,
    ApexSet,
    EnumValue,
    NativeObject,
    T
} from '../runtime/values.js';
import { recordList, resultValue, sideOf, translate } from '../data/index.js';
import type { DmlOp, DmlRowResult } from '../data/dml.js';
import type { Savepoint } from '../data/db.js';
import { SObjectRecord } from '../data/record.js';
import type { Bind } from '../data/soql/ast.js';
import { SObjectFieldToken } from './schema.js';
import { enumValue } from './enums.js';

// ------------------------------------------------------------------------------------------ values

export class AccessLevelValue extends NativeObject<{
    mode: 'USER_MODE' | 'SYSTEM_MODE';
    toString(): string;
}> {
    constructor(mode: 'USER_MODE' | 'SYSTEM_MODE') {
        super('accesslevel', { mode, toString: () => mode });
    }
    override toString(): string {
        return this.state.mode;
    }
}
const USER_MODE = new AccessLevelValue('USER_MODE');
const SYSTEM_MODE = new AccessLevelValue('SYSTEM_MODE');

type ResultKind =
    | 'database.saveresult'
    | 'database.upsertresult'
    | 'database.deleteresult'
    | 'database.undeleteresult';

class DmlResult extends NativeObject<DmlRowResult> {
    constructor(kind: ResultKind, r: DmlRowResult) {
        super(kind, r);
    }
    override toString(): string {
        const s = this.state;
        return `${this.type === 'database.saveresult' ? 'Database.SaveResult' : this.type}[getErrors=(${s.errors.map((e) => e.message).join(', ')});getId=${s.id?.v ?? 'null'};isSuccess=${s.success};]`;
    }
}

export class DbError extends NativeObject<{ message: string; statusCode: string; fields: string[] }> {
    constructor(e: { message: string; statusCode: string; fields: string[] }) {
        super('database.error', e);
    }
    override toString(): string {
        return `Database.Error[getFields=(${this.state.fields.join(', ')});getMessage=${this.state.message};getStatusCode=${this.state.statusCode};]`;
    }
}

class SavepointValue extends NativeObject<Savepoint> {
    constructor(sp: Savepoint) {
        super('system.savepoint', sp);
    }
}

class AccessDecision extends NativeObject<{ records: ApexList; removed: Map<string, Set<string>> }> {
    constructor(s: { records: ApexList; removed: Map<string, Set<string>> }) {
        super('system.sobjectaccessdecision', s);
    }
}

export class QueryLocator extends NativeObject<{
    text: string | null;
    records: SObjectRecord[] | null;
    bind: (b: Bind) => unknown;
}> {
    constructor(s: { text: string | null; records: SObjectRecord[] | null; bind: (b: Bind) => unknown }) {
        super('database.querylocator', s);
    }
}

// ------------------------------------------------------------------------------------------ helpers

function str(v: unknown): string {
    return v === null || v === undefined ? '' : String(v);
}

function isList(v: unknown): v is ApexList {
    return v instanceof ApexList;
}

/** Splits the optional trailing arguments of a Database DML method: allOrNone, AccessLevel, DMLOptions. */
function dmlOptions(args: unknown[]): { allOrNone: boolean; userMode: boolean } {
    let allOrNone = true;
    let userMode = false;
    for (const a of args) {
        if (typeof a === 'boolean') allOrNone = a;
        else if (a instanceof AccessLevelValue) userMode = a.state.mode === 'USER_MODE';
        else if (a instanceof NativeObject && a.type === 'database.dmloptions') {
            const o = a.state as { optAllOrNone?: boolean | null };
            if (o.optAllOrNone !== undefined && o.optAllOrNone !== null) allOrNone = o.optAllOrNone;
        } else if (a !== null && a !== undefined)
            throw new ApexError(
                'UnexpectedException',
                `not supported locally: Database DML option ${str(a)}`
            );
    }
    return { allOrNone, userMode };
}

function records(ctx: ApexContext, target: unknown, op: DmlOp): SObjectRecord[] {
    if (target === null || target === undefined)
        throw new ApexError('NullPointerException', 'Attempt to de-reference a null object');
    const items = isList(target) ? target.items : [target];
    const org = sideOf(ctx).org;
    return items.map((x) => {
        if (x instanceof SObjectRecord) return x;
        // delete / undelete accept Ids.
        const id = x instanceof ApexId ? x : typeof x === 'string' ? ApexId.tryParse(x) : null;
        if (id && (op === 'delete' || op === 'undelete')) {
            const def = org.schema.objectForPrefix(id.prefix);
            if (!def) throw new ApexError('DmlException', `Invalid id: ${id.v}`);
            const r = new SObjectRecord(def);
            r.setRaw('Id', id);
            return r;
        }
        throw new ApexError('TypeException', `not supported locally: Database.${op} of ${str(x)}`);
    });
}

const RESULT_KIND: Record<DmlOp, ResultKind> = {
    insert: 'database.saveresult',
    update: 'database.saveresult',
    upsert: 'database.upsertresult',
    delete: 'database.deleteresult',
    undelete: 'database.undeleteresult'
};

function runDml(ctx: ApexContext, op: DmlOp, args: unknown[]): unknown {
    const target = args[0];
    let rest = args.slice(1);
    let ext: string | undefined;
    if (op === 'upsert' && rest.length && (rest[0] instanceof SObjectFieldToken || rest[0] === null)) {
        ext = rest[0] instanceof SObjectFieldToken ? rest[0].state.field.name : undefined;
        rest = rest.slice(1);
    }
    const opts = dmlOptions(rest);
    const recs = records(ctx, target, op);
    const res = sideOf(ctx).dml(ctx, op, recs, {
        allOrNone: opts.allOrNone,
        externalIdField: ext,
        userMode: opts.userMode
    });
    const out = res.map((r) => new DmlResult(RESULT_KIND[op], r));
    return isList(target) ? new ApexList({ name: RESULT_KIND[op] }, out) : out[0];
}

/** Bind resolver for dynamic SOQL: a Map (queryWithBinds) or the caller's variables (Database.query). */
export function binder(ctx: ApexContext, map: ApexMap | null): (b: Bind) => unknown {
    return (b) => {
        if (map) {
            for (const [k, kv] of map.keys) if (str(kv) === b.text) return map.values.get(k);
            throw new ApexError('QueryException', `Key '${b.text}' does not exist in the bindMap`);
        }
        const evalBind = (ctx as unknown as { evalBind?: (text: string) => unknown }).evalBind;
        if (!evalBind)
            throw new ApexError(
                'UnexpectedException',
                `not supported locally: Database.query bind variable :${b.text} at ${ctx.pos().file}:${ctx.pos().line} (use Database.queryWithBinds)`
            );
        return evalBind.call(ctx, b.text);
    };
}

export function accessArg(v: unknown): boolean {
    return v instanceof AccessLevelValue && v.state.mode === 'USER_MODE';
}

// ------------------------------------------------------------------------------------------ install

export function installDatabase(r: NativeRegistry): void {
    r.register({
        name: 'AccessLevel',
        staticFields: { user_mode: () => USER_MODE, system_mode: () => SYSTEM_MODE }
    });

    const query = (ctx: ApexContext, text: unknown, map: ApexMap | null, al: unknown): unknown =>
        resultValue(sideOf(ctx).query(ctx, str(text), binder(ctx, map), accessArg(al)));
    const count = (ctx: ApexContext, text: unknown, map: ApexMap | null, al: unknown): unknown => {
        const res = sideOf(ctx).query(ctx, str(text), binder(ctx, map), accessArg(al));
        if (res.kind !== 'count')
            throw new ApexError('QueryException', 'countQuery needs a SELECT COUNT() query');
        return res.count;
    };
    r.register({
        name: 'Database',
        statics: {
            'query/1': (ctx, [q]) => query(ctx, q, null, null),
            'query/2': (ctx, [q, al]) => query(ctx, q, null, al),
            'querywithbinds/3': (ctx, [q, m, al]) => query(ctx, q, m as ApexMap, al),
            'countquery/1': (ctx, [q]) => count(ctx, q, null, null),
            'countquery/2': (ctx, [q, al]) => count(ctx, q, null, al),
            'countquerywithbinds/3': (ctx, [q, m, al]) => count(ctx, q, m as ApexMap, al),
            insert: (ctx, args) => runDml(ctx, 'insert', args),
            update: (ctx, args) => runDml(ctx, 'update', args),
            upsert: (ctx, args) => runDml(ctx, 'upsert', args),
            delete: (ctx, args) => runDml(ctx, 'delete', args),
            undelete: (ctx, args) => runDml(ctx, 'undelete', args),
            setsavepoint: (ctx) => {
                const side = sideOf(ctx);
                side.sync(ctx);
                // "Each savepoint you set counts against the governor limit for DML statements." (Transaction Control)
                translate(ctx, () => side.org.countDml(0));
                return new SavepointValue(side.org.db.setSavepoint());
            },
            rollback: (ctx, [sp]) => {
                if (!(sp instanceof SavepointValue))
                    throw new ApexError('NullPointerException', 'Attempt to de-reference a null object');
                const side = sideOf(ctx);
                translate(ctx, () => side.org.countDml(0));
                if (!sp.state.valid)
                    throw new ApexError('TypeException', 'Savepoint does not exist in this context');
                side.org.db.rollback(sp.state);
                return null;
            },
            releasesavepoint: () => null,
            'getquerylocator/1': (ctx, [q]) => {
                if (q instanceof ApexList)
                    return new QueryLocator({
                        text: null,
                        records: q.items as SObjectRecord[],
                        bind: binder(ctx, null)
                    });
                return new QueryLocator({ text: str(q), records: null, bind: binder(ctx, null) });
            },
            'getquerylocatorwithbinds/3': (ctx, [q, m]) =>
                new QueryLocator({ text: str(q), records: null, bind: binder(ctx, m as ApexMap) })
        }
    });

    const R = (s: unknown) => (s as DmlResult).state;
    const resultMethods = {
        issuccess: (_c: ApexContext, s: unknown) => R(s).success,
        getid: (_c: ApexContext, s: unknown) => R(s).id,
        geterrors: (_c: ApexContext, s: unknown) =>
            new ApexList(
                { name: 'database.error', display: 'Database.Error' },
                R(s).errors.map((e) => new DbError(e))
            ),
        iscreated: (_c: ApexContext, s: unknown) => R(s).created
    };
    for (const name of [
        'Database.SaveResult',
        'Database.UpsertResult',
        'Database.DeleteResult',
        'Database.UndeleteResult'
    ])
        r.register({ name, methods: resultMethods });
    r.register({
        name: 'Database.Error',
        methods: {
            getmessage: (_c, s) => (s as DbError).state.message,
            getstatuscode: (c, s) => enumValue(c, 'System.StatusCode', (s as DbError).state.statusCode),
            getfields: (_c, s) => new ApexList(T.string, [...(s as DbError).state.fields])
        }
    });
    r.register({
        name: 'Database.DMLOptions',
        constructors: { '0': () => new NativeObject('database.dmloptions', { optAllOrNone: null }) },
        getters: {
            optallornone: (_c, s) => (s as NativeObject<{ optAllOrNone: unknown }>).state.optAllOrNone
        },
        setters: {
            optallornone: (_c, s, v) => {
                (s as NativeObject<{ optAllOrNone: unknown }>).state.optAllOrNone = v;
            }
        }
    });

    // DmlException details (Apex Reference, "DmlException Class"): rows are the failed records, in order.
    const rows = (self: unknown) => ((self as ApexObject).f.$dml as DmlDetail[] | undefined) ?? [];
    const at = (self: unknown, i: unknown): DmlDetail => {
        const l = rows(self);
        if (typeof i !== 'number' || i < 0 || i >= l.length)
            throw new ApexError('ListException', `List index out of bounds: ${str(i)}`);
        return l[i];
    };
    r.register({
        name: 'Exception',
        methods: {
            getnumdml: (_c, s) => rows(s).length,
            getdmlmessage: (_c, s, [i]) => at(s, i).message,
            getdmlfieldnames: (_c, s, [i]) => new ApexList(T.string, [...at(s, i).fields]),
            getdmlfields: (c, s, [i]) => {
                const d = at(s, i);
                const def = d.objectName ? sideOf(c).schema.get(d.objectName) : undefined;
                return new ApexList(
                    { name: 'schema.sobjectfield' },
                    def ? d.fields.map((f) => def.fields.get(f.toLowerCase())).filter((f) => !!f) : []
                );
            },
            getdmlid: (_c, s, [i]) => at(s, i).id,
            getdmlindex: (_c, s, [i]) => at(s, i).index,
            getdmltype: (c, s, [i]) => enumValue(c, 'System.StatusCode', at(s, i).statusCode),
            getinaccessiblefields: (_c, s) => {
                const m = (s as ApexObject).f.$inaccessible as Map<string, string[]> | undefined;
                const out = new ApexMap(T.string, { name: 'set', args: [T.string] });
                for (const [k, v] of m ?? []) {
                    const set = new ApexSet(T.string);
                    for (const f of v) set.map.set(f, f);
                    out.keys.set(k, k);
                    out.values.set(k, set);
                }
                return out;
            }
        }
    });

    r.register({
        name: 'Test',
        statics: {
            getstandardpricebookid: (ctx) => {
                const side = sideOf(ctx);
                side.sync(ctx);
                return side.org.standardPricebookId;
            }
        }
    });

    r.register({
        name: 'FeatureManagement',
        statics: {
            checkpermission: (ctx, [name]) => {
                const side = sideOf(ctx);
                side.sync(ctx);
                if (
                    !side.schema.customPermissions.has(str(name)) &&
                    ![...side.schema.customPermissions].some(
                        (p) => p.toLowerCase() === str(name).toLowerCase()
                    )
                ) {
                    // Unknown custom permission names are not an error in an org: checkPermission returns false.
                    return false;
                }
                return side.org.access(ctx.user.id).hasCustomPermission(str(name));
            }
        }
    });

    r.register({
        name: 'Security',
        statics: {
            stripinaccessible: (ctx, args) => {
                const [type, list] = args as [EnumValue, ApexList];
                const side = sideOf(ctx);
                side.sync(ctx);
                const access = side.org.access(ctx.user.id);
                const mode = type.name;
                const removed = new Map<string, Set<string>>();
                const out: SObjectRecord[] = [];
                for (const x of list?.items ?? []) {
                    const rec = x as SObjectRecord;
                    const def = rec.def;
                    const objOk =
                        mode === 'READABLE'
                            ? access.canRead(def)
                            : mode === 'CREATABLE'
                              ? access.canCreate(def)
                              : mode === 'UPDATABLE'
                                ? access.canEdit(def)
                                : access.canCreate(def) && access.canEdit(def);
                    if (!objOk) throw new ApexError('NoAccessException', `No access to entity`);
                    const copy = new SObjectRecord(def);
                    for (const [name, v] of rec.populatedFields()) {
                        const fd = def.fields.get(name.toLowerCase());
                        if (!fd) {
                            copy.setRaw(name, v);
                            continue;
                        }
                        const ok =
                            fd.name === 'Id' ||
                            (mode === 'READABLE'
                                ? access.canReadField(def, fd)
                                : mode === 'CREATABLE'
                                  ? access.canEditField(def, fd, true)
                                  : mode === 'UPDATABLE'
                                    ? access.canEditField(def, fd, false)
                                    : access.canEditField(def, fd, true) &&
                                      access.canEditField(def, fd, false));
                        if (ok) copy.setRaw(fd.name, v);
                        else {
                            const s = removed.get(def.name) ?? new Set<string>();
                            s.add(fd.name);
                            removed.set(def.name, s);
                        }
                    }
                    out.push(copy);
                }
                return new AccessDecision({
                    records: recordList(list.elemType.display ?? list.elemType.name, out),
                    removed
                });
            }
        }
    });
    r.register({
        name: 'System.SObjectAccessDecision',
        methods: {
            getrecords: (_c, s) => (s as AccessDecision).state.records,
            getremovedfields: (_c, s) => {
                const m = new ApexMap(T.string, { name: 'set', args: [T.string] });
                for (const [k, v] of (s as AccessDecision).state.removed) {
                    const set = new ApexSet(T.string);
                    for (const f of v) set.map.set(f, f);
                    m.keys.set(k, k);
                    m.values.set(k, set);
                }
                return m;
            },
            getmodifiedindexes: (_c, s) => {
                const set = new ApexSet(T.integer);
                (s as AccessDecision).state.records.items.forEach((_x, i) => {
                    if ((s as AccessDecision).state.removed.size) set.map.set(i, i);
                });
                return set;
            }
        }
    });
}

export interface DmlDetail {
    message: string;
    statusCode: string;
    fields: string[];
    id: ApexId | null;
    index: number;
    objectName?: string;
}

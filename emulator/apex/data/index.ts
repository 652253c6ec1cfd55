/**
 * The data side of the local Apex runtime: installs the SOQL, DML, SObject, transaction and async
 * hooks (runtime/hooks.ts) on an interpreter and keeps one local org per interpreter.
 * See ../ARCHITECTURE.md for the seams and README.md for what is emulated.
 */
import type { ApexContext } from '../runtime/context.js';
import type { Hooks, SourcePos } from '../runtime/hooks.js';
import { ApexError } from '../runtime/errors.js';
import {
    ApexId,
    ApexList,
    ApexMap,
    ApexObject,
    T,
    isSObject,
    keyOf,
    listOf,
    type TypeRef
} from '../runtime/values.js';
import { LIMIT_MAXIMA, limitOf, newLimitCounters, type AsyncContext } from '../runtime/context.js';
import type { DmlOp, DmlRowResult, MergeRowResult, TriggerCall, TriggerEventName } from './dml.js';
import { ApexSignal } from './errors.js';
import { DmlFailure } from './dml.js';
import { DataOrg } from './org.js';
import { SObjectRecord, lowerName } from './record.js';
import { loadProjectSchema, type ObjectDef, type Schema } from './schema.js';
import type { QueryResult } from './soql/eval.js';
import type { SearchResult } from './search.js';
import type { Bind } from './soql/ast.js';

/** Key in `ctx.test.extra` of the ids given to Test.setFixedSearchResults in the running test method. */
export const FIXED_SEARCH_RESULTS = 'data.fixedSearchResults';

export interface DataRuntime {
    readonly hooks: Hooks;
}

/** Work queued for later in the transaction (Queueable, @future, batch, scheduled jobs). */
export interface AsyncJob {
    readonly kind: 'queueable' | 'future' | 'batch' | 'schedule';
    readonly jobId: ApexId | null;
    readonly description: string;
    /** Runs the job in its own transaction. */
    readonly run: () => void;
    /** Depth of queueable chaining (0 = enqueued by a synchronous transaction). */
    readonly depth: number;
    /** Earliest time (ms) the job may run (AsyncOptions / enqueueJob delay). */
    readonly notBefore: number;
}

export class DataSide {
    readonly org: DataOrg;
    readonly queue: AsyncJob[] = [];
    /** The freshly seeded org, restored before a test class without @TestSetup. */
    pristine: unknown = undefined;
    /** The Queueable being executed (System.attachFinalizer attaches to it). */
    currentJob: { jobId: ApexId | null; finalizer: unknown } | null = null;
    /** Scheduled jobs by CronTrigger id (15 characters). */
    readonly scheduled = new Map<string, { fire: () => void; next: () => number | null }>();
    /** Why callouts are refused in the running job (e.g. a Queueable without Database.AllowsCallouts), or null. */
    calloutsForbidden: string | null = null;
    /** Set when DML has run since the last commit point (callouts then fail). */
    uncommitted: { started: boolean } | null = null;
    /** Queueable chaining depth of the job being executed (-1 outside jobs). */
    currentDepth = -1;
    /** Mixed-DML state per running user (System.runAs starts a separate one). */
    private mixedByUser = new WeakMap<object, { setup: string | null; nonSetup: string | null }>();

    /** A new transaction: no mixed DML yet for any user. Returns the previous state (see restoreMixed). */
    resetMixed(): WeakMap<object, { setup: string | null; nonSetup: string | null }> {
        const previous = this.mixedByUser;
        this.mixedByUser = new WeakMap();
        return previous;
    }

    /** Back to the caller's mixed-DML state after a nested transaction (an async job run at Test.stopTest). */
    restoreMixed(previous: WeakMap<object, { setup: string | null; nonSetup: string | null }>): void {
        this.mixedByUser = previous;
    }

    /**
     * Default maximum depth of a Queueable chain when AsyncOptions sets none. "Queueable Apex": no limit is
     * enforced on the depth of chained jobs, except in Developer Edition and Trial orgs, where the maximum
     * stack depth is 5 (AsyncOptions.MaximumQueueableStackDepth overrides that default). The local org
     * behaves as a production org (null = no limit); a host may set 5 to emulate a Developer Edition org.
     */
    defaultQueueableStackDepth: number | null = null;

    constructor(readonly schema: Schema) {
        this.org = new DataOrg(schema);
    }

    /** Points the org at the interpreter state of the current call (clock, user, limits, test mode). */
    sync(ctx: ApexContext): DataOrg {
        const o = this.org;
        o.now = () => ctx.now();
        o.userZone = () => ({ timeZone: ctx.user.timeZone, locale: ctx.user.locale });
        if (
            ctx.user.id.to15() !== o.adminUserId.to15() &&
            !o.db.find(ctx.user.id) &&
            ctx.user.profileName === 'System Administrator' &&
            ctx.user.extra.record === undefined
        ) {
            // The interpreter's default user is the org's admin.
            ctx.user = { ...ctx.user, id: o.adminUserId };
        }
        o.userId = ctx.user.id;
        const u = ctx.user;
        if (u.extra.$syncedFor !== u.id.v) {
            const row = o.db.find(u.id);
            if (row) {
                const profile = o.db.find(row.values.get('profileid') as ApexId | null);
                const text = (f: string): string | null =>
                    (row.values.get(f) as string | null | undefined) ?? null;
                u.userName = text('username') ?? u.userName;
                u.firstName = text('firstname') ?? '';
                u.lastName = text('lastname') ?? u.lastName;
                u.email = text('email') ?? u.email;
                u.timeZone = text('timezonesidkey') ?? u.timeZone;
                u.locale = text('localesidkey') ?? u.locale;
                u.language = text('languagelocalekey') ?? u.language;
                u.extra.profileId = profile?.id ?? null;
                if (profile) u.profileName = String(profile.values.get('name'));
                u.extra.$syncedFor = u.id.v;
            }
            u.extra.organizationId = o.orgId;
        }
        o.limits = ctx.limits;
        o.isTest = ctx.test.running;
        let m = this.mixedByUser.get(ctx.user);
        if (!m) {
            m = { setup: null, nonSetup: null };
            this.mixedByUser.set(ctx.user, m);
        }
        Object.assign(o.mixed, m);
        return o;
    }

    private saveMixed(ctx: ApexContext): void {
        const m = this.mixedByUser.get(ctx.user);
        if (m) Object.assign(m, this.org.mixed);
    }

    /** Runs a query for the hooks and natives; rows come back as a typed List. */
    query(ctx: ApexContext, text: string, bind: (b: Bind) => unknown, userMode = false): QueryResult {
        const org = this.sync(ctx);
        return translate(ctx, () => org.query(text, bind, { userMode }));
    }

    /**
     * Runs SOSL text for the hook and Search.query: "Total number of SOSL queries issued: 20" per transaction
     * (Execution Governors and Limits). In a test method the rows are the ids of Test.setFixedSearchResults,
     * none when it was not called (Apex Developer Guide, "Adding SOSL Queries to Unit Tests").
     */
    search(ctx: ApexContext, text: string, bind: (b: Bind) => unknown, userMode = false): SearchResult[] {
        const org = this.sync(ctx);
        if (++ctx.limits.soslQueries > LIMIT_MAXIMA.soslQueries)
            throw new ApexError('LimitException', `Too many SOSL queries: ${ctx.limits.soslQueries}`);
        const fixed = ctx.test.running
            ? ((ctx.test.extra.get(FIXED_SEARCH_RESULTS) as ApexId[] | undefined) ?? [])
            : null;
        return translate(ctx, () => org.search(text, bind, { userMode, fixedIds: fixed }));
    }

    dml(
        ctx: ApexContext,
        op: DmlOp,
        records: SObjectRecord[],
        opts: { allOrNone?: boolean; externalIdField?: string; userMode?: boolean }
    ): DmlRowResult[] {
        return this.write(
            ctx,
            (org) => org.dml(op, records, opts),
            (res) => res.some((r) => r.success)
        );
    }

    /** `merge` and Database.merge: the master record and its duplicates (records of the same object). */
    merge(
        ctx: ApexContext,
        master: SObjectRecord,
        duplicates: SObjectRecord[],
        opts: { allOrNone?: boolean; userMode?: boolean }
    ): MergeRowResult {
        return this.write(
            ctx,
            (org) => org.merge(master, duplicates, opts),
            (res) => res.success
        );
    }

    /** Runs a write with the triggers of this interpreter; successful DML leaves uncommitted work (no callouts). */
    private write<R>(ctx: ApexContext, run: (org: DataOrg) => R, saved: (res: R) => boolean): R {
        const org = this.sync(ctx);
        org.triggerRunner = (def, event, call) => runTriggers(ctx, def, event, call);
        try {
            const res = translate(ctx, () => run(org));
            if (saved(res)) this.uncommitted = { started: ctx.test.started };
            return res;
        } finally {
            this.saveMixed(ctx);
        }
    }

    /** A callout may not follow uncommitted DML ("You have uncommitted work pending"). */
    hasUncommittedWork(ctx: ApexContext): boolean {
        return this.uncommitted !== null && this.uncommitted.started === ctx.test.started;
    }
}

const sides = new WeakMap<object, DataSide>();

/** The data side installed on an interpreter (natives use this with their ctx). */
export function sideOf(ctx: ApexContext): DataSide {
    const s = sides.get(ctx);
    if (!s)
        throw new ApexError(
            'UnexpectedException',
            'not supported locally: data operations without the data side installed'
        );
    return s;
}

/** Turns an ApexSignal carrying extra state into an Apex exception object that keeps it. */
export function translate<R>(ctx: ApexContext, fn: () => R): R {
    try {
        return fn();
    } catch (e) {
        if (e instanceof DmlFailure) {
            const ex = ctx.newException(e.type, e.message);
            ex.f.$frames = e.frames;
            // DmlException row details: the failed rows in order (Apex Reference, "DmlException Class").
            ex.f.$dml = e.results
                .map((r, index) => ({ r, index }))
                .filter(({ r }) => !r.success)
                .map(({ r, index }) => ({
                    message: r.errors[0]?.message ?? '',
                    statusCode: r.errors[0]?.statusCode ?? '',
                    fields: r.errors[0]?.fields ?? [],
                    id: r.id,
                    index,
                    objectName: e.objectName
                }));
            throw ex;
        }
        if (e instanceof ApexSignal && e.extra !== undefined) {
            const ex = ctx.newException(e.type, e.message);
            ex.f.$frames = e.frames;
            ex.f.$data = e.extra;
            throw ex;
        }
        throw e;
    }
}

export function listType(def: ObjectDef | string): TypeRef {
    const name = typeof def === 'string' ? def : def.name;
    return { name: name.toLowerCase(), display: name };
}

export function recordList(def: ObjectDef | string, items: unknown[]): ApexList {
    return new ApexList(listType(def), items);
}

export function idMap(def: ObjectDef, records: SObjectRecord[]): ApexMap {
    const m = new ApexMap(T.id, listType(def));
    for (const r of records) {
        const id = r.id;
        if (!id) continue;
        const k = keyOf(id);
        m.keys.set(k, id);
        m.values.set(k, r);
    }
    return m;
}

function runTriggers(ctx: ApexContext, def: ObjectDef, event: TriggerEventName, call: TriggerCall): void {
    const newList = call.newList ? recordList(def, call.newList) : null;
    const oldList = call.oldList ? recordList(def, call.oldList) : null;
    // Trigger.newMap is "available in before update, after insert, after update, and after undelete" (Trigger Context Variables).
    const newMap = call.newList && event !== 'before insert' ? idMap(def, call.newList) : null;
    const oldMap = call.oldList ? idMap(def, call.oldList) : null;
    ctx.runTriggers(def.name, event, { newList, oldList, newMap, oldMap });
}

/** SObject records of a DML operand (an SObject or a List of them). */
export function dmlRecords(target: unknown, pos: SourcePos): SObjectRecord[] {
    if (target === null || target === undefined)
        throw new ApexError('NullPointerException', 'Attempt to de-reference a null object');
    if (target instanceof SObjectRecord) return [target];
    if (target instanceof ApexList) {
        return target.items.map((x) => {
            if (x instanceof SObjectRecord) return x;
            if (x === null)
                throw new ApexError(
                    'DmlException',
                    'Insert failed. First exception on row 0; first error: INVALID_OPERATION, null SObject in list: []'
                );
            throw new ApexError(
                'TypeException',
                `not supported locally: DML on ${typeof x} at ${pos.file}:${pos.line}`
            );
        });
    }
    throw new ApexError(
        'TypeException',
        `not supported locally: DML on this value at ${pos.file}:${pos.line}`
    );
}

/** The duplicates of a merge: SObjects, or Ids turned into records of the Id's object. */
export function mergeRecords(schema: Schema, value: unknown, pos: SourcePos): SObjectRecord[] {
    const items = value instanceof ApexList ? value.items : [value];
    return items.map((x) => {
        const id = x instanceof ApexId ? x : typeof x === 'string' ? ApexId.tryParse(x) : null;
        if (!id) return dmlRecords(x, pos)[0];
        const def = schema.objectForPrefix(id.prefix);
        if (!def) throw new ApexError('DmlException', `Invalid id: ${id.v}`);
        const rec = new SObjectRecord(def);
        rec.setRaw('Id', id);
        return rec;
    });
}

/** A SOSL result as Apex sees it: List<List<SObject>>, one list per RETURNING object. */
export function searchValue(lists: readonly SearchResult[]): ApexList {
    return new ApexList(
        listOf(T.sobject),
        lists.map((l) => recordList(l.def, l.records))
    );
}

/** Converts a query result into what Apex sees: List<SObject> rows, or the Integer of COUNT(). */
export function resultValue(res: QueryResult): unknown {
    if (res.kind === 'count') return res.count;
    return recordList(res.def, res.records);
}

export interface InstallOptions {
    schema?: Schema;
}

/** Installs the data side's hooks on an interpreter. */
export function installDataSide(rt: DataRuntime, opts: InstallOptions = {}): DataSide {
    const side = new DataSide(opts.schema ?? loadProjectSchema());
    sides.set(rt, side);
    const h = rt.hooks;
    h.soql = {
        query(ctx, node, binds) {
            return resultValue(side.query(ctx, node.text, (b) => binds(b.index)));
        }
    };
    h.sosl = {
        search(ctx, node, binds) {
            return searchValue(side.search(ctx, node.text, (b) => binds(b.index)));
        }
    };
    h.dml = {
        execute(ctx, stmt, pos) {
            if (stmt.op === 'merge') {
                // "merge sObject sObject", "merge sObject sObject[]", "merge sObject ID", "merge sObject ID[]"
                // (Apex Developer Guide, "Merge Statement").
                const [master] = dmlRecords(stmt.target, pos);
                side.merge(ctx, master, mergeRecords(side.schema, stmt.extra, pos), {
                    allOrNone: true,
                    userMode: stmt.accessLevel === 'user'
                });
                return;
            }
            const recs = dmlRecords(stmt.target, pos);
            const ext = stmt.op === 'upsert' && stmt.extra ? externalIdName(stmt.extra) : undefined;
            side.dml(ctx, stmt.op, recs, {
                allOrNone: true,
                externalIdField: ext,
                userMode: stmt.accessLevel === 'user'
            });
        }
    };
    h.sobjects = {
        isSObjectType(name) {
            return side.schema.get(name) !== undefined;
        },
        canonicalName(name) {
            return side.schema.require(name).name;
        },
        create(_ctx, type, fields) {
            const rec = new SObjectRecord(side.schema.require(type));
            for (const [k, v] of fields) rec.put(k, v);
            return rec;
        },
        creator(type, fieldNames) {
            const lcs = fieldNames.map(lowerName);
            let schema: typeof side.schema | undefined;
            let def: ObjectDef | undefined;
            return (values) => {
                // The type is resolved again only if the data side's schema object changes.
                if (schema !== side.schema || !def) {
                    def = side.schema.require(type);
                    schema = side.schema;
                }
                const rec = new SObjectRecord(def);
                for (let i = 0; i < lcs.length; i++) rec.putLower(lcs[i], fieldNames[i], values[i]);
                return rec;
            };
        }
    };
    h.transaction = {
        begin(ctx) {
            // Test methods start with no queued or scheduled work; outside tests queued jobs and schedules
            // survive the transaction that created them (the host runs them: platform2/async.ts).
            if (ctx.test.running) {
                side.queue.length = 0;
                side.scheduled.clear();
            }
            side.uncommitted = null;
            side.currentDepth = -1;
            side.org.beginTransaction(false);
            side.resetMixed();
            side.sync(ctx);
        },
        snapshot() {
            return side.org.db.snapshot();
        },
        restore(ctx, snap) {
            if (snap === undefined) side.org.db.restore(side.pristine);
            else side.org.db.restore(snap);
            side.queue.length = 0;
            side.uncommitted = null;
            side.sync(ctx);
        },
        runQueuedAsync(ctx) {
            runQueue(ctx, side);
        }
    };
    h.async = {
        enqueueFuture(ctx, description, run) {
            // "Maximum number of methods with the future annotation allowed per Apex invocation: 50; 0 in batch
            // and future contexts; 50 in queueable context" (Execution Governors and Limits); "You can't call a
            // method annotated with @future from a method that also has the @future annotation" (Future Methods).
            const max = limitOf(ctx.limits, 'futureCalls');
            if (max === 0)
                throw new ApexError(
                    'AsyncException',
                    'Future method cannot be called from a future or batch method'
                );
            if (++ctx.limits.futureCalls > max)
                throw new ApexError('LimitException', `Too many future calls: ${ctx.limits.futureCalls}`);
            // Each @future call runs later in its own asynchronous transaction (callouts are not checked
            // against `callout=true`: the hook does not carry the annotation's parameters).
            const job = () => {
                const err = runAsyncTransaction(ctx, side, 'future', -1, true, run);
                if (err !== null) throw err;
            };
            side.queue.push({ kind: 'future', jobId: null, description, run: job, depth: 0, notBefore: 0 });
        }
    };
    side.pristine = side.org.db.snapshot();
    return side;
}

function externalIdName(extra: unknown): string {
    if (typeof extra === 'string') return extra;
    const st = extra as { state?: { field?: { name: string } } } | null;
    if (st?.state?.field) return st.state.field.name;
    if (extra instanceof ApexObject) return String(extra.f.name ?? '');
    return String(extra);
}

/**
 * Runs `body` as a separate asynchronous transaction of kind `kind` (null: not asynchronous Apex, e.g.
 * Test.testInstall) with fresh limits, restoring the caller's afterwards; returns the Apex exception that
 * ended it (its own work rolled back) or null. `allowsCallouts` false or a message refuses callouts.
 */
export function runAsyncTransaction(
    ctx: ApexContext,
    side: DataSide,
    kind: AsyncContext | null,
    depth: number,
    allowsCallouts: boolean | string,
    body: () => void
): unknown {
    const savedLimits = ctx.limits;
    const savedDepth = side.currentDepth;
    const savedForbid = side.calloutsForbidden;
    const savedUncommitted = side.uncommitted;
    const savedAsync = side.org.async;
    ctx.limits = newLimitCounters(kind);
    side.currentDepth = depth;
    side.uncommitted = null;
    side.calloutsForbidden =
        typeof allowsCallouts === 'string'
            ? allowsCallouts
            : allowsCallouts
              ? null
              : 'Callout not allowed from this Queueable: it does not implement Database.AllowsCallouts';
    // An async job is its own transaction: mixed-DML state starts clean ("you can perform one type of DML
    // as part of an asynchronous job and the others in other asynchronous jobs or in the original
    // transaction": Apex Developer Guide, "Mixed DML Operations in Test Methods").
    const savedMixed = side.resetMixed();
    side.org.mixed.setup = null;
    side.org.mixed.nonSetup = null;
    // The org's SOQL/DML counters follow the same maxima as Limits (synchronous ones for scheduled Apex
    // and finalizers: runtime/context.ts limitOf).
    side.org.async = limitOf(ctx.limits, 'queries') !== LIMIT_MAXIMA.queries;
    const sp = side.org.db.setSavepoint();
    const queued = side.queue.length;
    let error: unknown = null;
    try {
        body();
    } catch (e) {
        // An unhandled exception rolls back the job's own work (the transaction fails), and "Queueable jobs
        // enqueued by a transaction aren't processed if the Apex transaction rolls back" ("Queueable Apex",
        // https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_queueing_jobs.htm).
        error = e;
        if (sp.valid) side.org.db.rollback(sp);
        side.queue.splice(queued);
    } finally {
        ctx.limits = savedLimits;
        side.currentDepth = savedDepth;
        side.calloutsForbidden = savedForbid;
        side.uncommitted = savedUncommitted;
        side.restoreMixed(savedMixed);
        side.org.async = savedAsync;
    }
    return error;
}

/**
 * Runs queued async work: "All asynchronous calls made after the startTest method are collected by the
 * system. When stopTest is executed, all asynchronous processes are run synchronously." (Apex Developer
 * Guide, "Using the runAs Method" / "Testing Asynchronous Apex"). Jobs enqueued by those jobs run too,
 * within the documented chaining limits enforced at enqueue time.
 */
export function runQueue(ctx: ApexContext, side: DataSide): void {
    let guard = 0;
    while (side.queue.length) {
        const job = side.queue.shift()!;
        if (++guard > 1000)
            throw new ApexError('LimitException', 'not supported locally: more than 1000 chained async jobs');
        job.run();
    }
}

export { SObjectRecord, DataOrg, isSObject };
export type { Schema, ObjectDef };

/**
 * System, Assert, Limits, UserInfo, Test (core part), Exception, Object, Enum, Type, Trigger natives.
 */
import type { ApexContext, LimitCounters } from '../runtime/context.js';
import { LIMIT_MAXIMA, asyncContextOf, limitOf } from '../runtime/context.js';
import { ApexError, npe, raise } from '../runtime/errors.js';
import type { NativeRegistry } from '../runtime/natives.js';
import * as ops from '../runtime/ops.js';
import {
    ApexDate,
    ApexDatetime,
    ApexList,
    ApexMap,
    ApexObject,
    EnumValue,
    NativeObject,
    TypeToken,
    objectIdentity,
    typeToString
} from '../runtime/values.js';
import type { Interpreter } from '../interp/interpreter.js';
import { localParts, timeZoneValue } from './datetime.js';
import { str } from './util.js';

/** Failure text of assertions, as the platform prints it. */
function assertFail(ctx: ApexContext, detail: string | null, msg: unknown): never {
    const m = msg === null || msg === undefined ? null : ops.stringOf(msg);
    const text =
        m === null
            ? `Assertion Failed${detail ? `: ${detail}` : ''}`
            : `Assertion Failed: ${m}${detail ? `: ${detail}` : ''}`;
    throw new ApexError('AssertException', text);
}

function expectedActual(e: unknown, a: unknown): string {
    return `Expected: ${ops.stringOf(e)}, Actual: ${ops.stringOf(a)}`;
}

function ip(ctx: ApexContext): Interpreter {
    return ctx as Interpreter;
}

export function installSystem(r: NativeRegistry): void {
    r.register({
        name: 'System',
        statics: {
            'debug/1': (ctx, [v]) => ctx.debug('DEBUG', ops.stringOf(v)),
            'debug/2': (ctx, [level, v]) =>
                ctx.debug(level instanceof EnumValue ? level.name : ops.stringOf(level), ops.stringOf(v)),
            'assert/1': (ctx, [c]) => (c === true ? null : assertFail(ctx, null, null)),
            'assert/2': (ctx, [c, m]) => (c === true ? null : assertFail(ctx, null, m)),
            'assertequals/2': (ctx, [e, a]) =>
                ops.equals(e, a) ? null : assertFail(ctx, expectedActual(e, a), null),
            'assertequals/3': (ctx, [e, a, m]) =>
                ops.equals(e, a) ? null : assertFail(ctx, expectedActual(e, a), m),
            'assertnotequals/2': (ctx, [e, a]) =>
                !ops.equals(e, a)
                    ? null
                    : assertFail(ctx, `Expected: ${ops.stringOf(e)}, Actual: ${ops.stringOf(a)}`, null),
            'assertnotequals/3': (ctx, [e, a, m]) =>
                !ops.equals(e, a)
                    ? null
                    : assertFail(ctx, `Expected: ${ops.stringOf(e)}, Actual: ${ops.stringOf(a)}`, m),
            now: (ctx) => new ApexDatetime(ctx.now()),
            today: (ctx) => {
                const p = localParts(ctx.now(), ctx.user.timeZone);
                return new ApexDate(p.year, p.month, p.day);
            },
            currenttimemillis: (ctx) => BigInt(ctx.now()),
            // The transaction's asynchronous kind, set by the job runner (platform2/async.ts) on the limits
            // of each job's own transaction (Apex Reference, "System Class": isBatch, isFuture, isQueueable,
            // isScheduled). In a Transaction Finalizer all four are false (inferred: not documented).
            isbatch: (ctx) => ['batch', 'batchFinish'].includes(asyncContextOf(ctx.limits) ?? ''),
            isfuture: (ctx) => asyncContextOf(ctx.limits) === 'future',
            isqueueable: (ctx) => asyncContextOf(ctx.limits) === 'queueable',
            isscheduled: (ctx) => asyncContextOf(ctx.limits) === 'scheduled',
            requestid: () => 'LOCAL-REQUEST',
            hashcode: (_ctx, [v]) => hashCodeOf(v),
            equals: (_ctx, [a, b]) => ops.equals(a, b)
        }
    });

    const areEqual = (ctx: ApexContext, e: unknown, a: unknown, m: unknown): null =>
        ops.equals(e, a) ? null : assertFail(ctx, expectedActual(e, a), m);
    r.register({
        name: 'Assert',
        statics: {
            'areequal/2': (ctx, [e, a]) => areEqual(ctx, e, a, null),
            'areequal/3': (ctx, [e, a, m]) => areEqual(ctx, e, a, m),
            'arenotequal/2': (ctx, [e, a]) =>
                !ops.equals(e, a)
                    ? null
                    : assertFail(ctx, `Expected: ${ops.stringOf(e)}, Actual: ${ops.stringOf(a)}`, null),
            'arenotequal/3': (ctx, [e, a, m]) =>
                !ops.equals(e, a)
                    ? null
                    : assertFail(ctx, `Expected: ${ops.stringOf(e)}, Actual: ${ops.stringOf(a)}`, m),
            'istrue/1': (ctx, [c]) => (c === true ? null : assertFail(ctx, null, null)),
            'istrue/2': (ctx, [c, m]) => (c === true ? null : assertFail(ctx, null, m)),
            'isfalse/1': (ctx, [c]) => (c === false ? null : assertFail(ctx, null, null)),
            'isfalse/2': (ctx, [c, m]) => (c === false ? null : assertFail(ctx, null, m)),
            'isnull/1': (ctx, [v]) =>
                v === null ? null : assertFail(ctx, `Expected: null, Actual: ${ops.stringOf(v)}`, null),
            'isnull/2': (ctx, [v, m]) =>
                v === null ? null : assertFail(ctx, `Expected: null, Actual: ${ops.stringOf(v)}`, m),
            'isnotnull/1': (ctx, [v]) => (v !== null ? null : assertFail(ctx, null, null)),
            'isnotnull/2': (ctx, [v, m]) => (v !== null ? null : assertFail(ctx, null, m)),
            'fail/0': (ctx) => assertFail(ctx, null, null),
            'fail/1': (ctx, [m]) => assertFail(ctx, null, m),
            'isinstanceoftype/2': (ctx, [v, t]) =>
                t instanceof TypeToken && ctx.isInstance(v, t.type)
                    ? null
                    : assertFail(ctx, `Expected instance of ${ops.stringOf(t)}`, null),
            'isinstanceoftype/3': (ctx, [v, t, m]) =>
                t instanceof TypeToken && ctx.isInstance(v, t.type)
                    ? null
                    : assertFail(ctx, `Expected instance of ${ops.stringOf(t)}`, m),
            'isnotinstanceoftype/2': (ctx, [v, t]) =>
                t instanceof TypeToken && !ctx.isInstance(v, t.type)
                    ? null
                    : assertFail(ctx, `Expected not instance of ${ops.stringOf(t)}`, null),
            'isnotinstanceoftype/3': (ctx, [v, t, m]) =>
                t instanceof TypeToken && !ctx.isInstance(v, t.type)
                    ? null
                    : assertFail(ctx, `Expected not instance of ${ops.stringOf(t)}`, m)
        }
    });

    const limitStatics: Record<string, (ctx: ApexContext, args: unknown[]) => unknown> = {};
    // Limits.getQueries() / getLimitQueries() ... for every counter (names are case-insensitive).
    for (const key of Object.keys(LIMIT_MAXIMA) as (keyof typeof LIMIT_MAXIMA)[]) {
        limitStatics[`get${key}`] = (ctx) => ctx.limits[key];
        // Asynchronous transactions have their own maxima (runtime/context.ts limitOf).
        limitStatics[`getlimit${key}`] = (ctx) => limitOf(ctx.limits, key);
    }
    // CPU time: wall-clock milliseconds since the transaction started (the local machine is not the
    // platform's, so the 10,000 ms limit is reported but not enforced).
    limitStatics.getcputime = (ctx) => Math.round(performance.now() - ip(ctx).txStart);
    r.register({ name: 'Limits', statics: limitStatics });

    r.register({
        name: 'UserInfo',
        statics: {
            getuserid: (ctx) => ctx.user.id,
            getusername: (ctx) => ctx.user.userName,
            getname: (ctx) => `${ctx.user.firstName} ${ctx.user.lastName}`.trim(),
            getfirstname: (ctx) => ctx.user.firstName,
            getlastname: (ctx) => ctx.user.lastName,
            getuseremail: (ctx) => ctx.user.email,
            getlocale: (ctx) => ctx.user.locale,
            getlanguage: (ctx) => ctx.user.language,
            gettimezone: (ctx) => timeZoneValue(ctx.user.timeZone),
            getorganizationid: (ctx) => (ctx.user.extra.organizationId as unknown) ?? ctxOrgId(),
            getorganizationname: () => 'Local Org',
            getuserType: () => 'Standard',
            getdefaultcurrency: () => 'USD',
            isMultiCurrencyOrganization: () => false,
            getprofileid: (ctx) => (ctx.user.extra.profileId as unknown) ?? null
        }
    });

    r.register({
        name: 'Test',
        statics: {
            isrunningtest: (ctx) => ctx.test.running,
            starttest: (ctx) => {
                if (ctx.test.startCalled) raise('FinalException', 'Testing already started');
                ctx.test.startCalled = true;
                ctx.test.started = true;
                // Limits reset for the code between startTest and stopTest.
                const saved = ctx.limits;
                ctx.test.extra.set('limitsBeforeStart', saved);
                ip(ctx).limits = {
                    ...saved,
                    queries: 0,
                    queryRows: 0,
                    dmlStatements: 0,
                    dmlRows: 0,
                    callouts: 0,
                    calloutTime: 0,
                    futureCalls: 0,
                    queueableJobs: 0,
                    soslQueries: 0
                };
                return null;
            },
            stoptest: (ctx) => {
                if (!ctx.test.started) {
                    if (!ctx.test.startCalled) raise('FinalException', 'Testing has not started');
                }
                ctx.test.started = false;
                ctx.hooks.transaction.runQueuedAsync(ctx);
                const before = ctx.test.extra.get('limitsBeforeStart') as LimitCounters | undefined;
                // Kept for the test runner's per-method limit report.
                ctx.test.extra.set('limitsInStartTest', ctx.limits);
                if (before) ip(ctx).limits = before;
                return null;
            }
        }
    });

    // Exception methods (built-in and custom exceptions).
    const msgOf = (self: unknown): unknown => (self as ApexObject).f.$message ?? null;
    r.register({
        name: 'Exception',
        methods: {
            getmessage: (ctx, self) => {
                const o = self as ApexObject;
                // AuraHandledException.getMessage() returns 'Script-thrown exception' unless setMessage was called.
                if (o.cls.name === 'aurahandledexception' && o.f.$messageSet !== true)
                    return 'Script-thrown exception';
                return msgOf(self);
            },
            setmessage: (_ctx, self, [m]) => {
                (self as ApexObject).f.$message = m;
                (self as ApexObject).f.$messageSet = true;
                return null;
            },
            getcause: (_ctx, self) => (self as ApexObject).f.$cause ?? null,
            initcause: (_ctx, self, [c]) => {
                (self as ApexObject).f.$cause = c;
                return null;
            },
            getlinenumber: (_ctx, self) => {
                const frames = ((self as ApexObject).f.$frames as { line: number }[] | undefined) ?? [];
                return frames.length > 0 ? frames[0].line : -1;
            },
            getstacktracestring: (ctx, self) => ip(ctx).stackTraceString(self as ApexObject),
            gettypename: (ctx, self) => ip(ctx).exceptionTypeName(self as ApexObject),
            tostring: (ctx, self) => ops.stringOf(self),
            getdmlmessage: (ctx, self, [i]) => dmlField(self, i, 'message'),
            getnumdml: (_ctx, self) => ((self as ApexObject).f.$dml as unknown[] | undefined)?.length ?? 0,
            hashcode: (_ctx, self) => hashCodeOf(self),
            equals: (_ctx, self, [o]) => self === o
        }
    });

    r.register({
        name: 'Object',
        methods: {
            tostring: (_ctx, self) => ops.stringOf(self),
            hashcode: (_ctx, self) => hashCodeOf(self),
            equals: (_ctx, self, [o]) => ops.equals(self, o)
        }
    });

    r.register({
        name: 'Enum',
        methods: {
            name: (_ctx, self) => (self as EnumValue).name,
            ordinal: (_ctx, self) => (self as EnumValue).ordinal,
            tostring: (_ctx, self) => (self as EnumValue).name,
            equals: (_ctx, self, [o]) => self === o,
            hashcode: (_ctx, self) => hashString((self as EnumValue).name)
        }
    });

    r.register({
        name: 'Type',
        statics: {
            'forname/1': (ctx, [n]) => {
                const t = ctx.resolveTypeName(str(n));
                return t ? new TypeToken(t) : null;
            },
            'forname/2': (ctx, [ns, n]) => {
                const t = ctx.resolveTypeName(ns === null || ns === '' ? str(n) : `${str(ns)}.${str(n)}`);
                return t ? new TypeToken(t) : null;
            }
        },
        methods: {
            getname: (_ctx, self) => typeToString((self as TypeToken).type),
            tostring: (_ctx, self) => typeToString((self as TypeToken).type),
            newinstance: (ctx, self) => ip(ctx).compiler.instantiate((self as TypeToken).type, [], ctx.pos()),
            isassignablefrom: (ctx, self, [other]) => {
                const a = (self as TypeToken).type;
                const b = (other as TypeToken).type;
                if (a.name === b.name || a.name === 'object') return true;
                const c = (ctx as Interpreter).classOf(b);
                return !!c && c.isSubtypeOf(a.name);
            },
            equals: (_ctx, self, [o]) =>
                o instanceof TypeToken && (self as TypeToken).type.name === o.type.name,
            hashcode: (_ctx, self) => hashString((self as TypeToken).type.name)
        }
    });

    // System.Version (Apex Reference, "Version Class"): major.minor[.patch] of a package version.
    type Ver = { major: number; minor: number; patch: number | null; toString(): string };
    const V = (self: unknown): Ver => (self as NativeObject<Ver>).state;
    const mkVer = (major: number, minor: number, patch: number | null): NativeObject<Ver> =>
        new NativeObject<Ver>('version', {
            major,
            minor,
            patch,
            toString: () => (patch === null ? `${major}.${minor}` : `${major}.${minor}.${patch}`)
        });
    r.register({
        name: 'Version',
        constructors: {
            '2': (_ctx, [a, b]) => mkVer(a as number, b as number, null),
            '3': (_ctx, [a, b, c]) => mkVer(a as number, b as number, c as number)
        },
        methods: {
            major: (_ctx, self) => V(self).major,
            minor: (_ctx, self) => V(self).minor,
            patch: (_ctx, self) => V(self).patch,
            compareto: (_ctx, self, [o]) => {
                const a = V(self);
                const b = V(o);
                return a.major - b.major || a.minor - b.minor || (a.patch ?? 0) - (b.patch ?? 0);
            },
            tostring: (_ctx, self) => V(self).toString()
        }
    });

    const trig = (ctx: ApexContext) => {
        const s = ip(ctx).triggerStack;
        return s.length > 0 ? s[s.length - 1] : null;
    };
    r.register({
        name: 'Trigger',
        staticFields: {
            new: (ctx) => trig(ctx)?.vars.newList ?? null,
            old: (ctx) => trig(ctx)?.vars.oldList ?? null,
            newmap: (ctx) => trig(ctx)?.vars.newMap ?? null,
            oldmap: (ctx) => trig(ctx)?.vars.oldMap ?? null,
            isexecuting: (ctx) => trig(ctx) !== null,
            isinsert: (ctx) => !!trig(ctx)?.event.endsWith('insert'),
            isupdate: (ctx) => !!trig(ctx)?.event.endsWith('update'),
            isdelete: (ctx) => !!trig(ctx)?.event.endsWith(' delete'),
            isundelete: (ctx) => !!trig(ctx)?.event.endsWith('undelete'),
            isbefore: (ctx) => !!trig(ctx)?.event.startsWith('before'),
            isafter: (ctx) => !!trig(ctx)?.event.startsWith('after'),
            size: (ctx) => {
                const t = trig(ctx);
                const l = (t?.vars.newList ?? t?.vars.oldList) as ApexList | null;
                return l ? l.items.length : 0;
            },
            operationtype: (ctx) => {
                const t = trig(ctx);
                if (!t) return null;
                const name = t.event.toUpperCase().replace(' ', '_');
                const en = ctx.resolveTypeName('System.TriggerOperation');
                const info = en ? (ctx as Interpreter).enumOf(en) : null;
                return info ? (info.byName.get(name.toLowerCase()) ?? null) : name;
            }
        }
    });
}

function ctxOrgId(): unknown {
    return null;
}

function dmlField(self: unknown, i: unknown, field: string): unknown {
    const rows = (self as ApexObject).f.$dml as Record<string, unknown>[] | undefined;
    if (!rows || typeof i !== 'number' || i < 0 || i >= rows.length)
        return raise('ListException', `List index out of bounds: ${String(i)}`);
    return rows[i][field] ?? null;
}

/** Java String.hashCode. */
export function hashString(s: string): number {
    let h = 0;
    for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
    return h;
}

export function hashCodeOf(v: unknown): number {
    if (v === null || v === undefined) return npe();
    if (typeof v === 'string') return hashString(v);
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1231 : 1237;
    if (typeof v === 'bigint') return Number(BigInt.asIntN(32, v ^ (v >> 32n)));
    if (v instanceof ApexList) {
        let h = 1;
        for (const x of v.items) h = (Math.imul(31, h) + (x === null ? 0 : hashCodeOf(x))) | 0;
        return h;
    }
    if (v instanceof ApexMap) return hashString(ops.stringOf(v));
    const k = ops.key(v);
    if (typeof k === 'string') return hashString(k);
    if (typeof k === 'object' && k !== null) return hashString(objectIdentity(k));
    return hashString(String(k));
}

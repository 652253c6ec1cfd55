/**
 * Asynchronous Apex: Queueable (System.enqueueJob, delay, AsyncOptions, chaining, Finalizers),
 * Schedulable (System.schedule, CronTrigger/CronJobDetail rows, System.abortJob), Batchable
 * (Database.executeBatch: start / execute per scope / finish) and Test.testInstall.
 *
 * Apex Developer Guide:
 * - "Queueable Apex": System.enqueueJob returns the AsyncApexJob Id; "You can add up to 50 jobs to the
 *   queue with System.enqueueJob in a single transaction"; "When chaining jobs, you can add only one job
 *   from an executing job"; no limit on the depth of chained jobs except in Developer Edition and Trial orgs
 *   (default maximum stack depth 5): the local org is a production org (DataSide.defaultQueueableStackDepth).
 *   In tests a job enqueued by an executing job fails with AsyncException "Maximum stack depth has been
 *   reached." (inferred: tests run one level of jobs at Test.stopTest).
 * - "Testing Asynchronous Apex": jobs queued between Test.startTest and Test.stopTest run synchronously at
 *   Test.stopTest; a scheduled job runs once there; a batch runs start/execute/finish there.
 * - "Transaction Finalizers": System.attachFinalizer in a Queueable; the finalizer runs after the job with
 *   ParentJobResult SUCCESS or UNHANDLED_EXCEPTION.
 * - "Apex Scheduler": System.schedule(name, cronExpression, schedulable) returns the CronTrigger Id.
 * - Every job runs in its own transaction (data/index.ts runAsyncTransaction) whose kind System.isQueueable,
 *   isBatch, isFuture and isScheduled report (Apex Reference, "System Class") and whose maxima Limits reports
 *   and enqueue/executeBatch enforce ("Execution Governors and Limits": runtime/context.ts limitOf), in tests
 *   at Test.stopTest and outside tests when runPendingJobs / runDueScheduledJobs run them.
 * Outside tests, queued jobs run after the transaction that queued them, each in its own transaction
 * (runPendingJobs), and scheduled jobs when their next fire time is due (runDueScheduledJobs). A host that
 * saves its org lists the schedules (scheduledJobs) and registers them again on reopening
 * (restoreScheduledJob).
 */
import type { ApexContext, RunningUser } from '../runtime/context.js';
import { ApexError } from '../runtime/errors.js';
import type { NativeRegistry } from '../runtime/natives.js';
import { asyncContextOf, limitOf } from '../runtime/context.js';
import { ApexDatetime, ApexId, ApexList, ApexObject, EnumValue, NativeObject } from '../runtime/values.js';
import { runAsyncTransaction as asTransaction, sideOf, type DataSide } from '../data/index.js';
import { SObjectRecord } from '../data/record.js';
import { QueryLocator } from './database.js';
import { nextFireTime, parseCron } from './cron.js';
import { enumValue } from './enums.js';

interface JobState {
    jobId: ApexId | null;
    finalizer: unknown;
    toString(): string;
}

function className(ctx: ApexContext, obj: unknown): string {
    if (obj instanceof ApexObject) return obj.cls.displayName;
    return ctx.stringOf(obj);
}

function insertJobRow(
    side: DataSide,
    ctx: ApexContext,
    jobType: string,
    cls: string,
    extra: Record<string, unknown> = {}
): ApexId {
    const org = side.sync(ctx);
    const def = side.schema.require('AsyncApexJob');
    const id = org.db.newId(def);
    const now = new ApexDatetime(ctx.now());
    org.db.insertRow(
        def,
        id,
        new Map<string, unknown>(
            Object.entries({
                jobtype: jobType,
                status: 'Queued',
                createddate: now,
                createdbyid: ctx.user.id,
                methodname: null,
                numberoferrors: 0,
                jobitemsprocessed: 0,
                totaljobitems: 0,
                extendedstatus: null,
                lastprocessed: cls,
                ...extra
            })
        )
    );
    return id;
}

function setJob(side: DataSide, id: ApexId | null, values: Record<string, unknown>): void {
    if (!id) return;
    const row = side.org.db.find(id);
    if (!row) return;
    const v = new Map(row.values);
    for (const [k, x] of Object.entries(values)) v.set(k.toLowerCase(), x);
    side.org.db.updateRow(row, v);
}

function implementsType(ctx: ApexContext, obj: unknown, iface: string): boolean {
    return ctx.isInstance(obj, { name: iface.toLowerCase() });
}

function errorText(ctx: ApexContext, e: unknown): string {
    if (e instanceof ApexObject) return ctx.stringOf(e.f.$message ?? '');
    if (e instanceof ApexError) return e.message;
    return String(e);
}

function rethrowHost(e: unknown): void {
    if (e !== null && !(e instanceof ApexObject) && !(e instanceof ApexError)) throw e;
}

// ---------------------------------------------------------------------------------------- queueable

function enqueue(
    ctx: ApexContext,
    job: unknown,
    opts: { delay: number; maxDepth: number | null; signature: string | null }
): ApexId {
    if (job === null || job === undefined)
        throw new ApexError('NullPointerException', 'Argument cannot be null');
    if (!implementsType(ctx, job, 'queueable'))
        throw new ApexError('TypeException', 'Queueable job must implement Queueable');
    const side = sideOf(ctx);
    const depth = side.currentDepth + 1;
    if (side.currentDepth >= 0 && ctx.test.running)
        throw new ApexError('AsyncException', 'Maximum stack depth has been reached.');
    // "Maximum number of Apex jobs added to the queue with System.enqueueJob: 50 synchronous, 1 asynchronous"
    // (runtime/context.ts limitOf): "In asynchronous transactions (for example, from a batch Apex job), you
    // can add only one job to the queue"; a running Queueable adds its one child job.
    if (++ctx.limits.queueableJobs > limitOf(ctx.limits, 'queueableJobs'))
        throw new ApexError(
            'LimitException',
            `Too many queueable jobs added to the queue: ${ctx.limits.queueableJobs}`
        );
    if (side.currentDepth >= 0) {
        const max = opts.maxDepth ?? side.defaultQueueableStackDepth;
        if (max !== null && depth >= max)
            throw new ApexError('AsyncException', `Maximum stack depth has been reached.`);
    }
    if (opts.delay < 0 || opts.delay > 10)
        throw new ApexError('IllegalArgumentException', 'The delay must be between 0 and 10 minutes');
    const cls = className(ctx, job);
    const id = insertJobRow(side, ctx, 'Queueable', cls);
    const allowsCallouts = implementsType(ctx, job, 'database.allowscallouts');
    const run = () => {
        setJob(side, id, { status: 'Processing' });
        const state: JobState = { jobId: id, finalizer: null, toString: () => `QueueableContext[${id.v}]` };
        const qc = new NativeObject('queueablecontext', state);
        const err = asTransaction(ctx, side, 'queueable', depth, allowsCallouts, () => {
            side.currentJob = state;
            try {
                ctx.invokeMethod(job, 'execute', [qc]);
            } finally {
                side.currentJob = null;
            }
        });
        rethrowHost(err);
        setJob(side, id, {
            status: err ? 'Failed' : 'Completed',
            completeddate: new ApexDatetime(ctx.now()),
            numberoferrors: err ? 1 : 0,
            extendedstatus: err ? errorText(ctx, err) : null
        });
        if (state.finalizer) {
            const fc = new NativeObject('finalizercontext', {
                jobId: id,
                result: enumValue(ctx, 'System.ParentJobResult', err ? 'UNHANDLED_EXCEPTION' : 'SUCCESS'),
                exception: err
                    ? err instanceof ApexObject
                        ? err
                        : ctx.newException((err as ApexError).type, (err as ApexError).message)
                    : null,
                toString: () => `FinalizerContext[${id.v}]`
            });
            const ferr = asTransaction(ctx, side, 'finalizer', depth, true, () =>
                ctx.invokeMethod(state.finalizer, 'execute', [fc])
            );
            rethrowHost(ferr);
            if (ferr && ctx.test.running) throw ferr;
        } else if (err && ctx.test.running) {
            // In a test, an exception of a job run by Test.stopTest surfaces in the test method.
            throw err;
        }
    };
    side.queue.push({
        kind: 'queueable',
        jobId: id,
        description: cls,
        run,
        depth,
        notBefore: ctx.now() + opts.delay * 60000
    });
    return id;
}

// ---------------------------------------------------------------------------------------- schedule

function schedule(ctx: ApexContext, name: unknown, cron: unknown, job: unknown): ApexId {
    if (!implementsType(ctx, job, 'schedulable'))
        throw new ApexError('TypeException', 'Scheduled job must implement Schedulable');
    const side = sideOf(ctx);
    const org = side.sync(ctx);
    const spec = parseCron(String(cron ?? ''));
    const jobName = String(name ?? '');
    const detailDef = side.schema.require('CronJobDetail');
    for (const row of org.db.rows(detailDef)) {
        if (row.values.get('name') === jobName) {
            const trig = [...org.db.rows(side.schema.require('CronTrigger'))].find(
                (t) => (t.values.get('cronjobdetailid') as ApexId | null)?.to15() === row.id.to15()
            );
            if (trig && trig.values.get('state') !== 'DELETED')
                throw new ApexError(
                    'AsyncException',
                    `The Apex job named "${jobName}" is already scheduled for execution.`
                );
        }
    }
    const detailId = org.db.newId(detailDef);
    org.db.insertRow(
        detailDef,
        detailId,
        new Map<string, unknown>([
            ['name', jobName],
            ['jobtype', '7']
        ])
    );
    const trigDef = side.schema.require('CronTrigger');
    const trigId = org.db.newId(trigDef);
    const now = ctx.now();
    const next = nextFireTime(spec, now);
    org.db.insertRow(
        trigDef,
        trigId,
        new Map<string, unknown>(
            Object.entries({
                cronexpression: String(cron),
                cronjobdetailid: detailId,
                state: 'WAITING',
                nextfiretime: next === null ? null : new ApexDatetime(next),
                previousfiretime: null,
                starttime: new ApexDatetime(now),
                timestriggered: 0,
                timezonesidkey: ctx.user.timeZone,
                ownerid: ctx.user.id,
                createddate: new ApexDatetime(now),
                createdbyid: ctx.user.id
            })
        )
    );
    const fire = registerSchedule(ctx, side, trigId, spec, job, ctx.user);
    if (ctx.test.running)
        side.queue.push({
            kind: 'schedule',
            jobId: trigId,
            description: jobName,
            run: fire,
            depth: 0,
            notBefore: 0
        });
    return trigId;
}

/** A registered schedule: its Schedulable instance and the user it runs as, besides `fire` / `next`. */
export interface ScheduledJob {
    fire(): void;
    next(): number | null;
    readonly triggerId: ApexId;
    readonly job: unknown;
    readonly runAs: RunningUser;
}

/** Keeps the job of CronTrigger `trigId` in `side.scheduled`; `fire` runs it once as `runAs`. */
function registerSchedule(
    ctx: ApexContext,
    side: DataSide,
    trigId: ApexId,
    spec: ReturnType<typeof parseCron>,
    job: unknown,
    runAs: RunningUser
): () => void {
    const org = side.sync(ctx);
    const fire = () => {
        const row = org.db.find(trigId);
        if (!row || row.values.get('state') === 'DELETED') return;
        const jobId = insertJobRow(side, ctx, 'ScheduledApex', className(ctx, job), {
            crontriggerid: trigId
        });
        const sc = new NativeObject('schedulablecontext', {
            jobId: trigId,
            toString: () => `SchedulableContext[${trigId.v}]`
        });
        const savedUser = ctx.user;
        // "The scheduled Apex runs as the user who scheduled the class" (Apex Scheduler).
        ctx.user = runAs;
        let err: unknown;
        try {
            err = asTransaction(
                ctx,
                side,
                'scheduled',
                -1,
                'Callout from scheduled Apex not supported.',
                () => ctx.invokeMethod(job, 'execute', [sc])
            );
        } finally {
            ctx.user = savedUser;
        }
        rethrowHost(err);
        setJob(side, jobId, {
            status: err ? 'Failed' : 'Completed',
            completeddate: new ApexDatetime(ctx.now()),
            extendedstatus: err ? errorText(ctx, err) : null
        });
        if (err && ctx.test.running) throw err;
        const r2 = org.db.find(trigId);
        if (r2) {
            const v = new Map(r2.values);
            const n = nextFireTime(spec, ctx.now() + 1000);
            v.set('timestriggered', ((v.get('timestriggered') as number) ?? 0) + 1);
            v.set('previousfiretime', new ApexDatetime(ctx.now()));
            v.set('nextfiretime', n === null ? null : new ApexDatetime(n));
            if (n === null) v.set('state', 'DELETED');
            org.db.updateRow(r2, v);
        }
    };
    const entry: ScheduledJob = {
        fire,
        next: () => (org.db.find(trigId)?.values.get('nextfiretime') as ApexDatetime | null)?.ms ?? null,
        triggerId: trigId,
        job,
        runAs
    };
    side.scheduled.set(trigId.to15(), entry);
    return fire;
}

function abortJob(ctx: ApexContext, id: unknown): null {
    const side = sideOf(ctx);
    const org = side.sync(ctx);
    const jid = id instanceof ApexId ? id : ApexId.tryParse(String(id ?? ''));
    const row = jid ? org.db.find(jid) : undefined;
    if (!row) throw new ApexError('StringException', `Invalid id: ${String(id)}`);
    const v = new Map(row.values);
    if (row.def.name === 'CronTrigger') {
        v.set('state', 'DELETED');
        side.scheduled.delete(row.id.to15());
        // An aborted scheduled job no longer appears in CronTrigger queries by state WAITING; the row is removed.
        org.db.updateRow(row, v);
        org.db.purgeRow(row);
    } else {
        v.set('status', 'Aborted');
        org.db.updateRow(row, v);
        const i = side.queue.findIndex((j) => j.jobId?.to15() === row.id.to15());
        if (i >= 0) side.queue.splice(i, 1);
    }
    return null;
}

// ---------------------------------------------------------------------------------------- batch

function executeBatch(ctx: ApexContext, batch: unknown, scope: number): ApexId {
    if (!implementsType(ctx, batch, 'database.batchable'))
        throw new ApexError('TypeException', 'Batch job must implement Database.Batchable');
    if (scope < 1 || scope > 2000)
        throw new ApexError('IllegalArgumentException', 'The scope must be between 1 and 2000');
    // "Database.executeBatch cannot be called from a batch start, batch execute, or future method" (@inferred
    // wording); a batch's finish method may start the next one ("Using Batch Apex": chaining from finish).
    const running = asyncContextOf(ctx.limits);
    if (running === 'batch' || running === 'future')
        throw new ApexError(
            'AsyncException',
            'Database.executeBatch cannot be called from a batch start, batch execute, or future method.'
        );
    const side = sideOf(ctx);
    const cls = className(ctx, batch);
    const id = insertJobRow(side, ctx, 'BatchApex', cls);
    const allowsCallouts = implementsType(ctx, batch, 'database.allowscallouts');
    const bc = new NativeObject('database.batchablecontext', {
        jobId: id,
        toString: () => `BatchableContext[${id.v}]`
    });
    const run = () => {
        setJob(side, id, { status: 'Processing' });
        let items: unknown[] = [];
        let err = asTransaction(ctx, side, 'batch', -1, allowsCallouts, () => {
            const start = ctx.invokeMethod(batch, 'start', [bc]);
            if (start instanceof QueryLocator) {
                if (start.state.records) items = start.state.records;
                else {
                    const res = side.query(ctx, start.state.text!, start.state.bind);
                    // "a QueryLocator ... bypasses the governor limit for the total number of records retrieved by SOQL queries" (up to 50 million)
                    items = res.kind === 'rows' ? res.records : [];
                }
            } else if (start instanceof ApexList) items = start.items;
            else if (start !== null)
                throw new ApexError(
                    'UnexpectedException',
                    'not supported locally: Iterable other than List from Batchable.start'
                );
        });
        rethrowHost(err);
        let errors = err ? 1 : 0;
        let batches = 0;
        if (!err) {
            for (let i = 0; i < items.length; i += scope) {
                const chunk = items.slice(i, i + scope);
                const first = chunk[0];
                const list = new ApexList(
                    first instanceof SObjectRecord
                        ? { name: first.def.name.toLowerCase(), display: first.def.name }
                        : { name: 'object' },
                    chunk
                );
                const e = asTransaction(ctx, side, 'batch', -1, allowsCallouts, () =>
                    ctx.invokeMethod(batch, 'execute', [bc, list])
                );
                rethrowHost(e);
                batches++;
                if (e) {
                    errors++;
                    err = e;
                }
            }
            const fe = asTransaction(ctx, side, 'batchFinish', -1, allowsCallouts, () =>
                ctx.invokeMethod(batch, 'finish', [bc])
            );
            rethrowHost(fe);
        }
        setJob(side, id, {
            status: 'Completed',
            completeddate: new ApexDatetime(ctx.now()),
            jobitemsprocessed: batches,
            totaljobitems: Math.ceil(items.length / scope),
            numberoferrors: errors,
            extendedstatus: err ? `First error: ${errorText(ctx, err)}` : null
        });
        if (err && ctx.test.running) throw err;
    };
    side.queue.push({ kind: 'batch', jobId: id, description: cls, run, depth: 0, notBefore: 0 });
    return id;
}

// ---------------------------------------------------------------------------------------- host API

/** Runs jobs queued by finished transactions (outside tests): each in its own transaction. */
export function runPendingJobs(ctx: ApexContext): number {
    const side = sideOf(ctx);
    let n = 0;
    for (let guard = 0; side.queue.length && guard < 1000; guard++) {
        const due = side.queue.findIndex((j) => j.notBefore <= ctx.now());
        if (due < 0) break;
        const [job] = side.queue.splice(due, 1);
        job.run();
        n++;
    }
    return n;
}

/** The registered schedules (System.schedule, not yet aborted), for a host that saves its org. */
export function scheduledJobs(ctx: ApexContext): ScheduledJob[] {
    return [...sideOf(ctx).scheduled.values()].filter((s): s is ScheduledJob => 'triggerId' in s);
}

/**
 * Registers a saved schedule again on its CronTrigger row (same id, cron expression and next fire time),
 * for a host that reopens a saved org: on the platform a WAITING CronTrigger keeps its NextFireTime until
 * the job is aborted or has no next run (Object Reference, "CronTrigger": State, NextFireTime), whatever
 * happens to any one server process. Returns false when the row is gone or no longer WAITING.
 */
export function restoreScheduledJob(
    ctx: ApexContext,
    triggerId: ApexId,
    job: unknown,
    runAs: RunningUser
): boolean {
    if (!implementsType(ctx, job, 'schedulable'))
        throw new ApexError('TypeException', 'Scheduled job must implement Schedulable');
    const side = sideOf(ctx);
    const row = side.sync(ctx).db.find(triggerId);
    if (!row || row.def.name !== 'CronTrigger' || row.values.get('state') !== 'WAITING') return false;
    registerSchedule(ctx, side, row.id, parseCron(String(row.values.get('cronexpression'))), job, runAs);
    return true;
}

/** Fires scheduled jobs whose next fire time is due (the local scheduler, outside tests). */
export function runDueScheduledJobs(ctx: ApexContext): number {
    const side = sideOf(ctx);
    let n = 0;
    for (const s of [...side.scheduled.values()]) {
        const next = s.next();
        if (next !== null && next <= ctx.now()) {
            s.fire();
            n++;
        }
    }
    return n;
}

// ---------------------------------------------------------------------------------------- install

export function installAsync(r: NativeRegistry): void {
    r.register({
        name: 'System',
        statics: {
            'enqueuejob/1': (ctx, [job]) => enqueue(ctx, job, { delay: 0, maxDepth: null, signature: null }),
            'enqueuejob/2': (ctx, [job, opt]) => {
                if (typeof opt === 'number')
                    return enqueue(ctx, job, { delay: opt, maxDepth: null, signature: null });
                const o = (
                    opt as NativeObject<{
                        maximumQueueableStackDepth: number | null;
                        minimumQueueableDelayInMinutes: number | null;
                    }>
                ).state;
                return enqueue(ctx, job, {
                    delay: o.minimumQueueableDelayInMinutes ?? 0,
                    maxDepth: o.maximumQueueableStackDepth,
                    signature: null
                });
            },
            attachfinalizer: (ctx, [f]) => {
                const side = sideOf(ctx);
                if (!side.currentJob)
                    throw new ApexError(
                        'AsyncException',
                        'System.attachFinalizer can only be called from a Queueable job'
                    );
                if (side.currentJob.finalizer)
                    throw new ApexError(
                        'AsyncException',
                        'A finalizer is already attached to this Queueable job'
                    );
                side.currentJob.finalizer = f;
                return null;
            },
            schedule: (ctx, [name, cron, job]) => schedule(ctx, name, cron, job),
            abortjob: (ctx, [id]) => abortJob(ctx, id)
        }
    });
    r.register({
        name: 'Database',
        statics: {
            'executebatch/1': (ctx, [b]) => executeBatch(ctx, b, 200),
            'executebatch/2': (ctx, [b, s]) => executeBatch(ctx, b, s as number)
        }
    });
    const jobIdOf = (_c: ApexContext, s: unknown) => (s as NativeObject<{ jobId: ApexId }>).state.jobId;
    r.register({ name: 'QueueableContext', methods: { getjobid: jobIdOf } });
    r.register({ name: 'SchedulableContext', methods: { gettriggerid: jobIdOf, getjobid: jobIdOf } });
    r.register({ name: 'Database.BatchableContext', methods: { getjobid: jobIdOf, getchildjobid: jobIdOf } });
    r.register({
        name: 'FinalizerContext',
        methods: {
            getasyncapexjobid: jobIdOf,
            getresult: (_c, s) => (s as NativeObject<{ result: EnumValue }>).state.result,
            getexception: (_c, s) => (s as NativeObject<{ exception: unknown }>).state.exception,
            getrequestid: (_c, s) => (s as NativeObject<{ jobId: ApexId }>).state.jobId.v
        }
    });
    for (const name of [
        'Queueable',
        'Schedulable',
        'Finalizer',
        'Database.Batchable',
        'Database.AllowsCallouts',
        'Database.Stateful',
        'InstallHandler',
        'UninstallHandler'
    ])
        r.register({ name, isInterface: true });
    type Opts = {
        maximumQueueableStackDepth: number | null;
        minimumQueueableDelayInMinutes: number | null;
        duplicateSignature: unknown;
    };
    r.register({
        name: 'AsyncOptions',
        constructors: {
            '0': () =>
                new NativeObject<Opts>('asyncoptions', {
                    maximumQueueableStackDepth: null,
                    minimumQueueableDelayInMinutes: null,
                    duplicateSignature: null
                })
        },
        getters: {
            maximumqueueablestackdepth: (_c, s) => (s as NativeObject<Opts>).state.maximumQueueableStackDepth,
            minimumqueueabledelayinminutes: (_c, s) =>
                (s as NativeObject<Opts>).state.minimumQueueableDelayInMinutes
        },
        setters: {
            maximumqueueablestackdepth: (_c, s, v) => {
                (s as NativeObject<Opts>).state.maximumQueueableStackDepth = v as number;
            },
            minimumqueueabledelayinminutes: (_c, s, v) => {
                (s as NativeObject<Opts>).state.minimumQueueableDelayInMinutes = v as number;
            },
            duplicatesignature: () => {
                throw new ApexError(
                    'UnexpectedException',
                    'not supported locally: AsyncOptions.DuplicateSignature'
                );
            }
        }
    });

    // Test.testInstall(installHandler, version[, isPush]) (Apex Reference, "Test Class"): runs onInstall with an
    // InstallContext for this org, the previous version (null = fresh install) and isPush.
    r.register({
        name: 'Test',
        statics: {
            testinstall: (ctx, args) => {
                const [handler, version, isPush] = args;
                const side = sideOf(ctx);
                const org = side.sync(ctx);
                const ic = new NativeObject('installcontext', {
                    organizationId: org.orgId,
                    installerId: ctx.user.id,
                    previousVersion: version ?? null,
                    isUpgrade: version !== null && version !== undefined,
                    isPush: isPush === true,
                    toString: () => 'InstallContext'
                });
                const err = asTransaction(ctx, side, null, -1, true, () =>
                    ctx.invokeMethod(handler, 'onInstall', [ic])
                );
                rethrowHost(err);
                if (err) throw err;
                return null;
            }
        }
    });
    const IC = (s: unknown) => (s as NativeObject<Record<string, unknown>>).state;
    r.register({
        name: 'InstallContext',
        methods: {
            organizationid: (_c, s) => IC(s).organizationId,
            installerid: (_c, s) => IC(s).installerId,
            previousversion: (_c, s) => IC(s).previousVersion,
            isupgrade: (_c, s) => IC(s).isUpgrade,
            ispush: (_c, s) => IC(s).isPush
        }
    });
}

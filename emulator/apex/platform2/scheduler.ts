/**
 * The local scheduler of the offline org (outside tests): runs the Queueable, @future and batch work that
 * finished transactions queued, and fires scheduled jobs whose next fire time is due — each job in its own
 * transaction, as the platform's asynchronous queue does (Apex Developer Guide, "Asynchronous Apex").
 */
import type { ApexContext } from '../runtime/context.js';
import { runDueScheduledJobs, runPendingJobs } from './async.js';

export interface SchedulerHost {
    /** The interpreter (its clock is `clock`, ms since the epoch). */
    readonly interp: ApexContext & { clock: number };
    /** Starts a new non-test transaction (resets statics and limits). */
    beginTransaction(test?: boolean): void;
}

export interface TickResult {
    jobs: number;
    scheduled: number;
    errors: string[];
}

/** One pass: queued jobs first, then due schedules (and the jobs they queue). */
export function tick(host: SchedulerHost): TickResult {
    const out: TickResult = { jobs: 0, scheduled: 0, errors: [] };
    const ip = host.interp;
    const guard = (fn: () => number): number => {
        try {
            host.beginTransaction(false);
            return fn();
        } catch (e) {
            out.errors.push(e instanceof Error ? e.message : String(e));
            return 0;
        }
    };
    out.jobs += guard(() => runPendingJobs(ip));
    out.scheduled += guard(() => runDueScheduledJobs(ip));
    out.jobs += guard(() => runPendingJobs(ip));
    return out;
}

/**
 * Runs `tick` every `everyMs` milliseconds until the returned function is called. With `realTime`, the
 * interpreter's clock follows the wall clock before each tick (the runtime's clock is otherwise fixed).
 */
export function startScheduler(
    host: SchedulerHost,
    opts: { everyMs?: number; realTime?: boolean; log?: (r: TickResult) => void } = {}
): () => void {
    const timer = setInterval(() => {
        if (opts.realTime) host.interp.clock = Date.now();
        const r = tick(host);
        if (opts.log && (r.jobs || r.scheduled || r.errors.length)) opts.log(r);
    }, opts.everyMs ?? 1000);
    return () => clearInterval(timer);
}

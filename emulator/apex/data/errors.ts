/**
 * How the data layer raises Apex exceptions. Code that has the interpreter context calls
 * `ctx.throwException`; code that has none (SObject field access) throws an ApexSignal, which the
 * bridge (bridge.ts) and the interpreter turn into the Apex exception of that type.
 */
import type { ApexContext } from '../runtime/context.js';

export class ApexSignal extends Error {
    constructor(
        /** Apex exception type, e.g. 'SObjectException', 'QueryException', 'DmlException'. */
        readonly apexType: string,
        message: string,
        /** Extra state the exception carries (DmlException rows). */
        readonly extra?: unknown
    ) {
        super(message);
        this.name = apexType;
    }
}

let current: ApexContext | undefined;

/** The interpreter context of the transaction being run (set by the bridge on every hook call). */
export function setCurrentContext(ctx: ApexContext | undefined): void {
    current = ctx;
}

export function currentContext(): ApexContext | undefined {
    return current;
}

/** Throws an Apex exception through the current interpreter context when there is one. */
export function raise(apexType: string, message: string, extra?: unknown): never {
    throw new ApexSignal(apexType, message, extra);
}

/**
 * How the data layer raises Apex exceptions: an ApexSignal is the core's ApexError (runtime/errors.ts,
 * turned into an Apex exception object by the interpreter) plus the extra state some exceptions carry
 * (DmlException rows); the bridge (index.ts) converts it into an exception object with that state.
 */
import { ApexError } from '../runtime/errors.js';

export class ApexSignal extends ApexError {
    constructor(
        type: string,
        message: string,
        /** Extra state the exception carries (DmlException rows, QueryException inaccessible fields). */
        readonly extra?: unknown
    ) {
        super(type, message);
    }

    /** Apex exception type, e.g. 'SObjectException', 'QueryException', 'DmlException'. */
    get apexType(): string {
        return this.type;
    }
}

export function raise(apexType: string, message: string, extra?: unknown): never {
    throw new ApexSignal(apexType, message, extra);
}

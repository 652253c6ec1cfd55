/**
 * Apex exceptions raised by the runtime itself or by natives (NullPointerException, TypeException,
 * MathException, ListException...). They are thrown as plain objects (cheap: no JavaScript stack
 * capture) and turned into Apex exception objects by the interpreter when Apex code catches them or
 * when they escape to the host.
 */
import type { StackFrame } from './context.js';

let stackProvider: () => StackFrame[] = () => [];

/** The interpreter installs this so errors remember the Apex stack where they were raised. */
export function setStackProvider(fn: () => StackFrame[]): void {
    stackProvider = fn;
}

export class ApexError {
    readonly frames: StackFrame[];
    constructor(
        /** Exception type name, e.g. 'NullPointerException', 'System.TypeException'. */
        readonly type: string,
        readonly message: string
    ) {
        this.frames = stackProvider();
    }
    toString(): string {
        return `${this.type}: ${this.message}`;
    }
}

export function raise(type: string, message: string): never {
    throw new ApexError(type, message);
}

export function npe(): never {
    throw new ApexError('NullPointerException', 'Attempt to de-reference a null object');
}

/** Small helpers shared by the native libraries. */
import type { ApexContext } from '../runtime/context.js';
import { npe, raise } from '../runtime/errors.js';
import { ApexDouble, ApexId, ApexList, Decimal, T } from '../runtime/values.js';
import type { TypeRef } from '../runtime/values.js';
import * as ops from '../runtime/ops.js';

/** A String argument (Ids are accepted where Strings are, as in Apex). */
export function str(v: unknown): string {
    if (typeof v === 'string') return v;
    if (v instanceof ApexId) return v.v;
    if (v === null || v === undefined) return npe();
    return ops.stringOf(v);
}

export function optStr(v: unknown): string | null {
    return v === null || v === undefined ? null : str(v);
}

export function int(v: unknown): number {
    if (typeof v === 'number') return v;
    if (v === null || v === undefined) return npe();
    if (typeof v === 'bigint') return Number(BigInt.asIntN(32, v));
    if (v instanceof Decimal || v instanceof ApexDouble) return Math.trunc(ops.toNum(v)) | 0;
    return raise('TypeException', `Expected Integer, got ${ops.stringOf(v)}`);
}

export function bool(v: unknown): boolean {
    if (typeof v === 'boolean') return v;
    if (v === null || v === undefined) return npe();
    return raise('TypeException', 'Expected Boolean');
}

export function list(elem: TypeRef, items: unknown[]): ApexList {
    return new ApexList(elem, items);
}

export function strList(items: string[]): ApexList {
    return new ApexList(T.string, items);
}

export function dbl(n: number): ApexDouble {
    return new ApexDouble(n);
}

export type Ctx = ApexContext;

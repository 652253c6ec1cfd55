/**
 * Comparison of runtime values in SOQL (and DML uniqueness): "Sorting is case insensitive" and string
 * comparisons in WHERE are case-insensitive (SOQL and SOSL Reference, "ORDER BY" / "Comparison Operators");
 * Ids compare by their 15-character form.
 */
import { ApexDate, ApexDatetime, ApexDouble, ApexId, ApexTime, Decimal } from '../../runtime/values.js';

export type Comparable = string | number | boolean;

/** A value reduced to something JavaScript can compare, or null. */
export function comparable(v: unknown): Comparable | null {
    if (v === null || v === undefined) return null;
    if (typeof v === 'string') return v.toLowerCase();
    if (typeof v === 'number' || typeof v === 'boolean') return v;
    if (typeof v === 'bigint') return Number(v);
    if (v instanceof ApexId) return v.to15().toLowerCase() + '\u0000' + v.to15();
    if (v instanceof Decimal) return v.toNumber();
    if (v instanceof ApexDouble) return v.v;
    if (v instanceof ApexDate) return v.toEpochDay();
    if (v instanceof ApexDatetime) return v.ms;
    if (v instanceof ApexTime) return v.ms;
    return String(v).toLowerCase();
}

/** Equality as SOQL `=` sees it (ids: 15-character form; strings: case-insensitive). */
export function soqlEquals(a: unknown, b: unknown): boolean {
    if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
    if (a instanceof ApexId || b instanceof ApexId) return idText(a).slice(0, 15) === idText(b).slice(0, 15);
    if (a instanceof Decimal && b instanceof Decimal) return a.compareTo(b) === 0;
    return comparable(a) === comparable(b);
}

function idText(v: unknown): string {
    return v instanceof ApexId ? v.v : String(v);
}

export function compareValues(a: unknown, b: unknown): number {
    if (a instanceof Decimal && b instanceof Decimal) return a.compareTo(b);
    if (a instanceof ApexId || b instanceof ApexId) {
        const x = idText(a).slice(0, 15);
        const y = idText(b).slice(0, 15);
        return x < y ? -1 : x > y ? 1 : 0;
    }
    const x = comparable(a);
    const y = comparable(b);
    if (x === null || y === null) return 0;
    return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Apex operators on runtime values: arithmetic with numeric promotion, comparison, equality,
 * string conversion. Every rule here is pinned by a conformance case (../conformance/).
 */
import { ApexError, npe, raise } from './errors.js';
import {
    ApexDate,
    ApexDatetime,
    ApexDouble,
    ApexId,
    ApexList,
    ApexMap,
    ApexObject,
    ApexSet,
    ApexTime,
    Blob,
    Decimal,
    EnumValue,
    NativeObject,
    TypeToken,
    isSObject,
    keyOf
} from './values.js';

/** Hooks into the interpreter for user-defined equals / hashCode / toString. */
export interface ObjectProtocol {
    equals(a: ApexObject, b: unknown): boolean | undefined;
    hashKey(o: ApexObject): unknown;
    toString(o: ApexObject): string;
    /** String form of a platform object (its native `toString` method), or null for the default. */
    nativeToString(o: NativeObject): string | null;
}
let protocol: ObjectProtocol = {
    equals: () => undefined,
    hashKey: (o) => o,
    toString: (o) => o.cls.displayName,
    nativeToString: () => null
};
export function setObjectProtocol(p: ObjectProtocol): void {
    protocol = p;
}
export function objectKey(o: ApexObject): unknown {
    return protocol.hashKey(o);
}
/** keyOf with user equals/hashCode. */
export function key(v: unknown): unknown {
    return keyOf(v, objectKey);
}

// ---------------------------------------------------------------------------------------------
// Numeric kinds: 0 Integer, 1 Long, 2 Decimal, 3 Double; -1 not numeric

export function numKind(v: unknown): number {
    if (typeof v === 'number') return 0;
    if (typeof v === 'bigint') return 1;
    if (v instanceof Decimal) return 2;
    if (v instanceof ApexDouble) return 3;
    return -1;
}

export function toLong(v: unknown): bigint {
    if (typeof v === 'number') return BigInt(v);
    if (typeof v === 'bigint') return v;
    if (v instanceof Decimal)
        return BigInt.asIntN(
            64,
            v.scale <= 0 ? v.unscaled * 10n ** BigInt(-v.scale) : v.unscaled / 10n ** BigInt(v.scale)
        );
    if (v instanceof ApexDouble) return BigInt.asIntN(64, BigInt(Math.trunc(v.v)));
    return npe();
}

export function toDecimal(v: unknown): Decimal {
    if (v instanceof Decimal) return v;
    if (typeof v === 'number' || typeof v === 'bigint') return Decimal.fromInt(v);
    if (v instanceof ApexDouble) return Decimal.fromNumber(v.v);
    return npe();
}

export function toNum(v: unknown): number {
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') return Number(v);
    if (v instanceof Decimal) return v.toNumber();
    if (v instanceof ApexDouble) return v.v;
    return npe();
}

function requireNum(v: unknown, op: string): number {
    const k = numKind(v);
    if (k < 0) {
        if (v === null || v === undefined) npe();
        raise('TypeException', `Arithmetic expressions must use numeric arguments (${op})`);
    }
    return k;
}

// ---------------------------------------------------------------------------------------------
// Decimal arithmetic (Java BigDecimal rules: + - keep max scale, * adds scales)

function decAdd(a: Decimal, b: Decimal, sign: 1n | -1n): Decimal {
    const s = Math.max(a.scale, b.scale);
    return new Decimal(a.withScaleUp(s).unscaled + sign * b.withScaleUp(s).unscaled, s);
}

function decMul(a: Decimal, b: Decimal): Decimal {
    return new Decimal(a.unscaled * b.unscaled, a.scale + b.scale);
}

/** Rounds a decimal to `scale` digits with the given rounding mode (Java RoundingMode names). */
export function decSetScale(d: Decimal, scale: number, mode: string = 'HALF_UP'): Decimal {
    if (scale >= d.scale) return d.withScaleUp(scale);
    const div = 10n ** BigInt(d.scale - scale);
    const q = d.unscaled / div;
    const r = d.unscaled - q * div;
    if (r === 0n) return new Decimal(q, scale);
    const neg = d.unscaled < 0n;
    const absR2 = (r < 0n ? -r : r) * 2n;
    const up = (): bigint => (neg ? q - 1n : q + 1n);
    let result: bigint;
    switch (mode) {
        case 'UP':
            result = up();
            break;
        case 'DOWN':
            result = q;
            break;
        case 'CEILING':
            result = neg ? q : q + 1n;
            break;
        case 'FLOOR':
            result = neg ? q - 1n : q;
            break;
        case 'HALF_UP':
            result = absR2 >= div ? up() : q;
            break;
        case 'HALF_DOWN':
            result = absR2 > div ? up() : q;
            break;
        case 'HALF_EVEN':
            result = absR2 > div || (absR2 === div && (q & 1n) !== 0n) ? up() : q;
            break;
        case 'UNNECESSARY':
            return raise('MathException', 'Rounding necessary');
        default:
            return raise('IllegalArgumentException', `Unknown rounding mode ${mode}`);
    }
    return new Decimal(result, scale);
}

/**
 * Decimal division. An exact quotient keeps the preferred scale (dividend scale - divisor scale,
 * at least as many digits as needed); a non-terminating quotient is rounded HALF_UP to 32
 * significant digits... (inferred: see conformance case decimal-division-nonterminating).
 */
function decDiv(a: Decimal, b: Decimal): Decimal {
    if (b.unscaled === 0n) raise('MathException', 'Divide by 0');
    const preferred = a.scale - b.scale;
    // Try exact division with growing scale.
    for (let extra = 0; extra <= 32; extra++) {
        const scale = Math.max(preferred, 0) + extra;
        const num = a.unscaled * 10n ** BigInt(Math.max(0, scale - preferred));
        const den = b.unscaled;
        if (num % den === 0n) {
            let q = new Decimal(num / den, scale);
            // Strip zeros back down towards the preferred scale.
            while (q.scale > Math.max(preferred, 0) && q.unscaled % 10n === 0n)
                q = new Decimal(q.unscaled / 10n, q.scale - 1);
            if (preferred < 0 && q.scale === 0) return q;
            return q;
        }
    }
    // Non-terminating: 32 significant digits, HALF_UP.
    const intDigits = new Decimal(
        a.unscaled / b.unscaled === 0n ? 0n : a.unscaled / b.unscaled,
        0
    ).precision();
    const scale = Math.max(32 - intDigits, 0) + Math.max(preferred, 0);
    const num = a.unscaled * 10n ** BigInt(scale - preferred + 1);
    const q = new Decimal(num / b.unscaled, scale + 1);
    return decSetScale(q, scale, 'HALF_UP');
}

// ---------------------------------------------------------------------------------------------
// Operators

export function stringOf(v: unknown): string {
    if (v === null || v === undefined) return 'null';
    switch (typeof v) {
        case 'string':
            return v;
        case 'number':
            return String(v);
        case 'boolean':
            return v ? 'true' : 'false';
        case 'bigint':
            return v.toString();
        default:
            break;
    }
    if (v instanceof ApexObject) return protocol.toString(v);
    // "Using an implicit string conversion with a Date value results in the date with the timestamp appended."
    if (v instanceof ApexDate) return `${v.toString()} 00:00:00`;
    if (v instanceof ApexList) return `(${v.items.map(stringOf).join(', ')})`;
    if (v instanceof ApexSet) return `{${[...v.map.values()].map(stringOf).join(', ')}}`;
    if (v instanceof ApexMap) {
        const parts: string[] = [];
        for (const [k, kv] of v.keys) parts.push(`${stringOf(kv)}=${stringOf(v.values.get(k))}`);
        return `{${parts.join(', ')}}`;
    }
    if (isSObject(v)) {
        const parts: string[] = [];
        for (const [f, x] of v.populatedFields()) {
            if (x instanceof ApexList || isSObject(x)) continue;
            parts.push(`${f}=${stringOf(x)}`);
        }
        return `${v.sobjectType}:{${parts.join(', ')}}`;
    }
    if (v instanceof NativeObject) {
        const viaNative = protocol.nativeToString(v);
        if (viaNative !== null) return viaNative;
        const s = v.state as { toString?: () => string } | null;
        return s && typeof s.toString === 'function' && s.toString !== Object.prototype.toString
            ? s.toString()
            : v.type;
    }
    return String(v);
}

export function add(a: unknown, b: unknown): unknown {
    if (typeof a === 'number' && typeof b === 'number') return (a + b) | 0;
    if (typeof a === 'string' || typeof b === 'string') return stringOf(a) + stringOf(b);
    if (a instanceof ApexDate && typeof b === 'number') return ApexDate.fromEpochDay(a.toEpochDay() + b);
    if (a instanceof ApexDatetime && numKind(b) >= 0)
        return new ApexDatetime(a.ms + Math.round(toNum(b) * 86400000));
    if (a instanceof ApexTime && typeof b === 'number')
        return new ApexTime((((a.ms + b) % 86400000) + 86400000) % 86400000);
    if (a instanceof ApexId || b instanceof ApexId) return stringOf(a) + stringOf(b);
    return arith(a, b, '+');
}

export function arith(a: unknown, b: unknown, op: string): unknown {
    if (a === null || a === undefined || b === null || b === undefined) npe();
    if (a instanceof ApexDate && op === '-' && typeof b === 'number')
        return ApexDate.fromEpochDay(a.toEpochDay() - b);
    if (a instanceof ApexDatetime && op === '-' && numKind(b) >= 0)
        return new ApexDatetime(a.ms - Math.round(toNum(b) * 86400000));
    if (a instanceof ApexTime && op === '-' && typeof b === 'number')
        return new ApexTime((((a.ms - b) % 86400000) + 86400000) % 86400000);
    const k = Math.max(requireNum(a, op), requireNum(b, op));
    switch (k) {
        case 0: {
            const x = a as number;
            const y = b as number;
            switch (op) {
                case '+':
                    return (x + y) | 0;
                case '-':
                    return (x - y) | 0;
                case '*':
                    return Math.imul(x, y);
                case '/':
                    if (y === 0) raise('MathException', 'Divide by 0');
                    return (x / y) | 0;
                default:
                    break;
            }
            break;
        }
        case 1: {
            const x = toLong(a);
            const y = toLong(b);
            switch (op) {
                case '+':
                    return BigInt.asIntN(64, x + y);
                case '-':
                    return BigInt.asIntN(64, x - y);
                case '*':
                    return BigInt.asIntN(64, x * y);
                case '/':
                    if (y === 0n) raise('MathException', 'Divide by 0');
                    return BigInt.asIntN(64, x / y);
                default:
                    break;
            }
            break;
        }
        case 2: {
            const x = toDecimal(a);
            const y = toDecimal(b);
            switch (op) {
                case '+':
                    return decAdd(x, y, 1n);
                case '-':
                    return decAdd(x, y, -1n);
                case '*':
                    return decMul(x, y);
                case '/':
                    return decDiv(x, y);
                default:
                    break;
            }
            break;
        }
        default: {
            const x = toNum(a);
            const y = toNum(b);
            switch (op) {
                case '+':
                    return new ApexDouble(x + y);
                case '-':
                    return new ApexDouble(x - y);
                case '*':
                    return new ApexDouble(x * y);
                case '/':
                    if (y === 0 && numKind(b) !== 3) raise('MathException', 'Divide by 0');
                    return new ApexDouble(x / y);
                default:
                    break;
            }
        }
    }
    return raise('TypeException', `Unsupported operator ${op}`);
}

export function negate(a: unknown): unknown {
    if (typeof a === 'number') return -a | 0;
    if (a === null || a === undefined) npe();
    if (typeof a === 'bigint') return BigInt.asIntN(64, -a);
    if (a instanceof Decimal) return new Decimal(-a.unscaled, a.scale);
    if (a instanceof ApexDouble) return new ApexDouble(-a.v);
    return raise('TypeException', 'Arithmetic expressions must use numeric arguments');
}

export function bitop(a: unknown, b: unknown, op: string): unknown {
    if (a === null || a === undefined || b === null || b === undefined) npe();
    if (typeof a === 'boolean' && typeof b === 'boolean') {
        if (op === '&') return a && b;
        if (op === '|') return a || b;
        if (op === '^') return a !== b;
    }
    if (typeof a === 'number' && typeof b === 'number') {
        switch (op) {
            case '&':
                return a & b;
            case '|':
                return a | b;
            case '^':
                return a ^ b;
            case '<<':
                return a << b;
            case '>>':
                return a >> b;
            case '>>>':
                return (a >>> b) | 0;
            default:
                break;
        }
    }
    const x = toLong(a);
    const y = toLong(b);
    const isShift = op === '<<' || op === '>>' || op === '>>>';
    if (isShift && typeof a === 'number') {
        // Integer shifted by a Long amount stays Integer.
        return bitop(a, Number(y & 31n), op);
    }
    switch (op) {
        case '&':
            return x & y;
        case '|':
            return x | y;
        case '^':
            return x ^ y;
        case '<<':
            return BigInt.asIntN(64, x << (y & 63n));
        case '>>':
            return x >> (y & 63n);
        case '>>>':
            return BigInt.asIntN(64, BigInt.asUintN(64, x) >> (y & 63n));
        default:
            return raise('TypeException', `Unsupported operator ${op}`);
    }
}

/** `<`, `<=`, `>`, `>=`: numbers, Strings (case-insensitive? no: see conformance), Dates, Datetimes, Times, Ids. */
export function compare(a: unknown, b: unknown, op: string): boolean {
    if (typeof a === 'number' && typeof b === 'number') {
        switch (op) {
            case '<':
                return a < b;
            case '<=':
                return a <= b;
            case '>':
                return a > b;
            default:
                return a >= b;
        }
    }
    // Documented: comparisons with a null number/date are false; "A non-null String or ID value is always
    // greater than a null value."
    const an = a === null || a === undefined;
    const bn = b === null || b === undefined;
    if (an || bn) {
        const isText = (x: unknown): boolean => typeof x === 'string' || x instanceof ApexId;
        if (an && bn) return false;
        if ((an && isText(b)) || (bn && isText(a))) {
            const c = an ? -1 : 1;
            return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
        }
        return false;
    }
    const c = order(a, b);
    switch (op) {
        case '<':
            return c < 0;
        case '<=':
            return c <= 0;
        case '>':
            return c > 0;
        default:
            return c >= 0;
    }
}

/** Three-way order of two non-null comparable values. */
export function order(a: unknown, b: unknown): number {
    const ka = numKind(a);
    const kb = numKind(b);
    if (ka >= 0 && kb >= 0) {
        const k = Math.max(ka, kb);
        if (k === 0) return (a as number) - (b as number);
        if (k === 1) {
            const x = toLong(a);
            const y = toLong(b);
            return x < y ? -1 : x > y ? 1 : 0;
        }
        if (k === 2) return toDecimal(a).compareTo(toDecimal(b));
        const x = toNum(a);
        const y = toNum(b);
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if ((typeof a === 'string' || a instanceof ApexId) && (typeof b === 'string' || b instanceof ApexId)) {
        // Apex compares Strings with <, > using the case-insensitive collation of String.compareTo? No:
        // the Developer Guide states the comparison is case-insensitive for these operators.
        const x = stringOf(a).toLowerCase();
        const y = stringOf(b).toLowerCase();
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a instanceof ApexDate && b instanceof ApexDate) return a.toEpochDay() - b.toEpochDay();
    if (a instanceof ApexDatetime && b instanceof ApexDatetime) return a.ms - b.ms;
    if (a instanceof ApexTime && b instanceof ApexTime) return a.ms - b.ms;
    return raise('TypeException', `Comparison arguments must be compatible types: ${typeof a}, ${typeof b}`);
}

/** Apex `==`. */
export function equals(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (a === null || a === undefined || b === null || b === undefined) return false;
    if (typeof a === 'string') {
        if (typeof b === 'string')
            return a.length === b.length && (a === b || a.toLowerCase() === b.toLowerCase());
        if (b instanceof ApexId) return idEquals(b, a);
        return false;
    }
    if (a instanceof ApexId) {
        if (b instanceof ApexId) return a.v === b.v;
        if (typeof b === 'string') return idEquals(a, b);
        return false;
    }
    const ka = numKind(a);
    if (ka >= 0) {
        const kb = numKind(b);
        return kb >= 0 && order(a, b) === 0;
    }
    if (a instanceof ApexObject) {
        const r = protocol.equals(a, b);
        return r === undefined ? false : r;
    }
    if (a instanceof ApexDate) return b instanceof ApexDate && a.toEpochDay() === b.toEpochDay();
    if (a instanceof ApexDatetime) return b instanceof ApexDatetime && a.ms === b.ms;
    if (a instanceof ApexTime) return b instanceof ApexTime && a.ms === b.ms;
    if (a instanceof Blob) return b instanceof Blob && key(a) === key(b);
    if (a instanceof ApexList) {
        if (!(b instanceof ApexList) || a.items.length !== b.items.length) return false;
        for (let i = 0; i < a.items.length; i++) if (!equals(a.items[i], b.items[i])) return false;
        return true;
    }
    if (a instanceof ApexSet) {
        if (!(b instanceof ApexSet) || a.map.size !== b.map.size) return false;
        for (const k of a.map.keys()) if (!b.map.has(k)) return false;
        return true;
    }
    if (a instanceof ApexMap) {
        if (!(b instanceof ApexMap) || a.keys.size !== b.keys.size) return false;
        for (const [k, v] of a.values) {
            if (!b.values.has(k) || !equals(v, b.values.get(k))) return false;
        }
        return true;
    }
    if (isSObject(a)) {
        if (!isSObject(b) || a.sobjectType.toLowerCase() !== b.sobjectType.toLowerCase()) return false;
        const fa = a.populatedFields();
        const fb = b.populatedFields();
        if (fa.size !== fb.size) return false;
        const lb = new Map<string, unknown>();
        for (const [f, v] of fb) lb.set(f.toLowerCase(), v);
        for (const [f, v] of fa) {
            const l = f.toLowerCase();
            if (!lb.has(l) || !equals(v, lb.get(l))) return false;
        }
        return true;
    }
    if (a instanceof EnumValue || a instanceof TypeToken) {
        return b instanceof TypeToken && a instanceof TypeToken
            ? key(a) === key(b) || String(a) === String(b)
            : false;
    }
    return false;
}

function idEquals(id: ApexId, s: string): boolean {
    const other = ApexId.tryParse(s);
    return other !== null && other.v === id.v;
}

/** Apex `===` (reference equality for objects; value equality for primitives). */
export function exactEquals(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (a === null || a === undefined || b === null || b === undefined) return false;
    if (typeof a !== 'object' && typeof b !== 'object') return a === b;
    if (a instanceof ApexId && b instanceof ApexId) return a.v === b.v;
    if (numKind(a) >= 0 && numKind(b) >= 0 && typeof a !== 'object') return equals(a, b);
    return false;
}

/** Truthiness for conditions: only Booleans; null throws. */
export function truth(v: unknown): boolean {
    if (v === true) return true;
    if (v === false) return false;
    if (v === null || v === undefined) npe();
    throw new ApexError('TypeException', 'Condition must be a Boolean');
}

/**
 * The runtime value model of the local Apex runtime.
 *
 * Representation (chosen so the common cases are plain JavaScript values and fast):
 *   null            -> null (JavaScript `undefined` never escapes into Apex code)
 *   Boolean         -> boolean
 *   Integer         -> number, always an int32 (arithmetic wraps with `| 0`)
 *   Long            -> bigint, always within signed 64 bits (`BigInt.asIntN(64, ...)`)
 *   Double          -> ApexDouble (boxed so it stays distinguishable from Integer at run time)
 *   Decimal         -> Decimal (unscaled bigint + scale, Java BigDecimal semantics)
 *   String          -> string
 *   Id              -> ApexId (18-character canonical form; 15- and 18-character ids compare equal)
 *   Date / Datetime / Time -> ApexDate / ApexDatetime / ApexTime
 *   Blob            -> Blob
 *   List / Set / Map -> ApexList / ApexSet / ApexMap (Apex equality and hashing, see keyOf)
 *   SObject         -> any object implementing SObjectValue (records are defined in emulator/apex/data/)
 *   class instance  -> ApexObject (fields in a plain object keyed by lower-case name)
 *   enum value      -> EnumValue
 *   Type token      -> TypeToken (`Account.class`, `Type.forName(...)`)
 *
 * Every Apex type name used at run time is a TypeRef: a lower-cased canonical name plus
 * type arguments, e.g. {name: 'map', args: [{name: 'string'}, {name: 'list', args: [...]}]}.
 */

// ---------------------------------------------------------------------------------------------
// Type references

export interface TypeRef {
    /** Canonical name, lower case, without the `System.` / `Schema.` prefix (e.g. 'string', 'myclass.inner'). */
    readonly name: string;
    /** Type arguments for generic collections. */
    readonly args?: readonly TypeRef[];
    /** Name as written in source, for messages. */
    readonly display?: string;
}

export const T = {
    object: { name: 'object', display: 'Object' } as TypeRef,
    string: { name: 'string', display: 'String' } as TypeRef,
    integer: { name: 'integer', display: 'Integer' } as TypeRef,
    long: { name: 'long', display: 'Long' } as TypeRef,
    double: { name: 'double', display: 'Double' } as TypeRef,
    decimal: { name: 'decimal', display: 'Decimal' } as TypeRef,
    boolean: { name: 'boolean', display: 'Boolean' } as TypeRef,
    id: { name: 'id', display: 'Id' } as TypeRef,
    date: { name: 'date', display: 'Date' } as TypeRef,
    datetime: { name: 'datetime', display: 'Datetime' } as TypeRef,
    time: { name: 'time', display: 'Time' } as TypeRef,
    blob: { name: 'blob', display: 'Blob' } as TypeRef,
    sobject: { name: 'sobject', display: 'SObject' } as TypeRef,
    void: { name: 'void', display: 'void' } as TypeRef
};

export function listOf(elem: TypeRef): TypeRef {
    return { name: 'list', args: [elem] };
}
export function setOf(elem: TypeRef): TypeRef {
    return { name: 'set', args: [elem] };
}
export function mapOf(key: TypeRef, value: TypeRef): TypeRef {
    return { name: 'map', args: [key, value] };
}

/** Apex spelling of a type, e.g. `Map<String,List<Integer>>`. */
export function typeToString(t: TypeRef): string {
    const base = t.display ?? displayName(t.name);
    if (!t.args || t.args.length === 0) return base;
    return `${base}<${t.args.map(typeToString).join(',')}>`;
}

const DISPLAY: Record<string, string> = {
    object: 'Object',
    string: 'String',
    integer: 'Integer',
    long: 'Long',
    double: 'Double',
    decimal: 'Decimal',
    boolean: 'Boolean',
    id: 'Id',
    date: 'Date',
    datetime: 'Datetime',
    time: 'Time',
    blob: 'Blob',
    sobject: 'SObject',
    list: 'List',
    set: 'Set',
    map: 'Map',
    void: 'void'
};
function displayName(lower: string): string {
    return DISPLAY[lower] ?? lower;
}

// ---------------------------------------------------------------------------------------------
// Boxed scalar values

/** A Double. Boxed so that `Object o = 1.0d; o instanceof Integer` is false and `String.valueOf` prints `1.0`. */
export class ApexDouble {
    constructor(readonly v: number) {}
    toString(): string {
        return formatDouble(this.v);
    }
}

/** Java's Double.toString formatting (what Apex prints for Doubles). */
export function formatDouble(v: number): string {
    if (Number.isNaN(v)) return 'NaN';
    if (v === Infinity) return 'Infinity';
    if (v === -Infinity) return '-Infinity';
    if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
    const abs = Math.abs(v);
    if (abs >= 1e-3 && abs < 1e7) {
        const s = String(v);
        return s.includes('.') ? s : `${s}.0`;
    }
    // Scientific: mantissa with at least one decimal digit, 'E', exponent.
    const [mant, exp] = v.toExponential().split('e');
    const m = mant.includes('.') ? mant : `${mant}.0`;
    return `${m}E${Number(exp)}`;
}

/** Decimal: an arbitrary-precision signed decimal number with a scale (Java BigDecimal semantics). */
export class Decimal {
    constructor(
        readonly unscaled: bigint,
        readonly scale: number
    ) {}

    static fromInt(n: number | bigint): Decimal {
        return new Decimal(BigInt(n), 0);
    }

    /** Parses a decimal literal or String (e.g. '-12.340', '1e3'); throws TypeError on bad input. */
    static parse(text: string): Decimal {
        const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
        if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
            throw new TypeError(`Invalid decimal: ${text}`);
        }
        const frac = m[3] ?? '';
        let scale = frac.length - (m[4] ? Number(m[4]) : 0);
        let unscaled = BigInt(`${m[2] || '0'}${frac}`);
        if (m[1] === '-') unscaled = -unscaled;
        if (scale < 0 && !m[4]) scale = 0;
        return new Decimal(unscaled, scale);
    }

    /** Decimal.valueOf(Double): uses the Double's shortest string form, like Java BigDecimal.valueOf(double). */
    static fromNumber(v: number): Decimal {
        if (!Number.isFinite(v)) throw new TypeError(`Invalid decimal: ${v}`);
        if (Number.isInteger(v) && Math.abs(v) < 1e21) return new Decimal(BigInt(v) * 10n, 1);
        return Decimal.parse(String(v));
    }

    toNumber(): number {
        return Number(this.toPlainString());
    }

    /** Plain (non-scientific) string, as Apex's String.valueOf(Decimal) prints. */
    toPlainString(): string {
        const neg = this.unscaled < 0n;
        let digits = (neg ? -this.unscaled : this.unscaled).toString();
        if (this.scale <= 0) {
            return (neg ? '-' : '') + digits + '0'.repeat(-this.scale);
        }
        if (digits.length <= this.scale) digits = '0'.repeat(this.scale - digits.length + 1) + digits;
        const i = digits.length - this.scale;
        return `${neg ? '-' : ''}${digits.slice(0, i)}.${digits.slice(i)}`;
    }

    toString(): string {
        return this.toPlainString();
    }

    /** Rescales up (exactly) to a larger scale. */
    withScaleUp(scale: number): Decimal {
        if (scale <= this.scale) return this;
        return new Decimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    }

    compareTo(other: Decimal): number {
        const s = Math.max(this.scale, other.scale);
        const a = this.withScaleUp(s).unscaled;
        const b = other.withScaleUp(s).unscaled;
        return a < b ? -1 : a > b ? 1 : 0;
    }

    signum(): number {
        return this.unscaled < 0n ? -1 : this.unscaled > 0n ? 1 : 0;
    }

    /** Number of digits in the unscaled value (BigDecimal.precision()). */
    precision(): number {
        const u = this.unscaled < 0n ? -this.unscaled : this.unscaled;
        return u === 0n ? 1 : u.toString().length;
    }
}

/** An Id: stored in its 18-character form; `==` compares the 18-character forms case-sensitively. */
export class ApexId {
    readonly v: string;
    private constructor(v18: string) {
        this.v = v18;
    }
    /** Returns null when the text is not a valid 15- or 18-character Id. */
    static tryParse(text: string): ApexId | null {
        if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(text)) return null;
        const v15 = text.slice(0, 15);
        const full = v15 + idSuffix(v15);
        if (text.length === 18 && text.slice(15).toUpperCase() !== full.slice(15)) return null;
        return new ApexId(full);
    }
    get prefix(): string {
        return this.v.slice(0, 3);
    }
    to15(): string {
        return this.v.slice(0, 15);
    }
    toString(): string {
        return this.v;
    }
}

/** The 3-character case-safe suffix of an 18-character Id (documented Salesforce algorithm). */
export function idSuffix(v15: string): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
    let out = '';
    for (let chunk = 0; chunk < 3; chunk++) {
        let bits = 0;
        for (let i = 0; i < 5; i++) {
            const c = v15.charCodeAt(chunk * 5 + i);
            if (c >= 65 && c <= 90) bits |= 1 << i;
        }
        out += alphabet[bits];
    }
    return out;
}

/** A Date (no time zone). Months are 1-12. */
export class ApexDate {
    constructor(
        readonly year: number,
        readonly month: number,
        readonly day: number
    ) {}
    /** Days since 1970-01-01 (proleptic Gregorian). */
    toEpochDay(): number {
        return Math.floor(Date.UTC(this.year, this.month - 1, this.day) / 86400000);
    }
    static fromEpochDay(d: number): ApexDate {
        const js = new Date(d * 86400000);
        return new ApexDate(js.getUTCFullYear(), js.getUTCMonth() + 1, js.getUTCDate());
    }
    toString(): string {
        return `${pad(this.year, 4)}-${pad(this.month, 2)}-${pad(this.day, 2)}`;
    }
}

/** A Datetime: an instant in milliseconds since the epoch (UTC). Formatting uses the context time zone. */
export class ApexDatetime {
    constructor(readonly ms: number) {}
    /** String.valueOf(Datetime) prints GMT `yyyy-MM-dd HH:mm:ss`. */
    toString(): string {
        const d = new Date(this.ms);
        return (
            `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ` +
            `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`
        );
    }
}

/** A Time of day in milliseconds since midnight. */
export class ApexTime {
    constructor(readonly ms: number) {}
    toString(): string {
        const h = Math.floor(this.ms / 3600000);
        const m = Math.floor(this.ms / 60000) % 60;
        const s = Math.floor(this.ms / 1000) % 60;
        const ms = this.ms % 1000;
        return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`;
    }
}

export class Blob {
    constructor(readonly bytes: Uint8Array) {}
    static fromString(s: string): Blob {
        return new Blob(new TextEncoder().encode(s));
    }
    toUtf8(): string {
        return new TextDecoder().decode(this.bytes);
    }
    toString(): string {
        return `Blob[${this.bytes.length}]`;
    }
}

export function pad(n: number, width: number): string {
    const s = String(Math.abs(n));
    return (n < 0 ? '-' : '') + (s.length >= width ? s : '0'.repeat(width - s.length) + s);
}

// ---------------------------------------------------------------------------------------------
// Collections

/** Apex List (and arrays: `String[]` is `List<String>`). */
export class ApexList {
    constructor(
        public elemType: TypeRef,
        public items: unknown[] = []
    ) {}
}

/** Apex Set: insertion-ordered, keyed by Apex equality (see keyOf). */
export class ApexSet {
    readonly map = new Map<unknown, unknown>();
    constructor(public elemType: TypeRef) {}
}

/** Apex Map: insertion-ordered, keyed by Apex equality; keeps the original key objects. */
export class ApexMap {
    readonly keys = new Map<unknown, unknown>();
    readonly values = new Map<unknown, unknown>();
    constructor(
        public keyType: TypeRef,
        public valueType: TypeRef
    ) {}
}

// ---------------------------------------------------------------------------------------------
// SObjects (records are implemented by emulator/apex/data/; the core only relies on this interface)

export interface SObjectValue {
    readonly __sobject: true;
    /** API name as declared (e.g. 'Account', 'Review__c'). */
    readonly sobjectType: string;
    /** Case-insensitive field read; relationship names return the related SObject / List. */
    get(field: string): unknown;
    /** Case-insensitive field write; returns the previous value. */
    put(field: string, value: unknown): unknown;
    /** `get` with `lc` = the field name lower-cased by the caller (compiled field-access sites). */
    getLower(lc: string, field: string): unknown;
    /** `put` with `lc` = the field name lower-cased by the caller. */
    putLower(lc: string, field: string, value: unknown): unknown;
    /** Populated fields, original casing, in population order. */
    populatedFields(): Map<string, unknown>;
    /** `clone(preserveId, isDeepClone, preserveReadonlyTimestamps, preserveAutonumber)`. */
    cloneRecord(preserveId: boolean, deep: boolean): SObjectValue;
}

export function isSObject(v: unknown): v is SObjectValue {
    return typeof v === 'object' && v !== null && (v as { __sobject?: unknown }).__sobject === true;
}

// ---------------------------------------------------------------------------------------------
// Class instances, enums, type tokens

/** Minimal view of a user (or native) class the value model needs; the interpreter's ClassInfo implements it. */
export interface ClassLike {
    /** Canonical lower-case name (outer.inner for inner classes). */
    readonly name: string;
    /** Name as declared, for messages and `String.valueOf`. */
    readonly displayName: string;
    readonly superclass: ClassLike | null;
    /** True when this class is, or extends / implements, the named type (lower-case). */
    isSubtypeOf(lowerName: string): boolean;
}

export class ApexObject {
    /** Exception extras (message, cause, stack) live in `f` under reserved keys starting with '$'. */
    constructor(
        readonly cls: ClassLike,
        readonly f: Record<string, unknown>
    ) {}
}

export class EnumValue {
    constructor(
        readonly enumType: EnumLike,
        readonly name: string,
        readonly ordinal: number
    ) {}
    toString(): string {
        return this.name;
    }
}

export interface EnumLike {
    readonly name: string;
    readonly displayName: string;
    readonly values: readonly EnumValue[];
}

/**
 * An instance of a platform (native) class implemented in TypeScript, e.g. `HttpRequest`,
 * `Database.SaveResult`. `type` is the registered lower-case type name; `state` is owned by the
 * registering library.
 */
export class NativeObject<S = unknown> {
    constructor(
        readonly type: string,
        public state: S
    ) {}
}

/** A `System.Type` value. */
export class TypeToken {
    constructor(readonly type: TypeRef) {}
    toString(): string {
        return typeToString(this.type);
    }
}

// ---------------------------------------------------------------------------------------------
// Equality and hashing

/**
 * A JavaScript Map key with Apex equality for Set elements and Map keys:
 * Strings are case-sensitive; numbers by value within their type; Ids by 18-character form;
 * SObjects, Lists, Sets, Maps by content; user objects by equals/hashCode (handled by the
 * collection natives through `customKey`), otherwise by identity.
 */
export function keyOf(v: unknown, customKey?: (o: ApexObject) => unknown): unknown {
    if (v === null || v === undefined) return null;
    switch (typeof v) {
        case 'string':
        case 'number':
        case 'boolean':
            return v;
        case 'bigint':
            return `L:${v}`;
        default:
            break;
    }
    if (v instanceof ApexId) return v.v;
    if (v instanceof ApexDouble) return `D:${v.v}`;
    if (v instanceof Decimal) return `N:${v.toPlainString()}`;
    if (v instanceof ApexDate) return `d:${v.toString()}`;
    if (v instanceof ApexDatetime) return `t:${v.ms}`;
    if (v instanceof ApexTime) return `h:${v.ms}`;
    if (v instanceof EnumValue || v instanceof TypeToken) return v;
    if (v instanceof ApexObject) return customKey ? customKey(v) : v;
    if (v instanceof Blob) return `B:${Array.from(v.bytes).join(',')}`;
    return `C:${structuralKey(v, customKey)}`;
}

function structuralKey(v: unknown, customKey?: (o: ApexObject) => unknown): string {
    if (v instanceof ApexList) return `[${v.items.map((x) => String(keyText(x, customKey))).join(',')}]`;
    if (v instanceof ApexSet) return `{${[...v.map.keys()].map((k) => String(k)).join(',')}}`;
    if (v instanceof ApexMap) {
        return `{${[...v.keys.keys()].map((k) => `${String(k)}=${String(keyText(v.values.get(k), customKey))}`).join(',')}}`;
    }
    if (isSObject(v)) {
        const parts: string[] = [];
        for (const [f, x] of v.populatedFields())
            parts.push(`${f.toLowerCase()}=${String(keyText(x, customKey))}`);
        return `${v.sobjectType.toLowerCase()}{${parts.sort().join(',')}}`;
    }
    return String(v);
}

function keyText(v: unknown, customKey?: (o: ApexObject) => unknown): unknown {
    const k = keyOf(v, customKey);
    return typeof k === 'object' && k !== null ? objectIdentity(k) : k;
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;
/** A stable per-object number (used for identity hashing of user objects). */
export function objectIdentity(o: object): string {
    let n = identities.get(o);
    if (n === undefined) {
        n = nextIdentity++;
        identities.set(o, n);
    }
    return `#${n}`;
}

/** Runtime type name of a value (lower case canonical), used by instanceof, switch on type and messages. */
export function runtimeTypeName(v: unknown): string {
    if (v === null || v === undefined) return 'null';
    switch (typeof v) {
        case 'string':
            return 'string';
        case 'number':
            return 'integer';
        case 'boolean':
            return 'boolean';
        case 'bigint':
            return 'long';
        default:
            break;
    }
    if (v instanceof ApexList) return 'list';
    if (v instanceof ApexMap) return 'map';
    if (v instanceof ApexSet) return 'set';
    if (v instanceof ApexObject) return v.cls.name;
    if (v instanceof ApexDouble) return 'double';
    if (v instanceof Decimal) return 'decimal';
    if (v instanceof ApexId) return 'id';
    if (v instanceof ApexDate) return 'date';
    if (v instanceof ApexDatetime) return 'datetime';
    if (v instanceof ApexTime) return 'time';
    if (v instanceof Blob) return 'blob';
    if (v instanceof ApexList) return 'list';
    if (v instanceof ApexSet) return 'set';
    if (v instanceof ApexMap) return 'map';
    if (v instanceof ApexObject) return v.cls.name;
    if (v instanceof EnumValue) return v.enumType.name;
    if (v instanceof TypeToken) return 'type';
    if (v instanceof NativeObject) return v.type;
    if (isSObject(v)) return v.sobjectType.toLowerCase();
    return 'object';
}

/** JSON natives: serialize, serializePretty, deserialize, deserializeStrict, deserializeUntyped. */
import { raise } from '../runtime/errors.js';
import type { NativeRegistry } from '../runtime/natives.js';
import * as ops from '../runtime/ops.js';
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
    T,
    TypeToken,
    formatDouble,
    isSObject
} from '../runtime/values.js';
import type { TypeRef } from '../runtime/values.js';
import type { Interpreter } from '../interp/interpreter.js';
import type { ClassInfo } from '../interp/model.js';
import { datetimeJson, parseDatetimeString } from './datetime.js';
import { str } from './util.js';

// ---------------------------------------------------------------------------------------------
// A JSON value tree that keeps number text (so 1.50 stays Decimal 1.50 and big integers stay exact)

type JNum = { readonly num: string };
type JVal = null | boolean | string | JNum | JVal[] | { [k: string]: JVal };

function isNum(v: JVal): v is JNum {
    return typeof v === 'object' && v !== null && (v as { __jnum?: boolean }).__jnum === true;
}

function parseJson(text: string): JVal {
    let i = 0;
    const fail = (msg: string): never => raise('JSONException', `${msg} at [line:1, column:${i + 1}]`);
    const ws = (): void => {
        while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
    };
    const value = (): JVal => {
        ws();
        const c = text[i];
        if (c === '{') {
            i++;
            const o: { [k: string]: JVal } = Object.create(null);
            ws();
            if (text[i] === '}') {
                i++;
                return o;
            }
            for (;;) {
                ws();
                if (text[i] !== '"') fail('Unexpected character');
                const k = string();
                ws();
                if (text[i] !== ':') fail("Unexpected character, expected ':'");
                i++;
                o[k] = value();
                ws();
                if (text[i] === ',') {
                    i++;
                    continue;
                }
                if (text[i] === '}') {
                    i++;
                    return o;
                }
                fail('Unexpected character');
            }
        }
        if (c === '[') {
            i++;
            const a: JVal[] = [];
            ws();
            if (text[i] === ']') {
                i++;
                return a;
            }
            for (;;) {
                a.push(value());
                ws();
                if (text[i] === ',') {
                    i++;
                    continue;
                }
                if (text[i] === ']') {
                    i++;
                    return a;
                }
                fail('Unexpected character');
            }
        }
        if (c === '"') return string();
        const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
        if (m) {
            i += m[0].length;
            const n = { num: m[0], __jnum: true } as unknown as JNum;
            return n;
        }
        for (const [lit, v] of [
            ['true', true],
            ['false', false],
            ['null', null]
        ] as const) {
            if (text.startsWith(lit, i)) {
                i += lit.length;
                return v;
            }
        }
        return fail('Unexpected character');
    };
    const string = (): string => {
        i++;
        let out = '';
        for (;;) {
            if (i >= text.length) fail('Unexpected end of input');
            const c = text[i++];
            if (c === '"') return out;
            if (c === '\\') {
                const e = text[i++];
                switch (e) {
                    case 'n':
                        out += '\n';
                        break;
                    case 't':
                        out += '\t';
                        break;
                    case 'r':
                        out += '\r';
                        break;
                    case 'b':
                        out += '\b';
                        break;
                    case 'f':
                        out += '\f';
                        break;
                    case 'u':
                        out += String.fromCharCode(parseInt(text.slice(i, i + 4), 16));
                        i += 4;
                        break;
                    default:
                        out += e;
                }
            } else out += c;
        }
    };
    const v = value();
    ws();
    if (i < text.length) fail('Unexpected character');
    return v;
}

// ---------------------------------------------------------------------------------------------
// Serialization

function quote(s: string): string {
    return JSON.stringify(s);
}

/** Serializes a runtime value to a plain JSON-able tree of strings (numbers pre-rendered). */
function toJson(ip: Interpreter, v: unknown, suppressNulls: boolean, seen: Set<unknown>): JVal {
    if (v === null || v === undefined) return null;
    switch (typeof v) {
        case 'string':
            return v;
        case 'boolean':
            return v;
        case 'number':
            return { num: String(v), __jnum: true } as unknown as JNum;
        case 'bigint':
            return { num: v.toString(), __jnum: true } as unknown as JNum;
        default:
            break;
    }
    const num = (s: string): JVal => ({ num: s, __jnum: true }) as unknown as JNum;
    if (v instanceof Decimal) return num(v.toPlainString());
    if (v instanceof ApexDouble) return num(formatDouble(v.v));
    if (v instanceof ApexId) return v.v;
    if (v instanceof ApexDate) return v.toString();
    if (v instanceof ApexDatetime) return datetimeJson(v);
    if (v instanceof ApexTime) return v.toString();
    if (v instanceof Blob) return Buffer.from(v.bytes).toString('base64');
    if (v instanceof EnumValue) return v.name;
    if (v instanceof TypeToken) return ops.stringOf(v);
    if (seen.has(v)) return raise('JSONException', 'Cyclic reference detected while serializing');
    seen.add(v);
    try {
        if (v instanceof ApexList) return v.items.map((x) => toJson(ip, x, suppressNulls, seen));
        if (v instanceof ApexSet) return [...v.map.values()].map((x) => toJson(ip, x, suppressNulls, seen));
        if (v instanceof ApexMap) {
            const o: { [k: string]: JVal } = {};
            for (const [k, kv] of v.keys)
                o[ops.stringOf(kv)] = toJson(ip, v.values.get(k), suppressNulls, seen);
            return o;
        }
        if (isSObject(v)) {
            const o: { [k: string]: JVal } = {};
            const id = v.get('Id');
            o.attributes = id
                ? {
                      type: v.sobjectType,
                      url: `/services/data/v65.0/sobjects/${v.sobjectType}/${ops.stringOf(id)}`
                  }
                : { type: v.sobjectType };
            for (const [f, x] of v.populatedFields()) {
                if (x instanceof ApexList)
                    o[f] = {
                        totalSize: num(String(x.items.length)),
                        done: true,
                        records: x.items.map((r) => toJson(ip, r, suppressNulls, seen))
                    };
                else o[f] = toJson(ip, x, suppressNulls, seen);
            }
            return o;
        }
        if (v instanceof ApexObject) {
            const o: { [k: string]: JVal } = {};
            const chain: ClassInfo[] = [];
            for (let c: ClassInfo | null = v.cls as ClassInfo; c; c = c.superclass) chain.unshift(c);
            for (const c of chain) {
                for (const f of c.fields.values()) {
                    if (f.isTransient) continue;
                    const x = ip.compiler.getMember(v, f.name, f.lname, false);
                    if (x === null && suppressNulls) continue;
                    o[f.name] = toJson(ip, x, suppressNulls, seen);
                }
            }
            return o;
        }
        return raise('JSONException', `Type cannot be serialized: ${ops.stringOf(v)}`);
    } finally {
        seen.delete(v);
    }
}

function render(v: JVal, pretty: boolean, indent = ''): string {
    if (v === null) return 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'string') return quote(v);
    if (isNum(v)) return v.num;
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
        if (v.length === 0) return pretty ? '[ ]' : '[]';
        if (!pretty) return `[${v.map((x) => render(x, false)).join(',')}]`;
        return `[ ${v.map((x) => render(x, true, inner)).join(', ')} ]`;
    }
    const keys = Object.keys(v);
    if (keys.length === 0) return pretty ? '{ }' : '{}';
    if (!pretty) return `{${keys.map((k) => `${quote(k)}:${render(v[k], false)}`).join(',')}}`;
    return `{\n${keys.map((k) => `${inner}${quote(k)} : ${render(v[k], true, inner)}`).join(',\n')}\n${indent}}`;
}

// ---------------------------------------------------------------------------------------------
// Deserialization

function untyped(v: JVal): unknown {
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
    if (isNum(v)) return numberValue(v.num);
    if (Array.isArray(v)) return new ApexList(T.object, v.map(untyped));
    const m = new ApexMap(T.string, T.object);
    for (const [k, x] of Object.entries(v)) {
        m.keys.set(k, k);
        m.values.set(k, untyped(x));
    }
    return m;
}

/** Untyped numbers: Integer when it fits, else Long; decimals as Decimal. */
function numberValue(text: string): unknown {
    if (/^-?\d+$/.test(text)) {
        const n = BigInt(text);
        if (n >= -2147483648n && n <= 2147483647n) return Number(n);
        return BigInt.asIntN(64, n);
    }
    return Decimal.parse(text);
}

function typed(ip: Interpreter, v: JVal, t: TypeRef, strict: boolean): unknown {
    if (v === null) return null;
    const bad = (): never =>
        raise('JSONException', `Illegal value for ${t.display ?? t.name}: ${render(v, false)}`);
    switch (t.name) {
        case 'object':
            return untyped(v);
        case 'string':
            if (typeof v === 'string') return v;
            if (isNum(v)) return v.num;
            if (typeof v === 'boolean') return String(v);
            return bad();
        case 'integer':
            if (isNum(v)) return Number(BigInt.asIntN(32, BigInt(v.num.split(/[.eE]/)[0])));
            if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v) | 0;
            return bad();
        case 'long':
            if (isNum(v)) return BigInt(v.num.split(/[.eE]/)[0]);
            return bad();
        case 'decimal':
            if (isNum(v)) return Decimal.parse(v.num);
            if (typeof v === 'string') return Decimal.parse(v);
            return bad();
        case 'double':
            if (isNum(v)) return new ApexDouble(Number(v.num));
            return bad();
        case 'boolean':
            if (typeof v === 'boolean') return v;
            return bad();
        case 'id':
            if (typeof v === 'string') return ApexId.tryParse(v) ?? bad();
            return bad();
        case 'date':
            if (typeof v === 'string') {
                const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
                return m ? new ApexDate(Number(m[1]), Number(m[2]), Number(m[3])) : bad();
            }
            return bad();
        case 'datetime':
            if (typeof v === 'string') {
                const p = parseDatetimeString(v);
                if (p.instant !== null) return new ApexDatetime(p.instant);
                const [y, mo, d, h, mi, s, ms] = p.parts;
                return new ApexDatetime(Date.UTC(y, mo - 1, d, h, mi, s, ms));
            }
            if (isNum(v)) return new ApexDatetime(Number(v.num));
            return bad();
        case 'blob':
            if (typeof v === 'string') return new Blob(new Uint8Array(Buffer.from(v, 'base64')));
            return bad();
        case 'list':
        case 'set': {
            if (!Array.isArray(v)) return bad();
            const elem = t.args?.[0] ?? T.object;
            const items = v.map((x) => typed(ip, x, elem, strict));
            if (t.name === 'list') return new ApexList(elem, items);
            const s = new ApexSet(elem);
            for (const x of items) s.map.set(ops.key(x), x);
            return s;
        }
        case 'map': {
            if (typeof v !== 'object' || Array.isArray(v) || isNum(v)) return bad();
            const kt = t.args?.[0] ?? T.string;
            const vt = t.args?.[1] ?? T.object;
            const m = new ApexMap(kt, vt);
            for (const [k, x] of Object.entries(v)) {
                const kv =
                    kt.name === 'string'
                        ? k
                        : typed(
                              ip,
                              isNumericText(k) ? ({ num: k, __jnum: true } as unknown as JNum) : k,
                              kt,
                              strict
                          );
                const key = ops.key(kv);
                m.keys.set(key, kv);
                m.values.set(key, typed(ip, x, vt, strict));
            }
            return m;
        }
        default:
            break;
    }
    const en = ip.enumOf(t);
    if (en) {
        if (typeof v !== 'string') return bad();
        return en.byName.get(v.toLowerCase()) ?? null;
    }
    if (ip.hooks.sobjects.isSObjectType(t.name) || t.name === 'sobject') {
        if (typeof v !== 'object' || Array.isArray(v) || isNum(v)) return bad();
        const attrs = v.attributes as { [k: string]: JVal } | undefined;
        const typeName =
            t.name === 'sobject'
                ? attrs && typeof attrs.type === 'string'
                    ? attrs.type
                    : bad()
                : ip.hooks.sobjects.canonicalName(t.name);
        const fields = new Map<string, unknown>();
        for (const [k, x] of Object.entries(v)) {
            if (k === 'attributes') continue;
            if (x !== null && typeof x === 'object' && !Array.isArray(x) && !isNum(x)) {
                const rec = x as { [k: string]: JVal };
                if (Array.isArray(rec.records)) {
                    fields.set(
                        k,
                        new ApexList(
                            T.sobject,
                            rec.records.map((r) => typed(ip, r, T.sobject, strict))
                        )
                    );
                    continue;
                }
                fields.set(k, typed(ip, x, T.sobject, strict));
                continue;
            }
            fields.set(
                k,
                x === null || typeof x !== 'object' ? x : isNum(x) ? numberValue(x.num) : untyped(x)
            );
        }
        return ip.hooks.sobjects.create(ip, typeName, fields, ip.pos());
    }
    const cls = ip.classOf(t);
    if (cls) {
        if (typeof v !== 'object' || Array.isArray(v) || isNum(v)) return bad();
        const obj = ip.construct(cls, []);
        for (const [k, x] of Object.entries(v)) {
            const f = cls.findField(k.toLowerCase());
            if (!f || f.isStatic) {
                if (strict) raise('JSONException', `No such column '${k}' on entity '${cls.displayName}'`);
                continue;
            }
            obj.f[f.lname] = typed(ip, x, f.type, strict);
        }
        return obj;
    }
    return raise('JSONException', `Cannot deserialize into type ${t.display ?? t.name}`);
}

function isNumericText(s: string): boolean {
    return /^-?\d+(\.\d+)?$/.test(s);
}

export function installJson(r: NativeRegistry): void {
    r.register({
        name: 'JSON',
        statics: {
            'serialize/1': (ctx, [v]) => render(toJson(ctx as Interpreter, v, false, new Set()), false),
            'serialize/2': (ctx, [v, sup]) =>
                render(toJson(ctx as Interpreter, v, sup === true, new Set()), false),
            'serializepretty/1': (ctx, [v]) => render(toJson(ctx as Interpreter, v, false, new Set()), true),
            'serializepretty/2': (ctx, [v, sup]) =>
                render(toJson(ctx as Interpreter, v, sup === true, new Set()), true),
            deserialize: (ctx, [text, type]) => {
                if (!(type instanceof TypeToken))
                    return raise('NullPointerException', 'Argument cannot be null');
                return typed(ctx as Interpreter, parseJson(str(text)), type.type, false);
            },
            deserializestrict: (ctx, [text, type]) => {
                if (!(type instanceof TypeToken))
                    return raise('NullPointerException', 'Argument cannot be null');
                return typed(ctx as Interpreter, parseJson(str(text)), type.type, true);
            },
            deserializeuntyped: (_ctx, [text]) => untyped(parseJson(str(text)))
        }
    });
}

// ---------------------------------------------------------------------------------------------
// JSONGenerator (Apex Reference, "JSONGenerator Class")

interface GenState {
    readonly pretty: boolean;
    /** Open containers, innermost last; `key` is the pending field name of an object. */
    readonly stack: { node: JVal[] | { [k: string]: JVal }; key: string | null }[];
    root: JVal | undefined;
    closed: boolean;
}

function G(self: unknown): GenState {
    return (self as NativeObject<GenState>).state;
}

function emit(g: GenState, v: JVal): void {
    const top = g.stack[g.stack.length - 1];
    if (!top) {
        if (g.root !== undefined)
            raise('JSONException', 'Can not write a value: the generator already holds a complete value');
        g.root = v;
        return;
    }
    if (Array.isArray(top.node)) top.node.push(v);
    else {
        if (top.key === null) raise('JSONException', 'Can not write a value, expecting a field name');
        top.node[top.key] = v;
        top.key = null;
    }
}

function fieldThen(g: GenState, name: unknown, v: JVal): null {
    const top = g.stack[g.stack.length - 1];
    if (!top || Array.isArray(top.node))
        raise('JSONException', 'Can not write a field name, expecting a value');
    top.key = str(name);
    emit(g, v);
    return null;
}

export function installJsonGenerator(r: NativeRegistry): void {
    const val = (ctx: unknown, v: unknown): JVal => toJson(ctx as Interpreter, v, false, new Set());
    r.register({
        name: 'JSON',
        statics: {
            creategenerator: (_ctx, [pretty]) =>
                new NativeObject<GenState>('jsongenerator', {
                    pretty: pretty === true,
                    stack: [],
                    root: undefined,
                    closed: false
                })
        }
    });
    r.register({
        name: 'JSONGenerator',
        methods: {
            writestartobject: (_c, self) => {
                const o: { [k: string]: JVal } = {};
                emit(G(self), o);
                G(self).stack.push({ node: o, key: null });
                return null;
            },
            writestartarray: (_c, self) => {
                const a: JVal[] = [];
                emit(G(self), a);
                G(self).stack.push({ node: a, key: null });
                return null;
            },
            writeendobject: (_c, self) => {
                const top = G(self).stack.pop();
                if (!top || Array.isArray(top.node)) raise('JSONException', 'Current context not an object');
                return null;
            },
            writeendarray: (_c, self) => {
                const top = G(self).stack.pop();
                if (!top || !Array.isArray(top.node)) raise('JSONException', 'Current context not an array');
                return null;
            },
            writefieldname: (_c, self, [n]) => {
                const top = G(self).stack[G(self).stack.length - 1];
                if (!top || Array.isArray(top.node))
                    raise('JSONException', 'Can not write a field name, expecting a value');
                top.key = str(n);
                return null;
            },
            writestring: (ctx, self, [v]) => (emit(G(self), val(ctx, v === null ? null : str(v))), null),
            writestringfield: (ctx, self, [n, v]) =>
                fieldThen(G(self), n, val(ctx, v === null ? null : str(v))),
            writenumber: (ctx, self, [v]) => (emit(G(self), val(ctx, v)), null),
            writenumberfield: (ctx, self, [n, v]) => fieldThen(G(self), n, val(ctx, v)),
            writeboolean: (_c, self, [v]) => (emit(G(self), v as boolean), null),
            writebooleanfield: (_c, self, [n, v]) => fieldThen(G(self), n, v as boolean),
            writenull: (_c, self) => (emit(G(self), null), null),
            writenullfield: (_c, self, [n]) => fieldThen(G(self), n, null),
            writeobject: (ctx, self, [v]) => (emit(G(self), val(ctx, v)), null),
            writeobjectfield: (ctx, self, [n, v]) => fieldThen(G(self), n, val(ctx, v)),
            writedate: (ctx, self, [v]) => (emit(G(self), val(ctx, v)), null),
            writedatefield: (ctx, self, [n, v]) => fieldThen(G(self), n, val(ctx, v)),
            writedatetime: (ctx, self, [v]) => (emit(G(self), val(ctx, v)), null),
            writedatetimefield: (ctx, self, [n, v]) => fieldThen(G(self), n, val(ctx, v)),
            writeid: (ctx, self, [v]) => (emit(G(self), val(ctx, v)), null),
            writeidfield: (ctx, self, [n, v]) => fieldThen(G(self), n, val(ctx, v)),
            writeblob: (ctx, self, [v]) => (emit(G(self), val(ctx, v)), null),
            writeblobfield: (ctx, self, [n, v]) => fieldThen(G(self), n, val(ctx, v)),
            close: (_c, self) => {
                G(self).closed = true;
                return null;
            },
            isclosed: (_c, self) => G(self).closed,
            getasstring: (_c, self) => {
                const g = G(self);
                if (g.stack.length > 0) raise('JSONException', 'Unclosed object or array');
                return g.root === undefined ? '' : render(g.root, g.pretty);
            }
        }
    });
}

/** List, Set and Map natives (Apex Reference: List Class, Set Class, Map Class). */
import type { ApexContext } from '../runtime/context.js';
import { npe, raise } from '../runtime/errors.js';
import { NotSupportedError } from '../runtime/hooks.js';
import type { NativeRegistry } from '../runtime/natives.js';
import * as ops from '../runtime/ops.js';
import { ApexList, ApexMap, ApexObject, ApexSet, NativeObject, isSObject } from '../runtime/values.js';
import type { TypeRef } from '../runtime/values.js';
import { hashCodeOf } from './system.js';
import { int } from './util.js';

function L(self: unknown): ApexList {
    return self as ApexList;
}
function S(self: unknown): ApexSet {
    return self as ApexSet;
}
function M(self: unknown): ApexMap {
    return self as ApexMap;
}

function conv(ctx: ApexContext, v: unknown, t: TypeRef): unknown {
    // Only these element types ever convert on assignment (see Interpreter.coerce).
    const n = t.name;
    if (n === 'long' || n === 'double' || n === 'decimal' || n === 'id' || n === 'string')
        return ctx.coerce(v, t);
    return v;
}

function itemsOf(v: unknown): unknown[] {
    if (v === null || v === undefined) return npe();
    if (v instanceof ApexList) return v.items;
    if (v instanceof ApexSet) return [...v.map.values()];
    return raise('TypeException', 'Expected a collection');
}

/** Element identity for contains/indexOf: Strings compare case-sensitively (like Set membership). */
function sameElement(a: unknown, b: unknown): boolean {
    if (typeof a === 'string' && typeof b === 'string') return a === b;
    return ops.equals(a, b);
}

function bounds(l: ApexList, i: number, inclusiveEnd = false): void {
    if (i < 0 || i > l.items.length || (!inclusiveEnd && i === l.items.length))
        raise('ListException', `List index out of bounds: ${i}`);
}

/** Apex List.sort(): natural order; SObjects and user Comparables via compareTo. */
export function sortItems(ctx: ApexContext, items: unknown[]): void {
    items.sort((a, b) => {
        if (a === null) return b === null ? 0 : -1;
        if (b === null) return 1;
        if (a instanceof ApexObject) return int(ctx.invokeMethod(a, 'compareTo', [b]));
        if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
        if (isSObject(a) || isSObject(b)) throw new NotSupportedError('List.sort() of SObjects', ctx.pos());
        return ops.order(a, b);
    });
}

export function installCollections(r: NativeRegistry): void {
    r.register({
        name: 'List',
        methods: {
            'add/1': (ctx, self, [v]) => {
                L(self).items.push(conv(ctx, v, L(self).elemType));
                return null;
            },
            'add/2': (ctx, self, [i, v]) => {
                bounds(L(self), int(i), true);
                L(self).items.splice(int(i), 0, conv(ctx, v, L(self).elemType));
                return null;
            },
            addall: (ctx, self, [o]) => {
                for (const x of itemsOf(o)) L(self).items.push(conv(ctx, x, L(self).elemType));
                return null;
            },
            clear: (_c, self) => {
                L(self).items.length = 0;
                return null;
            },
            clone: (_c, self) => new ApexList(L(self).elemType, [...L(self).items]),
            deepclone: (ctx, self, args) =>
                new ApexList(
                    L(self).elemType,
                    L(self).items.map((x) => (isSObject(x) ? x.cloneRecord(args[0] === true, true) : x))
                ),
            contains: (_c, self, [v]) => L(self).items.some((x) => sameElement(x, v)),
            equals: (_c, self, [o]) => ops.equals(self, o),
            get: (_c, self, [i]) => {
                bounds(L(self), int(i));
                return L(self).items[int(i)];
            },
            hashcode: (_c, self) => hashCodeOf(self),
            indexof: (_c, self, [v]) => L(self).items.findIndex((x) => sameElement(x, v)),
            isempty: (_c, self) => L(self).items.length === 0,
            iterator: (ctx, self) => ctx.newInstance('$ListIterator', [self]),
            remove: (_c, self, [i]) => {
                bounds(L(self), int(i));
                return L(self).items.splice(int(i), 1)[0];
            },
            set: (ctx, self, [i, v]) => {
                bounds(L(self), int(i));
                L(self).items[int(i)] = conv(ctx, v, L(self).elemType);
                return null;
            },
            size: (_c, self) => L(self).items.length,
            sort: (ctx, self) => {
                sortItems(ctx, L(self).items);
                return null;
            },
            tostring: (_c, self) => ops.stringOf(self)
        }
    });

    r.register({
        name: '$ListIterator',
        constructors: {
            '1': (_c, [l]) => new NativeObject('$listiterator', { items: [...itemsOf(l)], i: 0 })
        },
        methods: {
            hasnext: (_c, self) => {
                const st = (self as NativeObject<{ items: unknown[]; i: number }>).state;
                return st.i < st.items.length;
            },
            next: (_c, self) => {
                const st = (self as NativeObject<{ items: unknown[]; i: number }>).state;
                if (st.i >= st.items.length)
                    raise('NoSuchElementException', 'Iterator has no more elements.');
                return st.items[st.i++];
            }
        }
    });

    r.register({
        name: 'Set',
        methods: {
            add: (ctx, self, [v]) => {
                const x = conv(ctx, v, S(self).elemType);
                const k = ops.key(x);
                if (S(self).map.has(k)) return false;
                S(self).map.set(k, x);
                return true;
            },
            addall: (ctx, self, [o]) => {
                let changed = false;
                for (const v of itemsOf(o)) {
                    const x = conv(ctx, v, S(self).elemType);
                    const k = ops.key(x);
                    if (!S(self).map.has(k)) {
                        S(self).map.set(k, x);
                        changed = true;
                    }
                }
                return changed;
            },
            clear: (_c, self) => {
                S(self).map.clear();
                return null;
            },
            clone: (_c, self) => {
                const s = new ApexSet(S(self).elemType);
                for (const [k, v] of S(self).map) s.map.set(k, v);
                return s;
            },
            contains: (ctx, self, [v]) => S(self).map.has(ops.key(conv(ctx, v, S(self).elemType))),
            containsall: (ctx, self, [o]) =>
                itemsOf(o).every((v) => S(self).map.has(ops.key(conv(ctx, v, S(self).elemType)))),
            equals: (_c, self, [o]) => ops.equals(self, o),
            hashcode: (_c, self) => hashCodeOf(ops.stringOf(self)),
            isempty: (_c, self) => S(self).map.size === 0,
            remove: (ctx, self, [v]) => S(self).map.delete(ops.key(conv(ctx, v, S(self).elemType))),
            removeall: (ctx, self, [o]) => {
                let changed = false;
                for (const v of itemsOf(o))
                    if (S(self).map.delete(ops.key(conv(ctx, v, S(self).elemType)))) changed = true;
                return changed;
            },
            retainall: (ctx, self, [o]) => {
                const keep = new Set(itemsOf(o).map((v) => ops.key(conv(ctx, v, S(self).elemType))));
                let changed = false;
                for (const k of [...S(self).map.keys()]) {
                    if (!keep.has(k)) {
                        S(self).map.delete(k);
                        changed = true;
                    }
                }
                return changed;
            },
            size: (_c, self) => S(self).map.size,
            iterator: (ctx, self) => ctx.newInstance('$ListIterator', [self]),
            tostring: (_c, self) => ops.stringOf(self)
        }
    });

    r.register({
        name: 'Map',
        methods: {
            clear: (_c, self) => {
                M(self).keys.clear();
                M(self).values.clear();
                return null;
            },
            clone: (_c, self) => {
                const m = new ApexMap(M(self).keyType, M(self).valueType);
                for (const [k, kv] of M(self).keys) {
                    m.keys.set(k, kv);
                    m.values.set(k, M(self).values.get(k));
                }
                return m;
            },
            containskey: (ctx, self, [k]) => M(self).keys.has(ops.key(conv(ctx, k, M(self).keyType))),
            equals: (_c, self, [o]) => ops.equals(self, o),
            get: (ctx, self, [k]) => {
                const v = M(self).values.get(ops.key(conv(ctx, k, M(self).keyType)));
                return v === undefined ? null : v;
            },
            hashcode: (_c, self) => hashCodeOf(self),
            isempty: (_c, self) => M(self).keys.size === 0,
            keyset: (_c, self) => {
                const s = new ApexSet(M(self).keyType);
                for (const [k, kv] of M(self).keys) s.map.set(k, kv);
                return s;
            },
            put: (ctx, self, [k, v]) => {
                const kv = conv(ctx, k, M(self).keyType);
                const key = ops.key(kv);
                const old = M(self).values.get(key);
                if (!M(self).keys.has(key)) M(self).keys.set(key, kv);
                M(self).values.set(key, conv(ctx, v, M(self).valueType));
                return old === undefined ? null : old;
            },
            putall: (_ctx, self, [o]) => {
                if (o instanceof ApexMap) {
                    for (const [k, kv] of o.keys) {
                        if (!M(self).keys.has(k)) M(self).keys.set(k, kv);
                        M(self).values.set(k, o.values.get(k));
                    }
                } else {
                    for (const rec of itemsOf(o)) {
                        if (!isSObject(rec)) continue;
                        const id = rec.get('Id');
                        const k = ops.key(id);
                        if (!M(self).keys.has(k)) M(self).keys.set(k, id);
                        M(self).values.set(k, rec);
                    }
                }
                return null;
            },
            remove: (ctx, self, [k]) => {
                const key = ops.key(conv(ctx, k, M(self).keyType));
                const old = M(self).values.get(key);
                M(self).keys.delete(key);
                M(self).values.delete(key);
                return old === undefined ? null : old;
            },
            size: (_c, self) => M(self).keys.size,
            values: (_c, self) => new ApexList(M(self).valueType, [...M(self).values.values()]),
            tostring: (_c, self) => ops.stringOf(self)
        }
    });
}

/**
 * Writes the local runtime's database snapshot (`OrgDatabase.snapshot()`) as JSON and reads it back,
 * so `npm start` keeps the demo org across restarts. Runtime values are tagged by type. Apex objects
 * (the Schedulable instance of a scheduled job, which the platform keeps with the job) are written
 * with their class and fields and rebuilt without running a constructor.
 */
import type { Schema } from '../apex/data/schema.ts';
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
    keyOf,
    type ClassLike,
    type EnumLike,
    type TypeRef
} from '../apex/runtime/values.ts';

interface SnapshotRow {
    id: ApexId;
    def: { name: string };
    values: Map<string, unknown>;
    deleted: boolean;
}

interface Snapshot {
    tables: Map<string, Map<string, SnapshotRow>>;
    ids: number;
    autoNumbers: Map<string, number>;
}

export type Encoded = null | boolean | number | string | { $: string; [k: string]: unknown };

export interface EncodedSnapshot {
    ids: number;
    autoNumbers: [string, number][];
    tables: { object: string; rows: { id: string; deleted: boolean; values: [string, Encoded][] }[] }[];
}

export function encodeValue(v: unknown): Encoded {
    if (v === null || v === undefined) return null;
    if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
    if (typeof v === 'bigint') return { $: 'long', v: v.toString() };
    if (v instanceof ApexId) return { $: 'id', v: v.v };
    if (v instanceof ApexDatetime) return { $: 'datetime', ms: v.ms };
    if (v instanceof ApexDate) return { $: 'date', y: v.year, m: v.month, d: v.day };
    if (v instanceof ApexTime) return { $: 'time', ms: v.ms };
    if (v instanceof Decimal) return { $: 'decimal', u: v.unscaled.toString(), s: v.scale };
    if (v instanceof ApexDouble) return { $: 'double', v: v.v };
    if (v instanceof Blob) return { $: 'blob', v: Buffer.from(v.bytes).toString('base64') };
    throw new Error(`cannot persist a field value of type ${(v as object).constructor?.name ?? typeof v}`);
}

export function decodeValue(e: Encoded): unknown {
    if (e === null || typeof e !== 'object') return e;
    switch (e.$) {
        case 'long':
            return BigInt(String(e.v));
        case 'id': {
            const id = ApexId.tryParse(String(e.v));
            if (!id) throw new Error(`invalid persisted id ${String(e.v)}`);
            return id;
        }
        case 'datetime':
            return new ApexDatetime(Number(e.ms));
        case 'date':
            return new ApexDate(Number(e.y), Number(e.m), Number(e.d));
        case 'time':
            return new ApexTime(Number(e.ms));
        case 'decimal':
            return new Decimal(BigInt(String(e.u)), Number(e.s));
        case 'double':
            return new ApexDouble(Number(e.v));
        case 'blob':
            return new Blob(new Uint8Array(Buffer.from(String(e.v), 'base64')));
        default:
            throw new Error(`unknown persisted value tag ${e.$}`);
    }
}

export function encodeSnapshot(snapshot: unknown): EncodedSnapshot {
    const s = snapshot as Snapshot;
    return {
        ids: s.ids,
        autoNumbers: [...s.autoNumbers],
        tables: [...s.tables.values()]
            .map((t) => [...t.values()])
            .filter((rows) => rows.length > 0)
            .map((rows) => ({
                object: rows[0]?.def.name ?? '',
                rows: rows.map((r) => ({
                    id: r.id.v,
                    deleted: r.deleted,
                    values: [...r.values].map(([k, v]): [string, Encoded] => [k, encodeValue(v)])
                }))
            }))
    };
}

/** The inverse of encodeSnapshot, resolving object definitions against the current schema. */
export function decodeSnapshot(encoded: EncodedSnapshot, schema: Schema): unknown {
    const tables = new Map<string, Map<string, SnapshotRow>>();
    for (const t of encoded.tables) {
        const def = schema.get(t.object);
        if (!def)
            throw new Error(
                `persisted object ${t.object} is no longer in the schema; delete .state/ to reset`
            );
        const rows = new Map<string, SnapshotRow>();
        for (const r of t.rows) {
            const id = decodeValue({ $: 'id', v: r.id }) as ApexId;
            rows.set(r.id.slice(0, 15), {
                id,
                def,
                values: new Map(r.values.map(([k, v]) => [k, decodeValue(v)])),
                deleted: r.deleted
            });
        }
        tables.set(def.name.toLowerCase(), rows);
    }
    return { tables, ids: encoded.ids, autoNumbers: new Map(encoded.autoNumbers) };
}

/** Resolves a persisted class or enum name (canonical, lower case) against the loaded code. */
export interface TypeResolver {
    classOf(name: string): ClassLike | null;
    enumOf(name: string): EnumLike | null;
}

/**
 * An Apex value held by the runtime (not only a field value): primitives as encodeValue, plus user
 * class instances, enums, lists, sets and maps. SObjects, natives and exceptions throw: nothing the
 * preview persists holds them, and guessing their state would restore something else.
 */
export function encodeApexValue(v: unknown, depth = 0): Encoded {
    if (depth > 32) throw new Error('cannot persist an Apex value nested deeper than 32 levels');
    const inner = (x: unknown) => encodeApexValue(x, depth + 1);
    if (v instanceof ApexObject) {
        const fields = Object.entries(v.f);
        if (fields.some(([k]) => k.startsWith('$')))
            throw new Error(`cannot persist an exception object (${v.cls.displayName})`);
        return { $: 'object', cls: v.cls.name, f: fields.map(([k, x]) => [k, inner(x)]) };
    }
    if (v instanceof EnumValue) return { $: 'enum', type: v.enumType.name, v: v.name };
    if (v instanceof ApexList) return { $: 'list', t: v.elemType, items: v.items.map(inner) };
    if (v instanceof ApexSet) return { $: 'set', t: v.elemType, items: [...v.map.values()].map(inner) };
    if (v instanceof ApexMap)
        return {
            $: 'map',
            k: v.keyType,
            v: v.valueType,
            entries: [...v.keys].map(([key, original]) => [inner(original), inner(v.values.get(key))])
        };
    return encodeValue(v);
}

/** The inverse of encodeApexValue; classes and enums are looked up by name in the loaded code. */
export function decodeApexValue(e: Encoded, types: TypeResolver): unknown {
    if (e === null || typeof e !== 'object') return e;
    const inner = (x: unknown) => decodeApexValue(x as Encoded, types);
    const key = (x: unknown) => {
        if (x instanceof ApexObject) throw new Error('cannot restore a set or map keyed by Apex objects');
        return keyOf(x);
    };
    switch (e.$) {
        case 'object': {
            const cls = types.classOf(String(e.cls));
            if (!cls) throw new Error(`persisted class ${String(e.cls)} is no longer in the code`);
            const f: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
            for (const [k, x] of e.f as [string, unknown][]) f[k] = inner(x);
            return new ApexObject(cls, f);
        }
        case 'enum': {
            const type = types.enumOf(String(e.type));
            const value = type?.values.find((x) => x.name === e.v);
            if (!value) throw new Error(`persisted enum value ${String(e.type)}.${String(e.v)} is unknown`);
            return value;
        }
        case 'list':
            return new ApexList(e.t as TypeRef, (e.items as unknown[]).map(inner));
        case 'set': {
            const set = new ApexSet(e.t as TypeRef);
            for (const x of (e.items as unknown[]).map(inner)) set.map.set(key(x), x);
            return set;
        }
        case 'map': {
            const map = new ApexMap(e.k as TypeRef, e.v as TypeRef);
            for (const [k, x] of e.entries as [unknown, unknown][]) {
                const original = inner(k);
                map.keys.set(key(original), original);
                map.values.set(key(original), inner(x));
            }
            return map;
        }
        default:
            return decodeValue(e as Encoded);
    }
}

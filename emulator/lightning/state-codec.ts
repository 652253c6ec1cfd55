/**
 * Writes the local runtime's database snapshot (`OrgDatabase.snapshot()`) as JSON and reads it back,
 * so `npm start` keeps the demo org across restarts. Runtime values are tagged by type.
 */
import type { Schema } from '../apex/data/schema.ts';
import {
    ApexDate,
    ApexDatetime,
    ApexDouble,
    ApexId,
    ApexTime,
    Blob,
    Decimal
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

type Encoded = null | boolean | number | string | { $: string; [k: string]: unknown };

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

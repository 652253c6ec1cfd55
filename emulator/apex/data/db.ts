/**
 * The in-memory org database: one table per object, rows keyed by the 15-character id, an undo
 * journal for savepoints ("Database.setSavepoint ... Database.rollback(sp)": Apex Developer Guide,
 * "Transaction Control") and whole-database snapshots for per-test isolation (the runner restores
 * the state after @TestSetup before each test method).
 */
import { ApexId } from '../runtime/values.js';
import { IdGenerator } from './ids.js';
import type { ObjectDef, Schema } from './schema.js';

export interface Row {
    readonly id: ApexId;
    readonly def: ObjectDef;
    /** Lower-case field name → value (runtime values are immutable, so rows share them safely). */
    values: Map<string, unknown>;
    deleted: boolean;
}

interface Snapshot {
    tables: Map<string, Map<string, Row>>;
    ids: number;
    autoNumbers: Map<string, number>;
}

export interface Savepoint {
    readonly db: OrgDatabase;
    readonly mark: number;
    valid: boolean;
}

export class OrgDatabase {
    private tables = new Map<string, Map<string, Row>>();
    private journal: (() => void)[] = [];
    private savepoints: Savepoint[] = [];
    readonly ids = new IdGenerator();
    private autoNumbers = new Map<string, number>();
    /** Changes whenever rows are added or removed (indexes of the DML engine key on it). */
    version = 0;

    constructor(readonly schema: Schema) {}

    table(def: ObjectDef): Map<string, Row> {
        const key = def.name.toLowerCase();
        let t = this.tables.get(key);
        if (!t) {
            t = new Map();
            this.tables.set(key, t);
        }
        return t;
    }

    /** Live (not deleted) rows of an object. */
    *rows(def: ObjectDef, includeDeleted = false): IterableIterator<Row> {
        for (const r of this.table(def).values()) if (includeDeleted || !r.deleted) yield r;
    }

    find(id: ApexId | string | null | undefined, includeDeleted = false): Row | undefined {
        if (id === null || id === undefined) return undefined;
        const s = typeof id === 'string' ? id : id.v;
        const def = this.schema.objectForPrefix(s.slice(0, 3));
        if (!def) return undefined;
        const row = this.table(def).get(s.slice(0, 15));
        return row && (includeDeleted || !row.deleted) ? row : undefined;
    }

    newId(def: ObjectDef): ApexId {
        if (!def.keyPrefix)
            throw new Error(`not supported locally: records of ${def.name} (no key prefix known)`);
        return ApexId.tryParse(this.ids.next(def.keyPrefix))!;
    }

    nextAutoNumber(def: ObjectDef, field: string): number {
        const key = `${def.name}.${field}`.toLowerCase();
        const n = (this.autoNumbers.get(key) ?? 0) + 1;
        this.autoNumbers.set(key, n);
        return n;
    }

    insertRow(def: ObjectDef, id: ApexId, values: Map<string, unknown>): Row {
        const row: Row = { id, def, values, deleted: false };
        const t = this.table(def);
        const key = id.to15();
        t.set(key, row);
        this.version++;
        this.journal.push(() => {
            t.delete(key);
            this.version++;
        });
        return row;
    }

    updateRow(row: Row, values: Map<string, unknown>): void {
        const before = row.values;
        row.values = values;
        this.version++;
        this.journal.push(() => {
            row.values = before;
            this.version++;
        });
    }

    setDeleted(row: Row, deleted: boolean): void {
        const before = row.deleted;
        const values = row.values;
        row.deleted = deleted;
        if (row.def.fields.has('isdeleted')) {
            row.values = new Map(values);
            row.values.set('isdeleted', deleted);
        }
        this.journal.push(() => {
            row.deleted = before;
            row.values = values;
        });
    }

    /** Removes a row for good (records that never go to the Recycle Bin, e.g. custom settings). */
    purgeRow(row: Row): void {
        const t = this.table(row.def);
        const key = row.id.to15();
        t.delete(key);
        this.version++;
        this.journal.push(() => {
            t.set(key, row);
            this.version++;
        });
    }

    setSavepoint(): Savepoint {
        const sp: Savepoint = { db: this, mark: this.journal.length, valid: true };
        this.savepoints.push(sp);
        return sp;
    }

    /**
     * Rolls back to a savepoint. "If you set more than one savepoint, then roll back to a savepoint that
     * isn't the last savepoint you generated, the later savepoint variables become invalid." (Transaction Control)
     */
    rollback(sp: Savepoint): void {
        if (!sp.valid) throw new Error('Invalid savepoint');
        while (this.journal.length > sp.mark) this.journal.pop()!();
        const i = this.savepoints.indexOf(sp);
        for (const later of this.savepoints.slice(i + 1)) later.valid = false;
        this.savepoints = this.savepoints.slice(0, i + 1);
    }

    /** Forgets undo information (end of transaction). */
    commit(): void {
        this.journal = [];
        for (const sp of this.savepoints) sp.valid = false;
        this.savepoints = [];
    }

    snapshot(): Snapshot {
        const tables = new Map<string, Map<string, Row>>();
        for (const [k, t] of this.tables) {
            const copy = new Map<string, Row>();
            for (const [id, r] of t)
                copy.set(id, { id: r.id, def: r.def, values: new Map(r.values), deleted: r.deleted });
            tables.set(k, copy);
        }
        return { tables, ids: this.ids.value, autoNumbers: new Map(this.autoNumbers) };
    }

    restore(s: unknown): void {
        const snap = s as Snapshot;
        this.tables = new Map();
        for (const [k, t] of snap.tables) {
            const copy = new Map<string, Row>();
            for (const [id, r] of t)
                copy.set(id, { id: r.id, def: r.def, values: new Map(r.values), deleted: r.deleted });
            this.tables.set(k, copy);
        }
        this.ids.value = snap.ids;
        this.autoNumbers = new Map(snap.autoNumbers);
        this.version++;
        this.commit();
    }
}

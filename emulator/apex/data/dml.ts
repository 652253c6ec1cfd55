/**
 * DML: insert, update, upsert, delete, undelete with the order of execution the package relies on.
 *
 * Apex Developer Guide, "Triggers and Order of Execution": on save, the platform (1) loads the record /
 * sets the new values, (2) runs before triggers, (3) runs system validation again ("verifying that all
 * required fields have a non-null value"), duplicate checks, (4) saves the record without committing,
 * (5) runs after triggers. "Bulk Triggers": records are processed in chunks of 200.
 * "DML Statements vs. Database Class Methods": with allOrNone=false, "the remainder of the DML operation
 * can still succeed"; DML statements throw DmlException on the first error.
 * DmlException message shape: "<Op> failed. First exception on row <i>[ with id <id>]; first error:
 * <STATUS_CODE>, <message>: [<fields>]".
 */
import { ApexDatetime, ApexId, Decimal } from '../runtime/values.js';
import type { TriggerEvent } from '../runtime/context.js';
import { ApexSignal } from './errors.js';
import type { OrgDatabase, Row } from './db.js';
import { SObjectRecord, type RecordError } from './record.js';
import type { FieldDef, ObjectDef, Schema } from './schema.js';
import { CASE_STATUSES, OPPORTUNITY_STAGES, STANDARD_FACTS, TASK_STATUSES } from './standard-facts.js';
import { soqlEquals } from './soql/values.js';
import { permissionRowError } from './security.js';

export type DmlOp = 'insert' | 'update' | 'upsert' | 'delete' | 'undelete';
export type TriggerEventName = TriggerEvent;

export interface TriggerCall {
    newList: SObjectRecord[] | null;
    oldList: SObjectRecord[] | null;
}

export interface WriteAccess {
    canCreate(def: ObjectDef): boolean;
    canEdit(def: ObjectDef): boolean;
    canDelete(def: ObjectDef): boolean;
    canEditField(def: ObjectDef, field: FieldDef, creating: boolean): boolean;
}

export interface DmlEnv {
    readonly db: OrgDatabase;
    readonly schema: Schema;
    now(): number;
    userId(): ApexId;
    orgId(): ApexId;
    /** Runs the object's Apex triggers for an event (no-op when it has none). */
    runTriggers(def: ObjectDef, event: TriggerEventName, call: TriggerCall): void;
    /** Counts one DML statement with n rows against the governor limits (throws LimitException). */
    countDml(rows: number): void;
    /** Mixed DML bookkeeping of the transaction. */
    readonly mixed: { setup: string | null; nonSetup: string | null };
    /** Rows the platform hides or protects (e.g. the standard price book id). */
    readonly standardPricebookId: () => ApexId;
}

export interface DmlRowResult {
    id: ApexId | null;
    success: boolean;
    errors: RecordError[];
    created: boolean;
}

const OP_LABEL: Record<DmlOp, string> = {
    insert: 'Insert',
    update: 'Update',
    upsert: 'Upsert',
    delete: 'Delete',
    undelete: 'Undelete'
};
const CHUNK = 200;

/** The result of one merge (Apex Reference, "MergeResult Class"). */
export interface MergeRowResult extends DmlRowResult {
    /** getMergedRecordIds(): "the IDs of the records merged into the master record". */
    mergedIds: ApexId[];
    /** getUpdatedRelatedIds(): "the IDs of all related records that were reparented as a result of the merge". */
    updatedRelatedIds: ApexId[];
}

/** "When you have duplicate lead, contact, case, or account records ..." (Apex Developer Guide, "Merging Records"). */
const MERGEABLE = new Set(['Account', 'Contact', 'Lead', 'Case']);

function err(statusCode: string, message: string, fields: string[] = []): RecordError {
    return { statusCode, message, fields };
}

export class DmlFailure extends ApexSignal {
    constructor(
        message: string,
        readonly results: DmlRowResult[],
        readonly objectName?: string
    ) {
        super('DmlException', message, results);
    }
}

export class DmlEngine {
    constructor(private readonly env: DmlEnv) {}

    /** Runs one DML operation; with allOrNone a failure rolls everything back and throws DmlException. */
    execute(
        op: DmlOp,
        records: SObjectRecord[],
        opts: { allOrNone: boolean; externalIdField?: string; access?: WriteAccess | null }
    ): DmlRowResult[] {
        this.env.countDml(records.length);
        if (records.length === 0) return [];
        const def = records[0].def;
        for (const r of records) {
            if (r.def !== def && op !== 'delete' && op !== 'undelete') {
                // "You can't ... insert ... a list of sObjects of different types" only for generic lists with mixed types is allowed
                // in API 20+ for up to 10 types; rows are grouped by type in order.
                return this.executeMixedTypes(op, records, opts);
            }
        }
        if (STANDARD_FACTS[def.name]?.dml === false || def.kind === 'customMetadata') {
            throw new ApexSignal('DmlException', `DML operation ${OP_LABEL[op]} not allowed on ${def.name}`);
        }
        const mixed = this.checkMixed(def, op, records);
        const sp = this.env.db.setSavepoint();
        let results: DmlRowResult[];
        try {
            results = mixed
                ? records.map((r) => ({ ...fail(mixed), id: op === 'insert' ? null : r.id }))
                : this.runWithRetries(op, def, records, opts);
        } catch (e) {
            this.env.db.rollback(sp);
            throw e;
        }
        // "the Id field of the sObject is set" on the caller's records (Apex Developer Guide, "Inserting and Updating Records").
        if (op === 'insert' || op === 'upsert') {
            const failedAny = results.some((r) => !r.success);
            if (!(failedAny && opts.allOrNone))
                records.forEach(
                    (r, i) => results[i].success && results[i].id && r.setRaw('Id', results[i].id)
                );
        }
        const failed = results.findIndex((r) => !r.success);
        if (failed >= 0 && opts.allOrNone) {
            this.env.db.rollback(sp);
            const r = results[failed];
            const first = r.errors[0];
            const withId =
                (op === 'update' || op === 'delete' || op === 'undelete') && r.id ? ` with id ${r.id.v}` : '';
            throw new DmlFailure(
                `${OP_LABEL[op]} failed. First exception on row ${failed}${withId}; first error: ${first.statusCode}, ${first.message}: [${first.fields.join(', ')}]`,
                results,
                def.name
            );
        }
        return results;
    }

    private executeMixedTypes(
        op: DmlOp,
        records: SObjectRecord[],
        opts: { allOrNone: boolean; externalIdField?: string; access?: WriteAccess | null }
    ): DmlRowResult[] {
        const results: DmlRowResult[] = new Array(records.length);
        const byType = new Map<ObjectDef, number[]>();
        records.forEach((r, i) => {
            const l = byType.get(r.def) ?? [];
            l.push(i);
            byType.set(r.def, l);
        });
        if (byType.size > 10)
            throw new ApexSignal(
                'TypeException',
                'Cannot have more than 10 chunks in a single operation. Please rearrange the data to reduce chunking.'
            );
        const sp = this.env.db.setSavepoint();
        for (const idx of byType.values()) {
            try {
                const part = this.execute(
                    op,
                    idx.map((i) => records[i]),
                    opts
                );
                idx.forEach((i, k) => (results[i] = part[k]));
            } catch (e) {
                this.env.db.rollback(sp);
                throw e;
            }
        }
        return results;
    }

    /** MIXED_DML_OPERATION (Apex Developer Guide, "sObjects That Can't Be Used Together in DML Operations"). */
    private checkMixed(def: ObjectDef, op: DmlOp, records: SObjectRecord[]): RecordError | null {
        const m = this.env.mixed;
        const setup = def.setup;
        // "You can insert a user in a transaction with other sObjects ... if UserRoleId for the user is null";
        // updates are allowed unless they change UserRoleId, IsActive, ProfileId, Username, IsPortalEnabled or
        // ForecastEnabled. Such User DML is compatible with both kinds and recorded as neither.
        if (
            def.name === 'User' &&
            op === 'insert' &&
            records.every((r) => !r.has('UserRoleId') || r.get('UserRoleId') === null)
        )
            return null;
        if (
            def.name === 'User' &&
            op === 'update' &&
            records.every(
                (r) =>
                    ![
                        'userroleid',
                        'isactive',
                        'profileid',
                        'username',
                        'isportalenabled',
                        'forecastenabled'
                    ].some((f) => r.has(f))
            )
        )
            return null;
        if (def.kind === 'customSetting') return null;
        const original = setup ? m.nonSetup : m.setup;
        if (original) {
            return err(
                'MIXED_DML_OPERATION',
                `DML operation on setup object is not permitted after you have updated a non-setup object (or vice versa): ${def.name}, original object: ${original}`
            );
        }
        if (setup) m.setup ??= def.name;
        else m.nonSetup ??= def.name;
        return null;
    }

    /**
     * allOrNone=false: "If the records fail in the after-trigger phase, the platform rolls back and retries
     * the successful records" (Apex Developer Guide, "Bulk DML Exception Handling": up to three attempts).
     */
    private runWithRetries(
        op: DmlOp,
        def: ObjectDef,
        records: SObjectRecord[],
        opts: { allOrNone: boolean; externalIdField?: string; access?: WriteAccess | null }
    ): DmlRowResult[] {
        let active = records.map((_, i) => i);
        let final: DmlRowResult[] = records.map(() => ({
            id: null,
            success: false,
            errors: [],
            created: false
        }));
        for (let attempt = 0; attempt < 3; attempt++) {
            const sp = this.env.db.setSavepoint();
            const subset = active.map((i) => records[i]);
            const res = this.runOnce(op, def, subset, opts);
            const anyFail = res.some((r) => !r.success);
            active.forEach((i, k) => (final[i] = res[k]));
            if (!anyFail || opts.allOrNone) return final;
            const ok = active.filter((_, k) => res[k].success);
            if (ok.length === active.length || ok.length === 0) return final;
            this.env.db.rollback(sp);
            active = ok;
            final = final.map((r, i) => (ok.includes(i) ? r : r));
        }
        return final;
    }

    private runOnce(
        op: DmlOp,
        def: ObjectDef,
        records: SObjectRecord[],
        opts: { allOrNone: boolean; externalIdField?: string; access?: WriteAccess | null }
    ): DmlRowResult[] {
        const out: DmlRowResult[] = [];
        for (let i = 0; i < records.length; i += CHUNK) {
            const chunk = records.slice(i, i + CHUNK);
            switch (op) {
                case 'insert':
                    out.push(...this.insertChunk(def, chunk, opts.access ?? null));
                    break;
                case 'update':
                    out.push(...this.updateChunk(def, chunk, opts.access ?? null));
                    break;
                case 'upsert':
                    out.push(...this.upsertChunk(def, chunk, opts.externalIdField, opts.access ?? null));
                    break;
                case 'delete':
                    out.push(...this.deleteChunk(def, chunk, opts.access ?? null));
                    break;
                case 'undelete':
                    out.push(...this.undeleteChunk(def, chunk));
                    break;
            }
        }
        return out;
    }

    // ----------------------------------------------------------------------------------- insert

    private insertChunk(def: ObjectDef, recs: SObjectRecord[], access: WriteAccess | null): DmlRowResult[] {
        const results: DmlRowResult[] = recs.map(() => ({
            id: null,
            success: true,
            errors: [],
            created: true
        }));
        if (access && !access.canCreate(def))
            return recs.map(() =>
                fail(err('INSUFFICIENT_ACCESS_OR_READONLY', `insufficient access rights on object id`))
            );
        const work: SObjectRecord[] = [];
        recs.forEach((r, i) => {
            if (r.id) {
                results[i] = fail(
                    err('INVALID_FIELD_FOR_INSERT_UPDATE', `cannot specify Id in an insert call`, ['Id'])
                );
                return;
            }
            // "addError ... prevents any DML operation from occurring" (Apex Reference, SObject.addError).
            if (r.errors.length) {
                results[i] = fail(...r.errors);
                return;
            }
            const bad = this.writableErrors(def, r, true, access);
            if (bad) {
                results[i] = fail(bad);
                return;
            }
            const copy = new SObjectRecord(def);
            for (const [k, v] of r.populatedFields())
                if (def.fields.has(k.toLowerCase())) copy.setRaw(def.fields.get(k.toLowerCase())!.name, v);
            this.applyDefaults(def, copy);
            copy.source = r;
            work.push(copy);
        });
        const live = work;
        if (live.length) this.env.runTriggers(def, 'before insert', { newList: live, oldList: null });
        const saved: SObjectRecord[] = [];
        for (const rec of live) {
            const i = recs.indexOf(rec.source!);
            if (rec.errors.length) {
                results[i] = fail(...rec.errors);
                continue;
            }
            this.chunkIndexes ??= new Map();
            const e = this.validate(def, rec, null, live);
            if (e) {
                results[i] = fail(e);
                continue;
            }
            const id = this.env.db.newId(def);
            const now = new ApexDatetime(this.env.now());
            rec.setRaw('Id', id);
            const values = new Map<string, unknown>();
            for (const [fd, v] of rec.fieldEntries()) values.set(fd.name.toLowerCase(), v);
            for (const f of ['CreatedDate', 'LastModifiedDate', 'SystemModstamp'])
                if (def.fields.has(f.toLowerCase())) values.set(f.toLowerCase(), now);
            for (const f of ['CreatedById', 'LastModifiedById'])
                if (def.fields.has(f.toLowerCase())) values.set(f.toLowerCase(), this.env.userId());
            if (def.fields.has('ownerid') && !values.get('ownerid')) values.set('ownerid', this.env.userId());
            if (def.fields.has('isdeleted')) values.set('isdeleted', false);
            for (const fd of def.fields.values()) {
                if (fd.autoNumberFormat)
                    values.set(
                        fd.name.toLowerCase(),
                        formatAutoNumber(fd.autoNumberFormat, this.env.db.nextAutoNumber(def, fd.name))
                    );
            }
            this.derive(def, values, null);
            this.env.db.insertRow(def, id, values);
            results[i] = { id, success: true, errors: [], created: true };
            saved.push(rec);
        }
        this.chunkIndexes = null;
        if (saved.length) {
            const after = saved.map((r) => this.rowRecord(this.env.db.find(r.id)!, true));
            after.forEach((a, k) => (a.source = saved[k].source));
            this.env.runTriggers(def, 'after insert', { newList: after, oldList: null });
            for (const a of after) {
                if (a.errors.length) {
                    const i = recs.indexOf(a.source!);
                    results[i] = { ...fail(...a.errors), id: null };
                }
            }
        }
        return results;
    }

    // ----------------------------------------------------------------------------------- update

    private updateChunk(def: ObjectDef, recs: SObjectRecord[], access: WriteAccess | null): DmlRowResult[] {
        const results: DmlRowResult[] = recs.map((r) => ({
            id: r.id,
            success: true,
            errors: [],
            created: false
        }));
        if (access && !access.canEdit(def))
            return recs.map((r) => ({
                ...fail(err('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id')),
                id: r.id
            }));
        const newList: SObjectRecord[] = [];
        const oldList: SObjectRecord[] = [];
        const seen = new Set<string>();
        recs.forEach((r, i) => {
            const id = r.id;
            if (!id) {
                results[i] = fail(err('MISSING_ARGUMENT', 'Id not specified in an update call'));
                return;
            }
            if (seen.has(id.to15())) throw new ApexSignal('ListException', 'Duplicate id in list: ' + id.v);
            seen.add(id.to15());
            const row = this.env.db.find(id);
            if (!row || row.def !== def) {
                results[i] = {
                    ...fail(
                        err(
                            row ? 'INVALID_ID_FIELD' : 'ENTITY_IS_DELETED',
                            row ? 'invalid id' : 'entity is deleted'
                        )
                    ),
                    id
                };
                return;
            }
            const bad = this.writableErrors(def, r, false, access);
            if (bad) {
                results[i] = { ...fail(bad), id };
                return;
            }
            const preCheck = this.preUpdateRules(def, row, r);
            if (preCheck) {
                results[i] = { ...fail(preCheck), id };
                return;
            }
            const oldRec = this.rowRecord(row, true);
            const newRec = this.rowRecord(row, false);
            for (const [fd, v] of r.fieldEntries()) newRec.setRaw(fd.name, v);
            newRec.lockedFields = new Set(['id']);
            newRec.source = r;
            oldList.push(oldRec);
            newList.push(newRec);
        });
        if (newList.length) this.env.runTriggers(def, 'before update', { newList, oldList });
        const saved: SObjectRecord[] = [];
        const savedOld: SObjectRecord[] = [];
        newList.forEach((rec, k) => {
            const i = recs.indexOf(rec.source!);
            if (rec.errors.length) {
                results[i] = { ...fail(...rec.errors), id: rec.id };
                return;
            }
            const row = this.env.db.find(rec.id)!;
            this.chunkIndexes ??= new Map();
            const e = this.validate(def, rec, row, newList);
            if (e) {
                results[i] = { ...fail(e), id: rec.id };
                return;
            }
            const values = new Map(row.values);
            for (const [fd, v] of rec.fieldEntries())
                if (fd.createable || fd.updateable || fd.name === 'Id') values.set(fd.name.toLowerCase(), v);
            const now = new ApexDatetime(this.env.now());
            for (const f of ['lastmodifieddate', 'systemmodstamp']) if (def.fields.has(f)) values.set(f, now);
            if (def.fields.has('lastmodifiedbyid')) values.set('lastmodifiedbyid', this.env.userId());
            this.derive(def, values, row.values);
            this.env.db.updateRow(row, values);
            saved.push(rec);
            savedOld.push(oldList[k]);
        });
        this.chunkIndexes = null;
        if (saved.length) {
            const after = saved.map((r) => this.rowRecord(this.env.db.find(r.id)!, true));
            after.forEach((a, k) => (a.source = saved[k].source));
            this.env.runTriggers(def, 'after update', { newList: after, oldList: savedOld });
            for (const a of after)
                if (a.errors.length) results[recs.indexOf(a.source!)] = { ...fail(...a.errors), id: a.id };
        }
        return results;
    }

    // ----------------------------------------------------------------------------------- upsert

    private upsertChunk(
        def: ObjectDef,
        recs: SObjectRecord[],
        extField: string | undefined,
        access: WriteAccess | null
    ): DmlRowResult[] {
        const results: DmlRowResult[] = new Array(recs.length);
        const inserts: number[] = [];
        const updates: number[] = [];
        let fd: FieldDef | undefined;
        if (extField && extField.toLowerCase() !== 'id') {
            fd = def.fields.get(extField.toLowerCase());
            if (!fd || !fd.externalId)
                throw new ApexSignal(
                    'SObjectException',
                    `Invalid field for upsert, must be an External Id custom or standard indexed field: ${extField}`
                );
        }
        recs.forEach((r, i) => {
            if (!fd) {
                (r.id ? updates : inserts).push(i);
                return;
            }
            const key = r.has(fd.name) ? r.get(fd.name) : null;
            if (key === null || key === '') {
                if (r.id) updates.push(i);
                else results[i] = fail(err('MISSING_ARGUMENT', `${fd.name} not specified`, [fd.name]));
                return;
            }
            const matches = (this.index(def, fd).get(uniqueKey(key, false)) ?? []).filter(
                (row) => !row.deleted && soqlEquals(row.values.get(fd!.name.toLowerCase()) ?? null, key)
            );
            if (matches.length > 1) {
                results[i] = fail(
                    err(
                        'DUPLICATE_EXTERNAL_ID',
                        `${fd.name}: more than one record found for external id field: [${matches.map((m) => m.id.v).join(', ')}]`,
                        [fd.name]
                    )
                );
                return;
            }
            if (matches.length === 1) {
                r.setRaw('Id', matches[0].id);
                updates.push(i);
            } else inserts.push(i);
        });
        const ins = inserts.length
            ? this.insertChunk(
                  def,
                  inserts.map((i) => recs[i]),
                  access
              )
            : [];
        inserts.forEach((i, k) => (results[i] = { ...ins[k], created: true }));
        const ups = updates.length
            ? this.updateChunk(
                  def,
                  updates.map((i) => recs[i]),
                  access
              )
            : [];
        updates.forEach((i, k) => (results[i] = { ...ups[k], created: false }));
        return results;
    }

    // ----------------------------------------------------------------------------------- delete

    /** `beforeRemove` (merge) runs for each row after the before delete triggers, before the row is deleted. */
    private deleteChunk(
        def: ObjectDef,
        recs: SObjectRecord[],
        access: WriteAccess | null,
        beforeRemove?: (row: Row, old: SObjectRecord) => void
    ): DmlRowResult[] {
        const results: DmlRowResult[] = recs.map((r) => ({
            id: r.id,
            success: true,
            errors: [],
            created: false
        }));
        if (access && !access.canDelete(def))
            return recs.map((r) => ({
                ...fail(err('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id')),
                id: r.id
            }));
        const oldList: SObjectRecord[] = [];
        recs.forEach((r, i) => {
            const row = r.id ? this.env.db.find(r.id) : undefined;
            if (!r.id) {
                results[i] = fail(err('MISSING_ARGUMENT', 'Id not specified in a delete call'));
                return;
            }
            if (!row) {
                results[i] = { ...fail(err('ENTITY_IS_DELETED', 'entity is deleted')), id: r.id };
                return;
            }
            const o = this.rowRecord(row, true);
            o.source = r;
            oldList.push(o);
        });
        if (oldList.length) this.env.runTriggers(def, 'before delete', { newList: null, oldList });
        const deleted: SObjectRecord[] = [];
        for (const o of oldList) {
            const i = recs.indexOf(o.source!);
            if (o.errors.length) {
                results[i] = { ...fail(...o.errors), id: o.id };
                continue;
            }
            const row = this.env.db.find(o.id)!;
            const rule = this.deleteRules(def, row);
            if (rule) {
                results[i] = { ...fail(rule), id: o.id };
                continue;
            }
            beforeRemove?.(row, o);
            this.cascadeDelete(row);
            deleted.push(o);
        }
        if (deleted.length) {
            this.env.runTriggers(def, 'after delete', { newList: null, oldList: deleted });
            for (const o of deleted)
                if (o.errors.length) results[recs.indexOf(o.source!)] = { ...fail(...o.errors), id: o.id };
        }
        return results;
    }

    /** Deleting a parent deletes its master-detail children and clears lookups (Object Reference: deleteConstraint SetNull). */
    private cascadeDelete(row: Row): void {
        if (row.def.kind === 'customSetting') this.env.db.purgeRow(row);
        else this.env.db.setDeleted(row, true);
        for (const rel of row.def.childRelationships.values()) {
            const child = this.env.schema.get(rel.childObject);
            const fd = child?.fields.get(rel.field.toLowerCase());
            if (!child || !fd || !fd.custom) continue;
            for (const c of [...this.env.db.rows(child)]) {
                if (!soqlEquals(c.values.get(fd.name.toLowerCase()) ?? null, row.id)) continue;
                if (fd.required && !fd.updateable) this.cascadeDelete(c);
                else {
                    const v = new Map(c.values);
                    v.set(fd.name.toLowerCase(), null);
                    this.env.db.updateRow(c, v);
                }
            }
        }
    }

    private undeleteChunk(def: ObjectDef, recs: SObjectRecord[]): DmlRowResult[] {
        const results: DmlRowResult[] = recs.map((r) => ({
            id: r.id,
            success: true,
            errors: [],
            created: false
        }));
        const done: SObjectRecord[] = [];
        recs.forEach((r, i) => {
            const row = r.id ? this.env.db.find(r.id, true) : undefined;
            if (!row || !row.deleted) {
                results[i] = {
                    ...fail(err('UNDELETE_FAILED', 'Entity is not in the recycle bin')),
                    id: r.id
                };
                return;
            }
            this.env.db.setDeleted(row, false);
            const rec = this.rowRecord(row, true);
            rec.source = r;
            done.push(rec);
        });
        if (done.length) this.env.runTriggers(def, 'after undelete', { newList: done, oldList: null });
        return results;
    }

    // ------------------------------------------------------------------------------- validation

    /**
     * Fields DML cannot write (formula, auto number, audit fields) are ignored, as Apex does for a queried
     * record saved back. In user mode, every other field present on the record must be editable by the
     * running user ("In user mode, the current user's object permissions, field-level security ... are
     * enforced": Apex Reference, AccessLevel Class).
     */
    private writableErrors(
        def: ObjectDef,
        r: SObjectRecord,
        creating: boolean,
        access: WriteAccess | null
    ): RecordError | null {
        if (!access) return null;
        for (const [fd] of r.fieldEntries()) {
            if (fd.name === 'Id' || !(creating ? fd.createable : fd.updateable)) continue;
            if (!access.canEditField(def, fd, creating)) {
                return err(
                    'INVALID_FIELD_FOR_INSERT_UPDATE',
                    `Unable to create/update fields: ${fd.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
                    [fd.name]
                );
            }
        }
        return null;
    }

    private applyDefaults(def: ObjectDef, rec: SObjectRecord): void {
        for (const fd of def.fields.values()) {
            if (fd.defaultValue === undefined || rec.has(fd.name)) continue;
            let v: unknown = fd.defaultValue;
            if (typeof v === 'number' && ['double', 'currency', 'percent'].includes(fd.type))
                v = Decimal.parse(String(v));
            rec.setRaw(fd.name, v);
        }
        if (def.kind === 'customSetting' && def.settingType === 'Hierarchy' && !rec.get('SetupOwnerId'))
            rec.setRaw('SetupOwnerId', this.env.orgId());
    }

    /** System validation after before triggers: required, length, restricted picklists, unique, references, object rules. */
    private validate(
        def: ObjectDef,
        rec: SObjectRecord,
        row: Row | null,
        batch: SObjectRecord[]
    ): RecordError | null {
        const value = (fd: FieldDef): unknown =>
            rec.has(fd.name) ? rec.get(fd.name) : (row?.values.get(fd.name.toLowerCase()) ?? null);
        const missing: string[] = [];
        for (const fd of def.fields.values()) {
            if (!fd.required) continue;
            const v = value(fd);
            if (v === null || v === '') missing.push(fd.name);
        }
        if (missing.length)
            return err(
                'REQUIRED_FIELD_MISSING',
                `Required fields are missing: [${missing.join(', ')}]`,
                missing
            );
        for (const [fd, v] of rec.fieldEntries()) {
            if (v === null) continue;
            if (
                fd.length !== undefined &&
                typeof v === 'string' &&
                v.length > fd.length &&
                fd.type !== 'picklist'
            ) {
                return err(
                    'STRING_TOO_LONG',
                    `${fd.label}: data value too large: ${v.length > 80 ? v.slice(0, 80) + '...' : v} (max length=${fd.length})`,
                    [fd.name]
                );
            }
            if (
                fd.type === 'picklist' &&
                fd.restrictedPicklist &&
                fd.picklist &&
                typeof v === 'string' &&
                !fd.picklist.some((p) => p.value === v)
            ) {
                return err(
                    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
                    `${fd.label}: bad value for restricted picklist field: ${v}`,
                    [fd.name]
                );
            }
            if (
                fd.type === 'email' &&
                typeof v === 'string' &&
                v !== '' &&
                !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)
            ) {
                return err('INVALID_EMAIL_ADDRESS', `${fd.label}: invalid email address: ${v}`, [fd.name]);
            }
            if (
                ['double', 'currency', 'percent'].includes(fd.type) &&
                v instanceof Decimal &&
                fd.precision !== undefined
            ) {
                const intDigits = fd.precision - (fd.scale ?? 0);
                const whole = v.toPlainString().replace('-', '').split('.')[0].replace(/^0+/, '');
                if (whole.length > intDigits)
                    return err(
                        'NUMBER_OUTSIDE_VALID_RANGE',
                        `${fd.label}: value outside of valid range on numeric field: ${v.toPlainString()}`,
                        [fd.name]
                    );
            }
            if (fd.type === 'reference' && v instanceof ApexId && fd.referenceTo && fd.referenceTo.length) {
                const target = this.env.db.find(v);
                const okType =
                    target && fd.referenceTo.some((t) => t.toLowerCase() === target.def.name.toLowerCase());
                if (!okType && !(def.kind === 'customSetting' && fd.name === 'SetupOwnerId')) {
                    return err(
                        'FIELD_INTEGRITY_EXCEPTION',
                        `${fd.label}: id value of incorrect type: ${v.v}`,
                        [fd.name]
                    );
                }
            }
        }
        for (const fd of def.fields.values()) {
            const uniqueSetting = def.kind === 'customSetting' && fd.name === 'SetupOwnerId';
            if (!fd.unique && !uniqueSetting) continue;
            const v = value(fd);
            if (v === null || v === '') continue;
            const same = (a: unknown) => (fd.caseSensitive ? a === v : soqlEquals(a, v));
            for (const other of this.index(def, fd).get(uniqueKey(v, fd.caseSensitive)) ?? []) {
                if (row && other === row) continue;
                if (!other.deleted && same(other.values.get(fd.name.toLowerCase()) ?? null)) {
                    return err(
                        'DUPLICATE_VALUE',
                        `duplicate value found: ${fd.name} duplicates value on record with id: ${other.id.v}`,
                        [fd.name]
                    );
                }
            }
            for (const other of batch) {
                if (other === rec) break;
                if (other.has(fd.name) && same(other.get(fd.name))) {
                    return err('DUPLICATE_VALUE', `Duplicate external id specified: ${String(v)}`, [fd.name]);
                }
            }
        }
        return this.objectRules(def, rec, row, value);
    }

    /**
     * Rows by value of a unique / external id field, rebuilt when the database changed since it was built
     * (records saved within one chunk are compared with the chunk list itself).
     */
    private readonly indexes = new Map<FieldDef, { version: number; map: Map<string, Row[]> }>();
    /** While one chunk is validated and saved, its indexes stay as they were at the start of the chunk. */
    private chunkIndexes: Map<FieldDef, Map<string, Row[]>> | null = null;
    private index(def: ObjectDef, fd: FieldDef): Map<string, Row[]> {
        const pinned = this.chunkIndexes?.get(fd);
        if (pinned) return pinned;
        const version = this.env.db.version;
        const hit = this.indexes.get(fd);
        if (hit && hit.version === version) {
            this.chunkIndexes?.set(fd, hit.map);
            return hit.map;
        }
        const map = new Map<string, Row[]>();
        const lc = fd.name.toLowerCase();
        for (const r of this.env.db.rows(def)) {
            const v = r.values.get(lc) ?? null;
            if (v === null || v === '') continue;
            const k = uniqueKey(v, fd.caseSensitive);
            const l = map.get(k);
            if (l) l.push(r);
            else map.set(k, [r]);
        }
        this.indexes.set(fd, { version, map });
        this.chunkIndexes?.set(fd, map);
        return map;
    }

    /** Rules of standard objects the package's tests rely on. */
    private objectRules(
        def: ObjectDef,
        rec: SObjectRecord,
        row: Row | null,
        value: (fd: FieldDef) => unknown
    ): RecordError | null {
        const f = (name: string) => value(def.fields.get(name.toLowerCase())!);
        switch (def.name) {
            case 'Order': {
                // Object Reference, Order: "Status ... new orders must have a Status of Draft" — an order is
                // created as Draft and activated by an update once it has order products.
                if (!row && f('Status') !== 'Draft')
                    return err('FIELD_INTEGRITY_EXCEPTION', 'You can only create an order in Draft status.', [
                        'Status'
                    ]);
                if (row && f('Status') === 'Activated' && row.values.get('status') !== 'Activated') {
                    const items = [...this.env.db.rows(this.env.schema.require('OrderItem'))].filter((i) =>
                        soqlEquals(i.values.get('orderid') ?? null, row.id)
                    );
                    if (!items.length)
                        return err(
                            'VALIDATION_ERROR',
                            "You can't activate this order because it has no order products.",
                            []
                        );
                }
                return null;
            }
            case 'OrderItem': {
                const order = this.env.db.find(f('OrderId') as ApexId);
                const pbe = this.env.db.find(f('PricebookEntryId') as ApexId);
                if (!order)
                    return err('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['OrderId']);
                if (!pbe)
                    return err('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [
                        'PricebookEntryId'
                    ]);
                const opb = order.values.get('pricebook2id') ?? null;
                if (opb === null)
                    return err(
                        'FIELD_INTEGRITY_EXCEPTION',
                        'You must select a price book for this order before adding products.',
                        ['PricebookEntryId']
                    );
                if (!soqlEquals(opb, pbe.values.get('pricebook2id') ?? null))
                    return err(
                        'FIELD_INTEGRITY_EXCEPTION',
                        "The price book entry isn't in the price book selected for this order.",
                        ['PricebookEntryId']
                    );
                if (!row && order.values.get('status') === 'Activated')
                    return err(
                        'FIELD_INTEGRITY_EXCEPTION',
                        "You can't add products to an activated order.",
                        []
                    );
                return null;
            }
            case 'PricebookEntry': {
                if (row) return null;
                const pb = f('Pricebook2Id') as ApexId | null;
                const product = f('Product2Id') as ApexId | null;
                const pbeDef = def;
                const existing = [...this.env.db.rows(pbeDef)];
                if (
                    existing.some(
                        (e) =>
                            soqlEquals(e.values.get('pricebook2id') ?? null, pb) &&
                            soqlEquals(e.values.get('product2id') ?? null, product)
                    )
                ) {
                    return err(
                        'DUPLICATE_VALUE',
                        'This price definition already exists in this price book',
                        []
                    );
                }
                const std = this.env.standardPricebookId();
                if (pb && !soqlEquals(pb, std)) {
                    // "you must first insert a standard price book entry ... before you can add a custom price" (Object Reference, PricebookEntry)
                    const hasStd = existing.some(
                        (e) =>
                            soqlEquals(e.values.get('pricebook2id') ?? null, std) &&
                            soqlEquals(e.values.get('product2id') ?? null, product)
                    );
                    if (!hasStd)
                        return err(
                            'STANDARD_PRICE_NOT_DEFINED',
                            'No standard price defined for this product',
                            []
                        );
                }
                return null;
            }
            case 'ObjectPermissions':
            case 'FieldPermissions': {
                const e = permissionRowError(def.name, f, (n) => this.env.schema.get(n));
                return e && err(e.statusCode, e.message, e.fields);
            }
            default:
                return null;
        }
    }

    private preUpdateRules(def: ObjectDef, row: Row, r: SObjectRecord): RecordError | null {
        if (def.name === 'OrderItem') {
            const order = this.env.db.find(row.values.get('orderid') as ApexId);
            if (order?.values.get('status') === 'Activated' && r.has('Quantity'))
                return err('FIELD_INTEGRITY_EXCEPTION', "You can't edit products on an activated order.", []);
        }
        return null;
    }

    private deleteRules(def: ObjectDef, row: Row): RecordError | null {
        if (def.name === 'Order' && row.values.get('status') === 'Activated')
            return err('FIELD_INTEGRITY_EXCEPTION', "You can't delete an activated order.", []);
        return null;
    }

    /** Fields the platform computes on save (read-only in the Object Reference). */
    private derive(def: ObjectDef, values: Map<string, unknown>, before: Map<string, unknown> | null): void {
        const str = (k: string) => (values.get(k) as string | null | undefined) ?? null;
        switch (def.name) {
            case 'Opportunity': {
                const stage = OPPORTUNITY_STAGES.find((s) => s.name === str('stagename'));
                values.set('isclosed', stage?.closed ?? false);
                values.set('iswon', stage?.won ?? false);
                values.set('forecastcategory', stage?.forecast ?? 'Pipeline');
                values.set('forecastcategoryname', stage?.forecast ?? 'Pipeline');
                if (
                    stage &&
                    (values.get('probability') == null ||
                        (before && before.get('stagename') !== values.get('stagename')))
                )
                    values.set('probability', Decimal.fromInt(stage.probability));
                break;
            }
            case 'Case': {
                const st = CASE_STATUSES.find((s) => s.name === str('status'));
                const closed = st?.closed ?? false;
                values.set('isclosed', closed);
                if (closed && !values.get('closeddate'))
                    values.set('closeddate', new ApexDatetime(this.env.now()));
                if (!closed) values.set('closeddate', null);
                if (!before && def.fields.has('casenumber'))
                    values.set(
                        'casenumber',
                        String(this.env.db.nextAutoNumber(def, 'CaseNumber')).padStart(8, '0')
                    );
                const contact = this.env.db.find(values.get('contactid') as ApexId | null);
                values.set('contactemail', contact?.values.get('email') ?? null);
                break;
            }
            case 'Task': {
                const st = TASK_STATUSES.find((s) => s.name === str('status'));
                values.set('isclosed', st?.closed ?? false);
                break;
            }
            case 'Contact':
            case 'User':
            case 'Lead':
                values.set('name', [str('firstname'), str('lastname')].filter((x) => x).join(' '));
                break;
            case 'Order': {
                if (!before)
                    values.set(
                        'ordernumber',
                        String(this.env.db.nextAutoNumber(def, 'OrderNumber')).padStart(8, '0')
                    );
                values.set('statuscode', values.get('status') === 'Activated' ? 'Activated' : 'Draft');
                if (values.get('status') === 'Activated' && before?.get('status') !== 'Activated') {
                    values.set('activateddate', new ApexDatetime(this.env.now()));
                    values.set('activatedbyid', this.env.userId());
                }
                break;
            }
            case 'OrderItem':
            case 'OpportunityLineItem': {
                const pbe = this.env.db.find(values.get('pricebookentryid') as ApexId | null);
                if (pbe) {
                    values.set('product2id', pbe.values.get('product2id') ?? null);
                    values.set('listprice', pbe.values.get('unitprice') ?? null);
                }
                const q = values.get('quantity');
                const u = values.get('unitprice');
                if (q instanceof Decimal && u instanceof Decimal)
                    values.set('totalprice', new Decimal(q.unscaled * u.unscaled, q.scale + u.scale));
                break;
            }
            case 'PricebookEntry': {
                const product = this.env.db.find(values.get('product2id') as ApexId | null);
                values.set('name', product?.values.get('name') ?? null);
                values.set('productcode', product?.values.get('productcode') ?? null);
                break;
            }
            default:
                break;
        }
        if (def.name === 'OrderItem') {
            // Order.TotalAmount is the sum of its products (Object Reference, Order: TotalAmount).
            const order = this.env.db.find(values.get('orderid') as ApexId | null);
            if (order) {
                let total = new Decimal(0n, 2);
                for (const it of this.env.db.rows(def)) {
                    if (
                        soqlEquals(it.values.get('orderid') ?? null, order.id) &&
                        !soqlEquals(it.id, values.get('id') ?? null)
                    )
                        total = addDecimal(
                            total,
                            (it.values.get('totalprice') as Decimal | null) ?? new Decimal(0n, 0)
                        );
                }
                total = addDecimal(total, (values.get('totalprice') as Decimal | null) ?? new Decimal(0n, 0));
                const v = new Map(order.values);
                v.set('totalamount', total);
                this.env.db.updateRow(order, v);
            }
        }
    }

    // ------------------------------------------------------------------------------------ merge

    /**
     * `merge` / Database.merge. Apex Developer Guide, "Merging Records": "You can merge up to three records of
     * the same sObject type. The merge operation merges the duplicate records into the main record, deletes the
     * duplicate records, and reparents any related records." "Triggers and Merge Statements": (1) the before
     * delete trigger fires, (2) the duplicates are deleted, their child records get the master as parent and
     * their MasterRecordId field is set, (3) the after delete trigger fires, (4) the master is updated with the
     * normal update triggers; "Any child records that are reparented as a result of the merge operation do not
     * fire triggers." The fields set on the master record are saved as in an update (SOAP API "merge()":
     * values that supersede the master's are set "in the masterRecord ..., similar to a call to update").
     */
    merge(
        master: SObjectRecord,
        duplicates: SObjectRecord[],
        opts: { allOrNone: boolean; access?: WriteAccess | null }
    ): MergeRowResult {
        const def = master.def;
        if (!MERGEABLE.has(def.name))
            throw new ApexSignal('DmlException', `DML operation Merge not allowed on ${def.name}`);
        this.env.countDml(1 + duplicates.length);
        const masterId = master.id;
        const failed = (e: RecordError): MergeRowResult => {
            const r: MergeRowResult = {
                id: masterId,
                success: false,
                errors: [e],
                created: false,
                mergedIds: [],
                updatedRelatedIds: []
            };
            if (opts.allOrNone)
                throw new DmlFailure(
                    `Merge failed. First exception on row 0${masterId ? ` with id ${masterId.v}` : ''}; first error: ${e.statusCode}, ${e.message}: [${e.fields.join(', ')}]`,
                    [r],
                    def.name
                );
            return r;
        };
        const problem =
            this.mergeProblem(def, master, duplicates) ?? this.checkMixed(def, 'update', [master]);
        if (problem) return failed(problem);
        const access = opts.access ?? null;
        const sp = this.env.db.setSavepoint();
        try {
            const reparented: ApexId[] = [];
            const deleted = this.deleteChunk(def, duplicates, access, (row, old) =>
                this.absorb(row, old, masterId!, reparented)
            );
            const firstError = deleted.find((r) => !r.success) ?? this.updateChunk(def, [master], access)[0];
            if (!firstError.success) {
                this.env.db.rollback(sp);
                return failed(firstError.errors[0]);
            }
            return {
                id: masterId,
                success: true,
                errors: [],
                created: false,
                mergedIds: duplicates.map((d) => d.id!),
                updatedRelatedIds: reparented
            };
        } catch (e) {
            this.env.db.rollback(sp);
            throw e;
        }
    }

    /** Invalid merge input; the status codes and messages are the local runtime's (the guide does not list them). */
    private mergeProblem(
        def: ObjectDef,
        master: SObjectRecord,
        duplicates: SObjectRecord[]
    ): RecordError | null {
        if (!master.id) return err('MISSING_ARGUMENT', 'Id not specified in a merge call');
        if (!this.env.db.find(master.id)) return err('ENTITY_IS_DELETED', 'entity is deleted');
        if (duplicates.length === 0) return err('MISSING_ARGUMENT', 'no records to merge into the master');
        if (duplicates.length > 2)
            return err(
                'LIMIT_EXCEEDED',
                'a merge request can merge at most 3 records: the master and 2 duplicates'
            );
        const seen = new Set([master.id.to15()]);
        for (const d of duplicates) {
            if (d.def !== def)
                return err('INVALID_TYPE', `cannot merge a ${d.def.name} record into a ${def.name} record`);
            if (!d.id) return err('MISSING_ARGUMENT', 'Id not specified in a merge call');
            if (seen.has(d.id.to15()))
                return err(
                    'INVALID_ID_FIELD',
                    d.id.to15() === master.id.to15()
                        ? 'the master record cannot be merged into itself'
                        : `duplicate id in the records to merge: ${d.id.v}`
                );
            seen.add(d.id.to15());
            if (!this.env.db.find(d.id)) return err('ENTITY_IS_DELETED', 'entity is deleted');
        }
        return null;
    }

    /** Reparents a merged duplicate's child records to the master and sets its MasterRecordId (row and Trigger.old). */
    private absorb(row: Row, old: SObjectRecord, masterId: ApexId, reparented: ApexId[]): void {
        for (const rel of row.def.childRelationships.values()) {
            const child = this.env.schema.get(rel.childObject);
            const lc = rel.field.toLowerCase();
            if (!child?.fields.has(lc) || lc === 'masterrecordid') continue;
            for (const c of [...this.env.db.rows(child)]) {
                if (!soqlEquals(c.values.get(lc) ?? null, row.id)) continue;
                const values = new Map(c.values);
                values.set(lc, masterId);
                this.env.db.updateRow(c, values);
                if (!reparented.some((id) => id.to15() === c.id.to15())) reparented.push(c.id);
            }
        }
        if (row.def.fields.has('masterrecordid')) {
            const values = new Map(row.values);
            values.set('masterrecordid', masterId);
            this.env.db.updateRow(row, values);
            old.setRaw('MasterRecordId', masterId);
        }
    }

    /** A full record for a row (trigger old/new values). */
    rowRecord(row: Row, readOnly: boolean): SObjectRecord {
        const rec = new SObjectRecord(row.def);
        rec.setRaw('Id', row.id);
        for (const fd of row.def.fields.values()) {
            const lc = fd.name.toLowerCase();
            if (lc === 'id') continue;
            if (row.values.has(lc)) rec.setRaw(fd.name, row.values.get(lc));
        }
        rec.readOnly = readOnly;
        return rec;
    }
}

function uniqueKey(v: unknown, caseSensitive: boolean): string {
    if (v instanceof ApexId) return v.to15();
    const s = String(v);
    return caseSensitive ? s : s.toLowerCase();
}

export function addDecimal(a: Decimal, b: Decimal): Decimal {
    const s = Math.max(a.scale, b.scale);
    return new Decimal(a.withScaleUp(s).unscaled + b.withScaleUp(s).unscaled, s);
}

function fail(...errors: RecordError[]): DmlRowResult {
    return { id: null, success: false, errors, created: false };
}

/** Auto Number display format `INV-{000000}` or `{YYYY}-{0}` (Object Reference, "Auto Number"). */
export function formatAutoNumber(format: string, n: number, now = new Date()): string {
    return format.replace(/\{(0+|YYYY|YY|MM|DD)\}/g, (_, tok: string) => {
        if (tok === 'YYYY') return String(now.getUTCFullYear());
        if (tok === 'YY') return String(now.getUTCFullYear()).slice(2);
        if (tok === 'MM') return String(now.getUTCMonth() + 1).padStart(2, '0');
        if (tok === 'DD') return String(now.getUTCDate()).padStart(2, '0');
        return String(n).padStart(tok.length, '0');
    });
}

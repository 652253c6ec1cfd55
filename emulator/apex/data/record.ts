/**
 * SObject records: the values the interpreter holds for `Account a = new Account(Name = 'x')`,
 * query results and trigger context records. Implements the core's SObjectValue interface.
 *
 * Documented behaviour implemented here (Apex Developer Guide / Apex Reference, "SObject Class"):
 * - field names are case-insensitive; `get`/`put` on an unknown field throw SObjectException
 *   "Invalid field <f> for <Type>";
 * - a record retrieved by SOQL throws SObjectException "SObject row was retrieved via SOQL without
 *   querying the requested field: <Type>.<Field>" for a field that was not queried (Working with
 *   SObjects: "Accessing SObject Fields");
 * - records of after triggers are read-only: "System.FinalException: Record is read-only"
 *   (Triggers: "Trigger.new ... Records can only be modified in before triggers").
 */
import {
    ApexDate,
    ApexDatetime,
    ApexDouble,
    ApexId,
    ApexList,
    ApexTime,
    Decimal,
    type SObjectValue
} from '../runtime/values.js';
import { raise } from './errors.js';
import type { FieldDef, ObjectDef } from './schema.js';

export interface RecordError {
    message: string;
    fields: string[];
    statusCode: string;
}

interface Slot {
    name: string;
    value: unknown;
}

/**
 * Lower-case form of a field name, interned: the same source names (`a.Name`, `'NumberOfEmployees'`) come back
 * on every get/put, so one Map hit replaces a toLowerCase allocation. Bounded so that arbitrary dynamic names
 * (`get(someString)`) cannot grow it without limit.
 */
const LOWER = new Map<string, string>();
const LOWER_MAX = 20000;
export function lowerName(name: string): string {
    const hit = LOWER.get(name);
    if (hit !== undefined) return hit;
    const lc = name.toLowerCase();
    if (LOWER.size < LOWER_MAX) LOWER.set(name, lc);
    return lc;
}

export class SObjectRecord implements SObjectValue {
    readonly __sobject = true as const;
    private readonly slots = new Map<string, Slot>();
    /** Lower-case field and relationship names a query returned; null for records built in Apex. */
    queried: Set<string> | null = null;
    /** Errors added with addError (trigger context) or by DML validation. */
    errors: RecordError[] = [];
    /** After-trigger records cannot be changed. */
    readOnly = false;
    /** Before-update/delete trigger: fields that are read-only (Id). */
    lockedFields: Set<string> | null = null;
    /** Original record this trigger copy stands for (DML writes Ids back to it). */
    source: SObjectRecord | null = null;

    constructor(readonly def: ObjectDef) {}

    get sobjectType(): string {
        return this.def.name;
    }

    /** True when the field (or relationship) has a value slot, even a null one. */
    has(field: string): boolean {
        return this.slots.has(lowerName(field));
    }

    get(field: string): unknown {
        return this.getLower(lowerName(field), field);
    }

    /** `get` with the field name already lower-cased (compiled field-access sites lower-case once). */
    getLower(lc: string, field: string): unknown {
        const slot = this.slots.get(lc);
        if (slot) return slot.value;
        return this.missing(lc, field);
    }

    /** Value of a field without a slot: null, or the SObjectException for an unknown / not-queried field. */
    private missing(lc: string, field: string): null {
        const fd = this.def.fields.get(lc);
        const rel = fd ? undefined : relationshipOf(this.def, lc);
        if (!fd && !rel) raise('SObjectException', `Invalid field ${field} for ${this.def.name}`);
        if (this.queried && !this.queried.has(lc)) {
            if (rel === 'child') {
                raise(
                    'SObjectException',
                    `SObject row was retrieved via SOQL without querying the requested field: ${this.def.name}.${field}`
                );
            }
            if (fd?.name !== 'Id') {
                raise(
                    'SObjectException',
                    `SObject row was retrieved via SOQL without querying the requested field: ${this.def.name}.${fd?.name ?? field}`
                );
            }
        }
        return null;
    }

    put(field: string, value: unknown): unknown {
        return this.putLower(lowerName(field), field, value);
    }

    /** `put` with the field name already lower-cased. */
    putLower(lc: string, field: string, value: unknown): unknown {
        if (this.readOnly) raise('FinalException', 'Record is read-only');
        const fd = this.def.fields.get(lc);
        if (!fd) {
            const rel = relationshipOf(this.def, lc);
            if (!rel) raise('SObjectException', `Invalid field ${field} for ${this.def.name}`);
            return this.setRaw(relationshipName(this.def, lc) ?? field, value);
        }
        if (this.lockedFields?.has(lc)) raise('FinalException', `Record is read-only`);
        return this.setSlot(lc, fd.name, coerceFieldValue(fd, value, this.def.name));
    }

    /** Sets a slot without checks (query materialisation, DML write-back). */
    setRaw(name: string, value: unknown): unknown {
        return this.setSlot(lowerName(name), name, value);
    }

    private setSlot(lc: string, name: string, value: unknown): unknown {
        const prev = this.slots.get(lc);
        if (prev) {
            const old = prev.value;
            prev.value = value;
            return old;
        }
        this.slots.set(lc, { name, value });
        if (this.queried) this.queried.add(lc);
        return null;
    }

    remove(field: string): void {
        this.slots.delete(lowerName(field));
    }

    populatedFields(): Map<string, unknown> {
        const m = new Map<string, unknown>();
        for (const s of this.slots.values()) m.set(s.name, s.value);
        return m;
    }

    /** Field slots only (no relationships), lower-case name → value. */
    fieldEntries(): [FieldDef, unknown][] {
        const out: [FieldDef, unknown][] = [];
        for (const [lc, s] of this.slots) {
            const fd = this.def.fields.get(lc);
            if (fd) out.push([fd, s.value]);
        }
        return out;
    }

    get id(): ApexId | null {
        const v = this.slots.get('id')?.value;
        return v instanceof ApexId ? v : null;
    }

    cloneRecord(preserveId: boolean, deep: boolean): SObjectRecord {
        const c = new SObjectRecord(this.def);
        for (const [lc, s] of this.slots) {
            if (lc === 'id' && !preserveId) continue;
            let v = s.value;
            if (deep && v instanceof SObjectRecord) v = v.cloneRecord(true, true);
            else if (deep && v instanceof ApexList)
                v = new ApexList(
                    v.elemType,
                    v.items.map((x) => (x instanceof SObjectRecord ? x.cloneRecord(preserveId, true) : x))
                );
            c.slots.set(lc, { name: s.name, value: v });
        }
        return c;
    }

    addError(message: string, field?: string): void {
        this.errors.push({
            message,
            fields: field ? [field] : [],
            statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION'
        });
    }
}

/** 'parent' / 'child' when `lc` names a relationship of the object. */
export function relationshipOf(def: ObjectDef, lc: string): 'parent' | 'child' | undefined {
    if (def.childRelationships.has(lc)) return 'child';
    for (const f of def.fields.values())
        if (f.relationshipName && f.relationshipName.toLowerCase() === lc) return 'parent';
    return undefined;
}

function relationshipName(def: ObjectDef, lc: string): string | undefined {
    const c = def.childRelationships.get(lc);
    if (c) return c.name;
    for (const f of def.fields.values())
        if (f.relationshipName && f.relationshipName.toLowerCase() === lc) return f.relationshipName;
    return undefined;
}

const NUMERIC = new Set(['double', 'currency', 'percent']);
/** Field types whose values are Strings in Apex. */
export const STRINGY = new Set([
    'string',
    'textarea',
    'email',
    'url',
    'phone',
    'picklist',
    'multipicklist',
    'combobox',
    'encryptedstring'
]);

/** Converts a value to the Apex type of a field (Integer → Decimal for Number fields, String → Id ...). */
export function coerceFieldValue(fd: FieldDef, value: unknown, objectName: string): unknown {
    if (value === null || value === undefined) return null;
    const t = fd.type;
    if (t === 'int' && typeof value === 'number') return value;
    if (STRINGY.has(t) && typeof value === 'string') return value;
    if (t === 'id' || t === 'reference') {
        if (value instanceof ApexId) return value;
        if (typeof value === 'string') {
            const id = ApexId.tryParse(value);
            if (!id) raise('StringException', `Invalid id: ${value}`);
            return id;
        }
        return illegal(fd, value, objectName);
    }
    if (NUMERIC.has(t)) {
        if (value instanceof Decimal) return value;
        if (typeof value === 'number') return Decimal.fromInt(value);
        if (typeof value === 'bigint') return new Decimal(value, 0);
        if (value instanceof ApexDouble) return Decimal.fromNumber(value.v);
        return illegal(fd, value, objectName);
    }
    if (t === 'int') {
        if (typeof value === 'number') return value;
        if (value instanceof Decimal) return Math.trunc(value.toNumber()) | 0;
        if (value instanceof ApexDouble) return Math.trunc(value.v) | 0;
        if (typeof value === 'bigint') return Number(BigInt.asIntN(32, value));
        return illegal(fd, value, objectName);
    }
    if (STRINGY.has(t)) {
        if (typeof value === 'string') return value;
        if (value instanceof ApexId) return value.v;
        return illegal(fd, value, objectName);
    }
    if (t === 'boolean') return typeof value === 'boolean' ? value : illegal(fd, value, objectName);
    if (t === 'date') {
        if (value instanceof ApexDate) return value;
        if (value instanceof ApexDatetime) return illegal(fd, value, objectName);
        return illegal(fd, value, objectName);
    }
    if (t === 'datetime') return value instanceof ApexDatetime ? value : illegal(fd, value, objectName);
    if (t === 'time') return value instanceof ApexTime ? value : illegal(fd, value, objectName);
    return value;
}

function illegal(fd: FieldDef, value: unknown, objectName: string): never {
    const from =
        value instanceof ApexId
            ? 'Id'
            : typeof value === 'string'
              ? 'String'
              : typeof value === 'number'
                ? 'Integer'
                : typeof value === 'boolean'
                  ? 'Boolean'
                  : ((value as object).constructor?.name?.replace(/^Apex/, '') ?? 'Object');
    return raise(
        'SObjectException',
        `Illegal assignment from ${from} to ${apexTypeOfField(fd)} for field ${objectName}.${fd.name}`
    );
}

export function apexTypeOfField(fd: FieldDef): string {
    switch (fd.type) {
        case 'id':
        case 'reference':
            return 'Id';
        case 'boolean':
            return 'Boolean';
        case 'double':
        case 'currency':
        case 'percent':
            return 'Decimal';
        case 'int':
            return 'Integer';
        case 'date':
            return 'Date';
        case 'datetime':
            return 'Datetime';
        case 'time':
            return 'Time';
        case 'base64':
            return 'Blob';
        case 'address':
            return 'Address';
        case 'location':
            return 'Location';
        case 'anytype':
            return 'Object';
        default:
            return 'String';
    }
}

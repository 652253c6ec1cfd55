/**
 * SObject instance methods, SObject type statics (`Account.SObjectType`, `Account.Name`, custom settings
 * `getInstance`/`getOrgDefaults`, custom metadata `getAll`/`getInstance`) and Schema describe
 * (`Schema.getGlobalDescribe`, `SObjectType.getDescribe`, `fields.getMap`, `DescribeFieldResult`,
 * picklist entries). Apex Reference: "SObject Class", "Schema Class", "DescribeSObjectResult Class",
 * "DescribeFieldResult Class", "Custom Settings Methods", "Custom Metadata Type Methods".
 */
import type { ApexContext } from '../runtime/context.js';
import { ApexError } from '../runtime/errors.js';
import type { NativeRegistry } from '../runtime/natives.js';
import { ApexId, ApexList, ApexMap, EnumValue, NativeObject, T } from '../runtime/values.js';
import { sideOf } from '../data/index.js';
import { enumValue } from './enums.js';
import { SObjectRecord, apexTypeOfField } from '../data/record.js';
import type { FieldDef, ObjectDef } from '../data/schema.js';

// ------------------------------------------------------------------------------------------ tokens

export class SObjectTypeToken extends NativeObject<{ def: ObjectDef; toString(): string }> {
    constructor(def: ObjectDef) {
        super('schema.sobjecttype', { def, toString: () => def.name });
    }
    override toString(): string {
        return this.state.def.name;
    }
}

export class SObjectFieldToken extends NativeObject<{ def: ObjectDef; field: FieldDef; toString(): string }> {
    constructor(def: ObjectDef, field: FieldDef) {
        super('schema.sobjectfield', { def, field, toString: () => field.name });
    }
    override toString(): string {
        return this.state.field.name;
    }
}

class DescribeSObject extends NativeObject<{ def: ObjectDef }> {
    constructor(def: ObjectDef) {
        super('schema.describesobjectresult', { def });
    }
    override toString(): string {
        return `Schema.DescribeSObjectResult[${this.state.def.name}]`;
    }
}

class DescribeField extends NativeObject<{ def: ObjectDef; field: FieldDef }> {
    constructor(def: ObjectDef, field: FieldDef) {
        super('schema.describefieldresult', { def, field });
    }
    override toString(): string {
        return `Schema.DescribeFieldResult[${this.state.def.name}.${this.state.field.name}]`;
    }
}

class FieldSetMap extends NativeObject<{ def: ObjectDef }> {
    constructor(def: ObjectDef) {
        super('schema.sobjecttypefields', { def });
    }
}

class PicklistEntry extends NativeObject<{
    value: string;
    label: string;
    isDefault: boolean;
    active: boolean;
}> {
    constructor(s: { value: string; label: string; isDefault: boolean; active: boolean }) {
        super('schema.picklistentry', s);
    }
    override toString(): string {
        return `Schema.PicklistEntry[${this.state.value}]`;
    }
}

const typeTokens = new WeakMap<ObjectDef, SObjectTypeToken>();
const fieldTokens = new WeakMap<FieldDef, SObjectFieldToken>();

export function typeToken(def: ObjectDef): SObjectTypeToken {
    let t = typeTokens.get(def);
    if (!t) {
        t = new SObjectTypeToken(def);
        typeTokens.set(def, t);
    }
    return t;
}

export function fieldToken(def: ObjectDef, field: FieldDef): SObjectFieldToken {
    let t = fieldTokens.get(field);
    if (!t) {
        t = new SObjectFieldToken(def, field);
        fieldTokens.set(field, t);
    }
    return t;
}

function displayTypeOf(ctx: ApexContext, f: FieldDef): EnumValue {
    const map: Record<string, string> = { int: 'INTEGER', anytype: 'ANYTYPE' };
    return enumValue(ctx, 'Schema.DisplayType', (map[f.type] ?? f.type).toUpperCase());
}

// ------------------------------------------------------------------------------------------ helpers

function rec(self: unknown): SObjectRecord {
    if (!(self instanceof SObjectRecord))
        throw new ApexError('TypeException', 'not supported locally: SObject method on a non-record value');
    return self;
}

function fieldName(def: ObjectDef, f: unknown): string {
    if (f instanceof SObjectFieldToken) return f.state.field.name;
    if (typeof f === 'string') return f;
    throw new ApexError('NullPointerException', 'Attempt to de-reference a null object');
}

function str(v: unknown): string {
    return v === null || v === undefined ? '' : String(v);
}

// ---------------------------------------------------------------------------------- custom settings

function settingRecord(
    ctx: ApexContext,
    def: ObjectDef,
    ownerId: ApexId | null,
    orgDefaultsFallback: boolean
): SObjectRecord | null {
    const side = sideOf(ctx);
    const org = side.sync(ctx);
    const rows = [...org.db.rows(def)];
    const pick = (id: ApexId) =>
        rows.find((r) => (r.values.get('setupownerid') as ApexId | null)?.to15() === id.to15());
    let row = ownerId ? pick(ownerId) : undefined;
    if (!row && orgDefaultsFallback) {
        // Hierarchy: user, then profile, then organization (Apex Reference, "Hierarchy Custom Setting Methods").
        const user = org.db.find(ctx.user.id);
        const profileId = user?.values.get('profileid') as ApexId | undefined;
        row = (profileId ? pick(profileId) : undefined) ?? pick(org.orgId);
    }
    if (!row) return null;
    const r = side.org.engine.rowRecord(row, false);
    return r;
}

function hierarchyInstance(
    ctx: ApexContext,
    def: ObjectDef,
    arg: unknown | undefined,
    defaults: boolean
): SObjectRecord {
    const side = sideOf(ctx);
    const org = side.sync(ctx);
    const owner = arg === undefined ? ctx.user.id : arg instanceof ApexId ? arg : ApexId.tryParse(str(arg));
    if (!owner) throw new ApexError('StringException', `Invalid id: ${str(arg)}`);
    const found = defaults ? settingRecord(ctx, def, org.orgId, false) : settingRecord(ctx, def, owner, true);
    if (found) {
        if (!defaults && (found.get('SetupOwnerId') as ApexId).to15() !== owner.to15()) {
            // getInstance returns the merged values with SetupOwnerId of the requested user and no Id.
            const copy = found.cloneRecord(false, false);
            copy.setRaw('SetupOwnerId', owner);
            return copy;
        }
        return found;
    }
    // "If no custom setting data is defined ... returns a new custom setting object with ... default values"
    const r = new SObjectRecord(def);
    for (const fd of def.fields.values()) {
        if (fd.defaultValue !== undefined && fd.custom)
            r.put(fd.name, typeof fd.defaultValue === 'number' ? fd.defaultValue : fd.defaultValue);
    }
    r.setRaw('SetupOwnerId', defaults ? org.orgId : owner);
    return r;
}

function listSettings(ctx: ApexContext, def: ObjectDef): ApexMap {
    const side = sideOf(ctx);
    const org = side.sync(ctx);
    const m = new ApexMap(T.string, { name: def.name.toLowerCase(), display: def.name });
    for (const row of org.db.rows(def)) {
        const r = org.engine.rowRecord(row, false);
        const name = str(r.get('Name'));
        m.keys.set(name, name);
        m.values.set(name, r);
    }
    return m;
}

function metadataRecords(def: ObjectDef): SObjectRecord[] {
    return (def.metadataRecords ?? []).map((values) => {
        const r = new SObjectRecord(def);
        for (const [k, v] of Object.entries(values)) r.setRaw(def.fields.get(k.toLowerCase())?.name ?? k, v);
        return r;
    });
}

// ------------------------------------------------------------------------------------------ install

export function installSchema(r: NativeRegistry): void {
    r.register({
        name: 'SObject',
        methods: {
            'get/1': (_ctx, self, [f]) => rec(self).get(fieldName(rec(self).def, f)),
            'put/2': (_ctx, self, [f, v]) => rec(self).put(fieldName(rec(self).def, f), v),
            getsobject: (_ctx, self, [f]) => {
                const v = rec(self).get(fieldName(rec(self).def, f));
                if (v !== null && !(v instanceof SObjectRecord))
                    throw new ApexError(
                        'SObjectException',
                        `Invalid relationship ${str(f)} for ${rec(self).def.name}`
                    );
                return v;
            },
            putsobject: (_ctx, self, [f, v]) => rec(self).put(fieldName(rec(self).def, f), v),
            getsobjects: (_ctx, self, [f]) => {
                const v = rec(self).get(fieldName(rec(self).def, f));
                if (v instanceof ApexList && v.items.length === 0) return null;
                return v;
            },
            getsobjecttype: (_ctx, self) => typeToken(rec(self).def),
            getpopulatedfieldsasmap: (_ctx, self) => {
                const m = new ApexMap(T.string, T.object);
                for (const [k, v] of rec(self).populatedFields()) {
                    m.keys.set(k, k);
                    m.values.set(k, v);
                }
                return m;
            },
            isset: (_ctx, self, [f]) => rec(self).has(fieldName(rec(self).def, f)),
            clone: (_ctx, self, args) => rec(self).cloneRecord(args[0] === true, args[1] === true),
            'adderror/1': (_ctx, self, [m]) => {
                addError(rec(self), m, undefined);
                return null;
            },
            'adderror/2': (_ctx, self, [a, b]) => {
                // addError(fieldName, msg) / addError(SObjectField, msg) / addError(msg, escape)
                if (typeof b === 'boolean') addError(rec(self), a, undefined);
                else addError(rec(self), b, fieldName(rec(self).def, a));
                return null;
            },
            'adderror/3': (_ctx, self, [a, b]) => {
                addError(rec(self), b, fieldName(rec(self).def, a));
                return null;
            },
            haserrors: (_ctx, self) => rec(self).errors.length > 0,
            getquickactionname: () => null,
            getcloneSourceId: () => null
        }
    });

    r.register({
        name: '$SObjectStatic',
        statics: {
            'field/2': (ctx, [type, name]) => {
                const def = sideOf(ctx).schema.require(str(type));
                const n = str(name).toLowerCase();
                if (n === 'sobjecttype') return typeToken(def);
                const fd = def.fields.get(n);
                if (!fd)
                    throw new ApexError('SObjectException', `Invalid field ${str(name)} for ${def.name}`);
                return fieldToken(def, fd);
            },
            'call/3': (ctx, [type, method, args]) => {
                const def = sideOf(ctx).schema.require(str(type));
                const a = args as unknown[];
                const m = str(method).toLowerCase();
                if (def.kind === 'customSetting') {
                    if (def.settingType === 'Hierarchy') {
                        if (m === 'getinstance') return hierarchyInstance(ctx, def, a[0], false);
                        if (m === 'getorgdefaults') return hierarchyInstance(ctx, def, undefined, true);
                        if (m === 'getvalues')
                            return settingRecord(
                                ctx,
                                def,
                                a[0] instanceof ApexId ? a[0] : ApexId.tryParse(str(a[0])),
                                false
                            );
                    } else {
                        if (m === 'getall') return listSettings(ctx, def);
                        if (m === 'getinstance' || m === 'getvalues')
                            return listSettings(ctx, def).values.get(str(a[0])) ?? null;
                    }
                }
                if (def.kind === 'customMetadata') {
                    const recs = metadataRecords(def);
                    if (m === 'getall') {
                        const map = new ApexMap(T.string, {
                            name: def.name.toLowerCase(),
                            display: def.name
                        });
                        for (const x of recs) {
                            const k = str(x.get('DeveloperName'));
                            map.keys.set(k, k);
                            map.values.set(k, x);
                        }
                        return map;
                    }
                    if (m === 'getinstance')
                        return (
                            recs.find(
                                (x) =>
                                    str(x.get('DeveloperName')) === str(a[0]) ||
                                    (x.get('Id') as ApexId | null)?.v === str(a[0])
                            ) ?? null
                        );
                }
                if (m === 'getsobjecttype') return typeToken(def);
                throw new ApexError(
                    'UnexpectedException',
                    `not supported locally: ${def.name}.${str(method)}`
                );
            }
        }
    });

    r.register({
        name: 'Schema.SObjectType',
        methods: {
            getdescribe: (_ctx, self) => new DescribeSObject((self as SObjectTypeToken).state.def),
            // newSObject([recordTypeId[, loadDefaults]]): "loadDefaults ... populates custom fields with their
            // predefined default values" (Apex Reference, SObjectType.newSObject).
            newsobject: (_ctx, self, args) => {
                const def = (self as SObjectTypeToken).state.def;
                const r = new SObjectRecord(def);
                if (args[0] !== null && args[0] !== undefined)
                    throw new ApexError('UnexpectedException', 'not supported locally: record types');
                if (args[1] === true) {
                    for (const fd of def.fields.values())
                        if (fd.custom && fd.defaultValue !== undefined) r.put(fd.name, fd.defaultValue);
                }
                return r;
            },
            tostring: (_ctx, self) => (self as SObjectTypeToken).state.def.name,
            equals: (_ctx, self, [o]) => self === o,
            hashcode: (_ctx, self) => hash((self as SObjectTypeToken).state.def.name)
        },
        staticFieldFallback: (ctx, name) => {
            // Schema.SObjectType.Account → DescribeSObjectResult (Apex Reference, "Schema.SObjectType").
            const def = sideOf(ctx).schema.get(name);
            if (!def)
                throw new ApexError(
                    'UnexpectedException',
                    `not supported locally: Schema.SObjectType.${name}`
                );
            return new DescribeSObject(def);
        }
    });

    // Custom labels: "System.Label.Label_name" returns the label's value (Apex Developer Guide, "Custom Labels").
    for (const name of ['Label', 'System.Label']) {
        r.register({
            name,
            staticFieldFallback: (c, n) => {
                const v = sideOf(c).schema.labels.get(n.toLowerCase());
                if (v === undefined)
                    throw new ApexError('UnexpectedException', `Variable does not exist: Label.${n}`);
                return v;
            }
        });
    }

    // Schema.SObjectDescribeOptions (Apex Reference): resolved through the core's platform enums when present.
    for (const name of ['Schema.SObjectDescribeOptions', 'SObjectDescribeOptions']) {
        r.register({
            name,
            staticFieldFallback: (c, n) =>
                ['default', 'deferred', 'full'].includes(n.toLowerCase())
                    ? enumValue(c, 'Schema.SObjectDescribeOptions', n.toUpperCase())
                    : null
        });
    }
    // Id.getSObjectType() (Apex Reference, "Id Class").
    r.register({
        name: 'Id',
        methods: {
            getsobjecttype: (ctx, self) => {
                const def = sideOf(ctx).schema.objectForPrefix((self as ApexId).prefix);
                if (!def) throw new ApexError('SObjectException', `Invalid id: ${(self as ApexId).v}`);
                return typeToken(def);
            }
        }
    });
    // `[SELECT ...].Field`: a query used as a single record (Apex Developer Guide, "SOQL Statements").
    r.register({
        name: 'List',
        getterFallback: (_c, self, name) => {
            const l = self as ApexList;
            if (!(l.items[0] instanceof SObjectRecord) && l.items.length > 0)
                throw new ApexError('UnexpectedException', `not supported locally: field ${name} of a List`);
            if (l.items.length === 0)
                throw new ApexError('QueryException', 'List has no rows for assignment to SObject');
            if (l.items.length > 1)
                throw new ApexError('QueryException', 'List has more than 1 row for assignment to SObject');
            return (l.items[0] as SObjectRecord).get(name);
        }
    });

    r.register({
        name: 'Schema.SObjectField',
        methods: {
            getdescribe: (_ctx, self) =>
                new DescribeField(
                    (self as SObjectFieldToken).state.def,
                    (self as SObjectFieldToken).state.field
                ),
            tostring: (_ctx, self) => (self as SObjectFieldToken).state.field.name,
            equals: (_ctx, self, [o]) => self === o,
            hashcode: (_ctx, self) => hash((self as SObjectFieldToken).state.field.name)
        }
    });

    const accessOf = (ctx: ApexContext) => sideOf(ctx).sync(ctx).access(ctx.user.id);
    r.register({
        name: 'Schema.DescribeSObjectResult',
        methods: {
            getname: (_c, s) => (s as DescribeSObject).state.def.name,
            getlocalname: (_c, s) => (s as DescribeSObject).state.def.name,
            getlabel: (_c, s) => (s as DescribeSObject).state.def.label,
            getlabelplural: (_c, s) => (s as DescribeSObject).state.def.labelPlural,
            getkeyprefix: (_c, s) => (s as DescribeSObject).state.def.keyPrefix || null,
            getsobjecttype: (_c, s) => typeToken((s as DescribeSObject).state.def),
            iscustom: (_c, s) => (s as DescribeSObject).state.def.kind !== 'standard',
            iscustomsetting: (_c, s) => (s as DescribeSObject).state.def.kind === 'customSetting',
            isaccessible: (c, s) => accessOf(c).canRead((s as DescribeSObject).state.def),
            iscreateable: (c, s) => accessOf(c).canCreate((s as DescribeSObject).state.def),
            isupdateable: (c, s) => accessOf(c).canEdit((s as DescribeSObject).state.def),
            isdeletable: (c, s) => accessOf(c).canDelete((s as DescribeSObject).state.def),
            isqueryable: (c, s) => accessOf(c).canRead((s as DescribeSObject).state.def),
            fields: (_c, s) => new FieldSetMap((s as DescribeSObject).state.def)
        },
        getters: {
            fields: (_c, s) => new FieldSetMap((s as DescribeSObject).state.def)
        }
    });

    r.register({
        name: 'Schema.SObjectTypeFields',
        methods: {
            getmap: (_c, s) => {
                const def = (s as FieldSetMap).state.def;
                const m = new ApexMap(T.string, {
                    name: 'schema.sobjectfield',
                    display: 'Schema.SObjectField'
                });
                for (const fd of def.fields.values()) {
                    const k = fd.name.toLowerCase();
                    m.keys.set(k, k);
                    m.values.set(k, fieldToken(def, fd));
                }
                return m;
            }
        },
        getterFallback: (_c, s, name) => {
            const def = (s as FieldSetMap).state.def;
            const fd = def.fields.get(name.toLowerCase());
            if (!fd) throw new ApexError('SObjectException', `Invalid field ${name} for ${def.name}`);
            return new DescribeField(def, fd);
        }
    });

    const F = (s: unknown) => (s as DescribeField).state;
    r.register({
        name: 'Schema.DescribeFieldResult',
        methods: {
            getname: (_c, s) => F(s).field.name,
            getlocalname: (_c, s) => F(s).field.name,
            getlabel: (_c, s) => F(s).field.label,
            gettype: (c, s) => displayTypeOf(c, F(s).field),
            getlength: (_c, s) => F(s).field.length ?? 0,
            getprecision: (_c, s) => F(s).field.precision ?? 0,
            getscale: (_c, s) => F(s).field.scale ?? 0,
            getsobjectfield: (_c, s) => fieldToken(F(s).def, F(s).field),
            getreferenceto: (c, s) =>
                new ApexList(
                    { name: 'schema.sobjecttype', display: 'Schema.SObjectType' },
                    (F(s).field.referenceTo ?? [])
                        .map((n) => sideOf(c).schema.get(n))
                        .filter((d): d is ObjectDef => !!d)
                        .map(typeToken)
                ),
            getrelationshipname: (_c, s) => F(s).field.relationshipName ?? null,
            getdefaultvalue: (_c, s) => F(s).field.defaultValue ?? null,
            getpicklistvalues: (_c, s) =>
                new ApexList(
                    { name: 'schema.picklistentry', display: 'Schema.PicklistEntry' },
                    (F(s).field.picklist ?? []).map((p) => new PicklistEntry(p))
                ),
            iscustom: (_c, s) => F(s).field.custom,
            isexternalid: (_c, s) => F(s).field.externalId,
            isunique: (_c, s) => F(s).field.unique,
            isnillable: (_c, s) => F(s).field.nillable,
            iscalculated: (_c, s) => F(s).field.calculated,
            isautonumber: (_c, s) => !!F(s).field.autoNumberFormat,
            isrestrictedpicklist: (_c, s) => F(s).field.restrictedPicklist === true,
            isnamefield: (_c, s) => F(s).def.nameField === F(s).field.name,
            isaccessible: (c, s) => accessOf(c).describeField(F(s).def, F(s).field).accessible,
            iscreateable: (c, s) => accessOf(c).describeField(F(s).def, F(s).field).createable,
            isupdateable: (c, s) => accessOf(c).describeField(F(s).def, F(s).field).updateable,
            getsoaptype: (c, s) =>
                enumValue(
                    c,
                    'Schema.SoapType',
                    apexTypeOfField(F(s).field).toUpperCase().replace('DECIMAL', 'DOUBLE')
                )
        }
    });

    r.register({
        name: 'Schema.PicklistEntry',
        methods: {
            getvalue: (_c, s) => (s as PicklistEntry).state.value,
            getlabel: (_c, s) => (s as PicklistEntry).state.label,
            isdefaultvalue: (_c, s) => (s as PicklistEntry).state.isDefault,
            isactive: (_c, s) => (s as PicklistEntry).state.active
        }
    });

    r.register({
        name: 'Schema',
        statics: {
            getglobaldescribe: (ctx) => {
                const side = sideOf(ctx);
                const m = new ApexMap(T.string, {
                    name: 'schema.sobjecttype',
                    display: 'Schema.SObjectType'
                });
                for (const n of side.schema.allObjectNames()) {
                    const def = side.schema.get(n);
                    if (!def) continue;
                    const k = n.toLowerCase();
                    m.keys.set(k, k);
                    m.values.set(k, typeToken(def));
                }
                return m;
            },
            describesobjects: (ctx, [names]) => {
                const side = sideOf(ctx);
                const list = names instanceof ApexList ? names.items : [];
                return new ApexList(
                    { name: 'schema.describesobjectresult' },
                    list.map((n) => new DescribeSObject(side.schema.require(str(n))))
                );
            }
        }
    });
}

function addError(r: SObjectRecord, msg: unknown, field: string | undefined): void {
    // addError on a record outside a trigger or DML context marks it; DML of the record then fails
    // (Apex Reference, SObject.addError: "...the DML operation ... fails").
    r.errors.push({
        message: msg instanceof ApexError ? msg.message : str(msg instanceof Object ? String(msg) : msg),
        fields: field ? [field] : [],
        statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION'
    });
}

function hash(s: string): number {
    let h = 0;
    for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
    return h;
}

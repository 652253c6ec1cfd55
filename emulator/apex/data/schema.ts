/**
 * The org schema the local runtime runs against: the project's own metadata (custom objects, fields,
 * custom settings, custom metadata types and records, permission sets) plus the standard objects from
 * the vendored table `vendor/apex-platform/standard-sobjects.json`, overlaid with the required flags,
 * lengths, picklists and defaults the Salesforce Object Reference documents (see standard-facts.ts).
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { Decimal } from '../runtime/values.js';
import { STANDARD_KEY_PREFIXES, customPrefix } from './ids.js';
import { STANDARD_FACTS, SETUP_OBJECTS, type StandardFieldFacts } from './standard-facts.js';
import { lowerName } from './record.js';

export type FieldType =
    | 'id'
    | 'string'
    | 'textarea'
    | 'email'
    | 'url'
    | 'phone'
    | 'picklist'
    | 'multipicklist'
    | 'combobox'
    | 'boolean'
    | 'double'
    | 'int'
    | 'currency'
    | 'percent'
    | 'date'
    | 'datetime'
    | 'time'
    | 'reference'
    | 'base64'
    | 'encryptedstring'
    | 'address'
    | 'location'
    | 'anytype';

export interface PicklistValue {
    value: string;
    label: string;
    isDefault: boolean;
    active: boolean;
}

export interface FieldDef {
    name: string;
    label: string;
    type: FieldType;
    custom: boolean;
    length?: number;
    precision?: number;
    scale?: number;
    /** Required on create (not nillable and not defaulted), as the Object Reference says "Required". */
    required: boolean;
    nillable: boolean;
    /** Literal default applied on insert when the field is not set (formula defaults reduced to literals). */
    defaultValue?: string | number | boolean;
    picklist?: PicklistValue[];
    restrictedPicklist?: boolean;
    externalId: boolean;
    unique: boolean;
    caseSensitive: boolean;
    referenceTo?: string[];
    /** Parent relationship name for lookups (`Account` for AccountId, `Business_Unit__r` for Business_Unit__c). */
    relationshipName?: string;
    /** Custom lookups: the child relationship name on the parent (`Reviews__r`). */
    childRelationshipName?: string;
    /** Auto Number display format such as `INV-{000000}`. */
    autoNumberFormat?: string;
    /** Formula / roll-up / system fields that DML cannot write. */
    createable: boolean;
    updateable: boolean;
    calculated: boolean;
}

export interface ChildRelationship {
    name: string;
    childObject: string;
    field: string;
}

export type ObjectKind = 'standard' | 'custom' | 'customSetting' | 'customMetadata' | 'platformEvent';

export interface ObjectDef {
    name: string;
    label: string;
    labelPlural: string;
    kind: ObjectKind;
    keyPrefix: string;
    /** `Hierarchy` or `List` for custom settings. */
    settingType?: 'Hierarchy' | 'List';
    setup: boolean;
    fields: Map<string, FieldDef>;
    childRelationships: Map<string, ChildRelationship>;
    nameField: string | undefined;
    /** Records that come with the metadata (custom metadata type records). */
    metadataRecords?: Record<string, unknown>[];
}

export interface ObjectPermission {
    read: boolean;
    create: boolean;
    edit: boolean;
    delete: boolean;
    viewAll: boolean;
    modifyAll: boolean;
}

export interface PermissionSetDef {
    name: string;
    label: string;
    objects: Map<string, ObjectPermission>;
    /** `Object.Field` lower-cased → access. */
    fields: Map<string, { read: boolean; edit: boolean }>;
    customPermissions: Set<string>;
    userPermissions: Set<string>;
}

const xml = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    trimValues: true,
    isArray: (name) =>
        [
            'fields',
            'value',
            'values',
            'objectPermissions',
            'fieldPermissions',
            'customPermissions',
            'userPermissions',
            'referenceTo',
            'classAccesses'
        ].includes(name)
});

function readXml(path: string): Record<string, unknown> {
    return xml.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function walk(dir: string, out: string[] = []): string[] {
    if (!existsSync(dir)) return out;
    for (const entry of readdirSync(dir)) {
        if (entry === 'node_modules' || entry.startsWith('.')) continue;
        const p = join(dir, entry);
        if (statSync(p).isDirectory()) walk(p, out);
        else out.push(p);
    }
    return out;
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const bool = (v: unknown): boolean => String(v) === 'true';
const num = (v: unknown): number | undefined => (v === undefined ? undefined : Number(v));

const METADATA_FIELD_TYPES: Record<string, FieldType> = {
    Text: 'string',
    TextArea: 'textarea',
    LongTextArea: 'textarea',
    Html: 'textarea',
    EncryptedText: 'encryptedstring',
    Email: 'email',
    Url: 'url',
    Phone: 'phone',
    Picklist: 'picklist',
    MultiselectPicklist: 'multipicklist',
    Checkbox: 'boolean',
    Number: 'double',
    Currency: 'currency',
    Percent: 'percent',
    Date: 'date',
    DateTime: 'datetime',
    Time: 'time',
    Lookup: 'reference',
    MasterDetail: 'reference',
    MetadataRelationship: 'string',
    AutoNumber: 'string'
};

/** Turns a metadata `<defaultValue>` (a formula) into a literal when it is one; other formulas fail loudly. */
function literalDefault(
    expr: string | undefined,
    type: FieldType,
    where: string
): string | number | boolean | undefined {
    if (expr === undefined || expr === '') return undefined;
    const t = expr.trim();
    if (type === 'boolean') return t.toLowerCase() === 'true';
    if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
    const m = /^"(.*)"$/s.exec(t) ?? /^'(.*)'$/s.exec(t);
    if (m) return m[1];
    if (t.toLowerCase() === 'null') return undefined;
    throw new Error(`not supported locally: default value formula "${t}" at ${where}`);
}

export function parseCustomField(doc: Record<string, unknown>, objectName: string, where: string): FieldDef {
    const f = (doc.CustomField ?? doc) as Record<string, unknown>;
    const name = String(f.fullName ?? basename(where).replace('.field-meta.xml', ''));
    const mdType = str(f.type);
    const formula = str(f.formula);
    const summary = str(f.summaryOperation);
    let type: FieldType;
    if (mdType === undefined) {
        throw new Error(`field ${objectName}.${name} has no <type> at ${where}`);
    } else if (METADATA_FIELD_TYPES[mdType]) {
        type = METADATA_FIELD_TYPES[mdType];
    } else if (mdType === 'Summary') {
        type = 'double';
    } else {
        throw new Error(`not supported locally: field type ${mdType} at ${where}`);
    }
    if (formula !== undefined && str(f.formulaTreatBlanksAs) !== undefined && mdType === 'Checkbox')
        type = 'boolean';
    const vs = f.valueSet as Record<string, unknown> | undefined;
    let picklist: PicklistValue[] | undefined;
    if (vs) {
        const def = vs.valueSetDefinition as Record<string, unknown> | undefined;
        const values = (def?.value as Record<string, unknown>[] | undefined) ?? [];
        picklist = values.map((v) => ({
            value: String(v.fullName),
            label: String(v.label ?? v.fullName),
            isDefault: bool(v.default),
            active: v.isActive === undefined ? true : bool(v.isActive)
        }));
        if (str(vs.valueSetName)) {
            throw new Error(`not supported locally: global value set ${String(vs.valueSetName)} at ${where}`);
        }
    }
    const calculated = formula !== undefined || summary !== undefined || mdType === 'Summary';
    const autoNumber = mdType === 'AutoNumber';
    const required = bool(f.required) || mdType === 'MasterDetail';
    let defaultValue = literalDefault(str(f.defaultValue), type, where);
    if (type === 'boolean' && defaultValue === undefined && !calculated) defaultValue = false;
    const defaultPick = picklist?.find((p) => p.isDefault);
    if (defaultValue === undefined && defaultPick) defaultValue = defaultPick.value;
    const referenceTo = f.referenceTo as string[] | undefined;
    const relName = str(f.relationshipName);
    return {
        name,
        label: str(f.label) ?? name,
        type,
        custom: true,
        length:
            type === 'string' || type === 'textarea' || type === 'encryptedstring'
                ? (num(f.length) ?? (mdType === 'TextArea' ? 255 : undefined))
                : type === 'email'
                  ? 80
                  : type === 'url'
                    ? 255
                    : type === 'phone'
                      ? 40
                      : undefined,
        precision: num(f.precision),
        scale: num(f.scale),
        required,
        nillable: !required && type !== 'boolean',
        defaultValue,
        picklist,
        restrictedPicklist: vs ? bool(vs.restricted) : undefined,
        externalId: bool(f.externalId),
        unique: bool(f.unique),
        caseSensitive: bool(f.caseSensitive),
        referenceTo: referenceTo?.map(String),
        // The parent relationship of a custom lookup is the field name with __r; <relationshipName> names the
        // child relationship on the parent (Object Reference, "Relationships Among Objects").
        relationshipName: type === 'reference' ? name.replace(/__c$/i, '__r') : undefined,
        childRelationshipName: relName ? relName + '__r' : undefined,
        autoNumberFormat: autoNumber ? str(f.displayFormat) : undefined,
        createable: !calculated && !autoNumber,
        updateable:
            !calculated && !autoNumber && !(mdType === 'MasterDetail' && !bool(f.reparentableMasterDetail)),
        calculated
    };
}

function systemField(name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
    return {
        name,
        label: name,
        type,
        custom: false,
        required: false,
        nillable: true,
        externalId: false,
        unique: false,
        caseSensitive: false,
        createable: false,
        updateable: false,
        calculated: false,
        ...extra
    };
}

/** Fields every custom object has (Object Reference, "Custom Objects": system fields). */
function customObjectSystemFields(kind: ObjectKind, nameField: FieldDef | undefined): FieldDef[] {
    const out: FieldDef[] = [
        systemField('Id', 'id', { nillable: false }),
        systemField('IsDeleted', 'boolean', { nillable: false }),
        systemField('CreatedDate', 'datetime'),
        systemField('CreatedById', 'reference', { referenceTo: ['User'], relationshipName: 'CreatedBy' }),
        systemField('LastModifiedDate', 'datetime'),
        systemField('LastModifiedById', 'reference', {
            referenceTo: ['User'],
            relationshipName: 'LastModifiedBy'
        }),
        systemField('SystemModstamp', 'datetime')
    ];
    if (kind === 'custom') {
        out.push(
            systemField('OwnerId', 'reference', {
                referenceTo: ['User', 'Group'],
                relationshipName: 'Owner',
                createable: true,
                updateable: true
            })
        );
    }
    if (kind === 'customSetting') {
        out.push(
            systemField('SetupOwnerId', 'reference', {
                referenceTo: ['Organization', 'Profile', 'User'],
                relationshipName: 'SetupOwner',
                createable: true,
                updateable: true
            })
        );
    }
    if (kind === 'customMetadata') {
        for (const f of [
            'DeveloperName',
            'MasterLabel',
            'Label',
            'Language',
            'NamespacePrefix',
            'QualifiedApiName'
        ]) {
            out.push(systemField(f, 'string', { length: f === 'Label' || f === 'MasterLabel' ? 40 : 40 }));
        }
    }
    if (nameField) out.push(nameField);
    return out;
}

const STANDARD_TYPE_MAP: Record<string, FieldType> = {
    String: 'string',
    Id: 'id',
    Boolean: 'boolean',
    Decimal: 'double',
    Double: 'double',
    Integer: 'int',
    Long: 'int',
    Date: 'date',
    Datetime: 'datetime',
    Time: 'time',
    Blob: 'base64',
    Address: 'address',
    Location: 'location',
    Object: 'anytype'
};

/** Child relationships whose child field is ambiguous by type alone. */
const CHILD_FIELD_OVERRIDES: Record<string, string> = {
    'Case.Cases': 'ParentId',
    'Account.ChildAccounts': 'ParentId',
    'Contact.Cases': 'ContactId',
    'User.ManagedUsers': 'ManagerId',
    'Opportunity.OpportunityContactRoles': 'OpportunityId',
    'Case.CaseContactRoles': 'CasesId',
    'Order.OrderItems': 'OrderId',
    'Pricebook2.PricebookEntries': 'Pricebook2Id',
    'Product2.PricebookEntries': 'Product2Id',
    'Opportunity.OpportunityLineItems': 'OpportunityId'
};

interface StandardTable {
    [name: string]: { fields: { name: string; type: string }[] };
}

export interface SchemaOptions {
    /** Directory holding the package source (`force-app`). */
    packageDir?: string;
    /** Path of `standard-sobjects.json`. */
    standardTablePath?: string;
}

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(HERE, '..', '..', '..');

export class Schema {
    private readonly objects = new Map<string, ObjectDef>();
    private readonly standard: StandardTable;
    private readonly customNames: string[] = [];
    readonly permissionSets = new Map<string, PermissionSetDef>();
    readonly customPermissions = new Set<string>();
    /** Named credentials found in the package: name → endpoint and external credential. */
    readonly namedCredentials = new Map<string, { endpoint: string; externalCredential?: string }>();
    /** Custom labels (`System.Label.Name`): lower-case name → value in the default language. */
    readonly labels = new Map<string, string>();
    /** External credentials: name → protocol and parameters (group, name, type, value). */
    readonly externalCredentials = new Map<
        string,
        {
            name: string;
            protocol: string;
            params: { group: string; name: string; type: string; value: string }[];
        }
    >();

    constructor(opts: SchemaOptions = {}) {
        const tablePath =
            opts.standardTablePath ?? join(REPO_ROOT, 'vendor', 'apex-platform', 'standard-sobjects.json');
        this.standard = JSON.parse(readFileSync(tablePath, 'utf8')) as StandardTable;
        if (opts.packageDir) this.loadPackage(opts.packageDir);
    }

    /** Loads a package directory in standard source format. */
    loadPackage(dir: string): void {
        const files = walk(dir);
        const objectFiles = files.filter((f) => f.endsWith('.object-meta.xml'));
        const pending: { name: string; def: ObjectDef }[] = [];
        for (const file of objectFiles.sort()) {
            const name = basename(file).replace('.object-meta.xml', '');
            const doc = (readXml(file).CustomObject ?? {}) as Record<string, unknown>;
            if (!name.includes('__')) {
                // A standard object extended by the package: only its custom fields are read below.
                continue;
            }
            const kind: ObjectKind = name.endsWith('__mdt')
                ? 'customMetadata'
                : name.endsWith('__e')
                  ? 'platformEvent'
                  : str(doc.customSettingsType)
                    ? 'customSetting'
                    : 'custom';
            const nf = doc.nameField as Record<string, unknown> | undefined;
            let nameField: FieldDef | undefined;
            if (kind === 'custom' || kind === 'customSetting') {
                const auto = str(nf?.type) === 'AutoNumber';
                nameField = {
                    ...systemField('Name', 'string', { length: kind === 'customSetting' ? 38 : 80 }),
                    label: str(nf?.label) ?? 'Name',
                    createable: !auto,
                    updateable: !auto,
                    autoNumberFormat: auto ? str(nf?.displayFormat) : undefined,
                    nillable: auto || kind === 'customSetting'
                };
            }
            const def: ObjectDef = {
                name,
                label: str(doc.label) ?? name,
                labelPlural: str(doc.pluralLabel) ?? str(doc.label) ?? name,
                kind,
                keyPrefix: '',
                settingType:
                    kind === 'customSetting'
                        ? str(doc.customSettingsType) === 'List'
                            ? 'List'
                            : 'Hierarchy'
                        : undefined,
                setup: false,
                fields: new Map(),
                childRelationships: new Map(),
                nameField: nameField ? 'Name' : kind === 'customMetadata' ? 'DeveloperName' : undefined
            };
            for (const f of customObjectSystemFields(kind, nameField))
                def.fields.set(f.name.toLowerCase(), f);
            pending.push({ name, def });
        }
        // Key prefixes: custom objects a00.., custom metadata m00.., events e00.. in name order.
        let ci = 0;
        let mi = 0;
        let ei = 0;
        for (const { name, def } of pending) {
            def.keyPrefix =
                def.kind === 'customMetadata'
                    ? customPrefix(mi++, 'm')
                    : def.kind === 'platformEvent'
                      ? customPrefix(ei++, 'e')
                      : customPrefix(ci++, 'a');
            this.objects.set(name.toLowerCase(), def);
            this.customNames.push(name);
        }
        for (const file of files.filter((f) => f.endsWith('.field-meta.xml'))) {
            const objectName = basename(dirname(dirname(file)));
            const owner = this.get(objectName);
            if (!owner) throw new Error(`field file for unknown object ${objectName}: ${file}`);
            const field = parseCustomField(readXml(file), objectName, file);
            owner.fields.set(field.name.toLowerCase(), field);
        }
        for (const name of this.customNames) this.linkRelationships(this.get(name)!);
        for (const file of files.filter((f) => f.endsWith('.md-meta.xml'))) this.loadMetadataRecord(file);
        for (const file of files.filter((f) => f.endsWith('.permissionset-meta.xml')))
            this.loadPermissionSet(file);
        for (const file of files.filter((f) => f.endsWith('.customPermission-meta.xml'))) {
            this.customPermissions.add(basename(file).replace('.customPermission-meta.xml', ''));
        }
        for (const file of files.filter((f) => f.endsWith('.namedCredential-meta.xml'))) {
            const doc = (readXml(file).NamedCredential ?? {}) as Record<string, unknown>;
            const name = basename(file).replace('.namedCredential-meta.xml', '');
            const params = ([] as unknown[]).concat(doc.namedCredentialParameters ?? []) as Record<
                string,
                unknown
            >[];
            const url =
                str(doc.endpoint) ?? str(params.find((p) => str(p.parameterType) === 'Url')?.parameterValue);
            const ext =
                str(doc.externalCredential) ??
                str(params.find((p) => str(p.parameterType) === 'Authentication')?.externalCredential);
            this.namedCredentials.set(name.toLowerCase(), { endpoint: url ?? '', externalCredential: ext });
        }
        for (const file of files.filter((f) => f.endsWith('.labels-meta.xml'))) {
            const doc = (readXml(file).CustomLabels ?? {}) as Record<string, unknown>;
            for (const l of ([] as unknown[]).concat(doc.labels ?? []) as Record<string, unknown>[]) {
                const v = Array.isArray(l.value) ? (l.value[0] as unknown) : l.value;
                this.labels.set(String(l.fullName).toLowerCase(), str(v) ?? '');
            }
        }
        for (const file of files.filter((f) => f.endsWith('.externalCredential-meta.xml'))) {
            const doc = (readXml(file).ExternalCredential ?? {}) as Record<string, unknown>;
            const name = basename(file).replace('.externalCredential-meta.xml', '');
            const params = ([] as unknown[]).concat(doc.externalCredentialParameters ?? []) as Record<
                string,
                unknown
            >[];
            this.externalCredentials.set(name.toLowerCase(), {
                name,
                protocol: str(doc.authenticationProtocol) ?? '',
                params: params.map((p) => ({
                    group: str(p.parameterGroup) ?? '',
                    name: str(p.parameterName) ?? '',
                    type: str(p.parameterType) ?? '',
                    value: str(p.parameterValue) ?? ''
                }))
            });
        }
    }

    private linkRelationships(def: ObjectDef): void {
        for (const f of def.fields.values()) {
            if (f.type !== 'reference' || !f.custom || !f.referenceTo || !f.childRelationshipName) continue;
            for (const parentName of f.referenceTo) {
                const parent = this.get(parentName);
                if (!parent) continue;
                const rel = f.childRelationshipName;
                parent.childRelationships.set(rel.toLowerCase(), {
                    name: rel,
                    childObject: def.name,
                    field: f.name
                });
            }
        }
    }

    private loadMetadataRecord(file: string): void {
        const full = basename(file).replace('.md-meta.xml', '');
        const dot = full.indexOf('.');
        const typeName = full.slice(0, dot) + '__mdt';
        const devName = full.slice(dot + 1);
        const def = this.get(typeName);
        if (!def) throw new Error(`custom metadata record for unknown type ${typeName}: ${file}`);
        const doc = (readXml(file).CustomMetadata ?? {}) as Record<string, unknown>;
        const rec: Record<string, unknown> = {
            DeveloperName: devName,
            MasterLabel: str(doc.label) ?? devName,
            Label: str(doc.label) ?? devName,
            QualifiedApiName: devName,
            Language: 'en_US',
            NamespacePrefix: null
        };
        for (const v of (doc.values as Record<string, unknown>[] | undefined) ?? []) {
            const fieldName = String(v.field);
            const fd = def.fields.get(fieldName.toLowerCase());
            if (!fd) throw new Error(`custom metadata record ${full} sets unknown field ${fieldName}`);
            const rawValue = v.value as unknown;
            const raw = Array.isArray(rawValue) ? (rawValue[0] as unknown) : rawValue;
            const nil =
                typeof raw === 'object' &&
                raw !== null &&
                (raw as Record<string, unknown>)['@xsi:nil'] === 'true';
            const text = nil
                ? null
                : typeof raw === 'object' && raw !== null
                  ? (str((raw as Record<string, unknown>)['#text']) ?? '')
                  : (str(raw) ?? null);
            rec[fd.name] =
                text === null
                    ? null
                    : fd.type === 'boolean'
                      ? text === 'true'
                      : ['double', 'currency', 'percent'].includes(fd.type)
                        ? Decimal.parse(text)
                        : fd.type === 'int'
                          ? Number(text)
                          : text;
        }
        (def.metadataRecords ??= []).push(rec);
    }

    private loadPermissionSet(file: string): void {
        const name = basename(file).replace('.permissionset-meta.xml', '');
        const doc = (readXml(file).PermissionSet ?? {}) as Record<string, unknown>;
        this.permissionSets.set(name.toLowerCase(), permissionSetFromDoc(name, doc));
    }

    /** The object definition, or undefined when the org has no such object. */
    get(name: string): ObjectDef | undefined {
        const key = lowerName(name);
        const hit = this.objects.get(key);
        if (hit) return hit;
        const stdName = this.standardName(key);
        if (!stdName) return undefined;
        const def = this.buildStandard(stdName);
        this.objects.set(key, def);
        // Custom lookups onto this standard object contribute child relationships.
        for (const cname of this.customNames) {
            const cdef = this.objects.get(cname.toLowerCase())!;
            for (const f of cdef.fields.values()) {
                if (
                    f.type === 'reference' &&
                    f.custom &&
                    f.relationshipName &&
                    f.referenceTo?.some((r) => r.toLowerCase() === key)
                ) {
                    def.childRelationships.set(f.relationshipName.toLowerCase(), {
                        name: f.relationshipName,
                        childObject: cdef.name,
                        field: f.name
                    });
                }
            }
        }
        return def;
    }

    /** Like get, but throws the compile error Apex reports for an unknown SObject type. */
    require(name: string): ObjectDef {
        const d = this.get(name);
        if (!d) throw new Error(`Invalid type: ${name}`);
        return d;
    }

    private stdIndex: Map<string, string> | undefined;
    private standardName(lc: string): string | undefined {
        if (!this.stdIndex) {
            this.stdIndex = new Map();
            for (const k of Object.keys(this.standard)) this.stdIndex.set(k.toLowerCase(), k);
        }
        return this.stdIndex.get(lc);
    }

    private buildStandard(name: string): ObjectDef {
        const entry = this.standard[name];
        const facts = STANDARD_FACTS[name];
        const def: ObjectDef = {
            name,
            label: facts?.label ?? name,
            labelPlural: facts?.labelPlural ?? name + 's',
            kind: 'standard',
            keyPrefix: STANDARD_KEY_PREFIXES[name] ?? '',
            setup: SETUP_OBJECTS.has(name),
            fields: new Map(),
            childRelationships: new Map(),
            nameField: undefined
        };
        const byName = new Map(entry.fields.map((f) => [f.name.toLowerCase(), f]));
        for (const f of entry.fields) {
            if (f.type.endsWith('[]')) continue;
            let type: FieldType | undefined = STANDARD_TYPE_MAP[f.type];
            let referenceTo: string[] | undefined;
            let relationshipName: string | undefined;
            if (type === undefined) continue; // a parent relationship (type is the parent object); handled via its Id field
            if (type === 'id' && f.name !== 'Id') {
                type = 'reference';
                const relName = f.name.endsWith('Id') ? f.name.slice(0, -2) : undefined;
                const rel = relName ? byName.get(relName.toLowerCase()) : undefined;
                if (rel) {
                    relationshipName = rel.name;
                    // Polymorphic relationships (type Name: Owner, What, Who; type SObject: SetupEntityAccess.SetupEntity)
                    // accept several objects: no type check.
                    referenceTo = rel.type === 'Name' || rel.type === 'SObject' ? [] : [rel.type];
                } else {
                    referenceTo = [];
                }
            }
            const ff: StandardFieldFacts | undefined = facts?.fields[f.name];
            const sys = [
                'Id',
                'IsDeleted',
                'CreatedDate',
                'CreatedById',
                'LastModifiedDate',
                'LastModifiedById',
                'SystemModstamp'
            ].includes(f.name);
            const field: FieldDef = {
                name: f.name,
                label: ff?.label ?? f.name,
                type: ff?.type ?? type,
                custom: false,
                length: ff?.length ?? (type === 'string' ? 255 : undefined),
                precision: ff?.precision,
                scale: ff?.scale,
                required: ff?.required ?? false,
                nillable: !(ff?.required ?? false) && type !== 'boolean' && f.name !== 'Id',
                defaultValue: ff?.defaultValue ?? (type === 'boolean' && !sys ? false : undefined),
                picklist: ff?.picklist?.map((v) => ({
                    value: v,
                    label: v,
                    isDefault: ff.picklistDefault === v,
                    active: true
                })),
                restrictedPicklist: ff?.restricted,
                externalId: false,
                unique: ff?.unique ?? false,
                caseSensitive: false,
                referenceTo,
                relationshipName,
                createable: !sys && !(ff?.readOnly ?? false),
                updateable: !sys && !(ff?.readOnly ?? false) && !(ff?.createOnly ?? false),
                calculated: ff?.readOnly ?? false
            };
            if (ff?.picklistDefault !== undefined && field.defaultValue === undefined)
                field.defaultValue = ff.picklistDefault;
            def.fields.set(f.name.toLowerCase(), field);
        }
        if (def.fields.has('name')) def.nameField = 'Name';
        for (const f of entry.fields) {
            if (!f.type.endsWith('[]')) continue;
            const child = f.type.slice(0, -2);
            const childEntry = this.standard[child];
            if (!childEntry) continue;
            let fieldName: string | undefined = CHILD_FIELD_OVERRIDES[`${name}.${f.name}`];
            if (!fieldName) {
                const candidates = childEntry.fields.filter(
                    (cf) =>
                        (cf.type === name || cf.type === 'Name') &&
                        childEntry.fields.some((x) => x.name === cf.name + 'Id')
                );
                const exact = candidates.filter((c) => c.type === name && c.name !== 'MasterRecord');
                const pick = exact[0] ?? candidates[0];
                if (pick) fieldName = pick.name + 'Id';
            }
            if (fieldName)
                def.childRelationships.set(f.name.toLowerCase(), {
                    name: f.name,
                    childObject: child,
                    field: fieldName
                });
        }
        return def;
    }

    /** Every custom object, setting and metadata type of the package. */
    customObjects(): ObjectDef[] {
        return this.customNames.map((n) => this.get(n)!);
    }

    /** Object def for an id's key prefix. */
    objectForPrefix(prefix: string): ObjectDef | undefined {
        for (const def of this.objects.values()) if (def.keyPrefix === prefix) return def;
        for (const [n, p] of Object.entries(STANDARD_KEY_PREFIXES)) if (p === prefix) return this.get(n);
        return undefined;
    }

    /** Every object name known (for Schema.getGlobalDescribe). */
    allObjectNames(): string[] {
        return [...new Set([...Object.keys(this.standard), ...this.customNames])];
    }
}

export function permissionSetFromDoc(name: string, doc: Record<string, unknown>): PermissionSetDef {
    const ps: PermissionSetDef = {
        name,
        label: str(doc.label) ?? name,
        objects: new Map(),
        fields: new Map(),
        customPermissions: new Set(),
        userPermissions: new Set()
    };
    for (const op of (doc.objectPermissions as Record<string, unknown>[] | undefined) ?? []) {
        ps.objects.set(String(op.object).toLowerCase(), {
            read: bool(op.allowRead),
            create: bool(op.allowCreate),
            edit: bool(op.allowEdit),
            delete: bool(op.allowDelete),
            viewAll: bool(op.viewAllRecords),
            modifyAll: bool(op.modifyAllRecords)
        });
    }
    for (const fp of (doc.fieldPermissions as Record<string, unknown>[] | undefined) ?? []) {
        ps.fields.set(String(fp.field).toLowerCase(), { read: bool(fp.readable), edit: bool(fp.editable) });
    }
    for (const cp of (doc.customPermissions as Record<string, unknown>[] | undefined) ?? []) {
        if (bool(cp.enabled)) ps.customPermissions.add(String(cp.name).toLowerCase());
    }
    for (const up of (doc.userPermissions as Record<string, unknown>[] | undefined) ?? []) {
        if (bool(up.enabled)) ps.userPermissions.add(String(up.name).toLowerCase());
    }
    return ps;
}

/** The schema of this repository's package (force-app), loaded once. */
let projectSchema: Schema | undefined;
export function loadProjectSchema(): Schema {
    projectSchema ??= new Schema({ packageDir: join(REPO_ROOT, 'force-app') });
    return projectSchema;
}

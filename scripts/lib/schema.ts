/**
 * The package's schema and metadata names, read from source-format metadata below a root, merged
 * with the platform's standard objects (vendor/apex-platform/standard-sobjects.json). Used by the
 * metadata gate (references, SOQL) — names compare case-insensitively, like the platform does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, lwcBundles, walk } from './files.ts';
import { readXml, text, texts, values, type XmlDoc } from './xml.ts';

export interface FieldInfo {
    name: string;
    /** Metadata type for custom fields (`Lookup`, `Text`, ...); the Apex type for standard ones. */
    type: string;
    /** Parent objects of a relationship field (lookup, master-detail, standard reference). */
    referenceTo: string[];
    required: boolean;
    custom: boolean;
}

export interface ObjectInfo {
    name: string;
    custom: boolean;
    kind: 'object' | 'setting' | 'metadataType' | 'event' | 'standard';
    fields: Map<string, FieldInfo>;
    /** Parent relationship name (`Owner`, `Account`, `Business_Unit__r`) → field. */
    parentRelationships: Map<string, FieldInfo>;
    /** Child relationship name (`Contacts`, `Reviews__r`) → child object name. */
    childRelationships: Map<string, string>;
}

export interface ProjectSchema {
    objects: Map<string, ObjectInfo>;
    classes: Map<string, string>;
    triggers: Set<string>;
    tabs: Set<string>;
    apps: Set<string>;
    flexipages: Set<string>;
    customPermissions: Set<string>;
    labels: Set<string>;
    lwc: Map<string, string>;
    layouts: Set<string>;
    /** `ExternalCredential-PrincipalName` pairs, as permission sets name them. */
    externalCredentialPrincipals: Set<string>;
    namedCredentials: Set<string>;
    /** Parsed metadata documents (all `*-meta.xml` and `*.xml` files that parsed). */
    docs: XmlDoc[];
    /** Files that are not well-formed XML. */
    xmlErrors: { file: string; error: string; line: number }[];
}

const lower = (s: string): string => s.toLowerCase();

interface StandardTable {
    [name: string]: { fields: { name: string; type: string }[] };
}
let standardCache: StandardTable | undefined;
function standardObjects(): StandardTable {
    standardCache ??= JSON.parse(
        readFileSync(join(ROOT, 'vendor/apex-platform/standard-sobjects.json'), 'utf8')
    ) as StandardTable;
    return standardCache;
}

function emptyObject(name: string, custom: boolean, kind: ObjectInfo['kind']): ObjectInfo {
    return {
        name,
        custom,
        kind,
        fields: new Map(),
        parentRelationships: new Map(),
        childRelationships: new Map()
    };
}

function addField(obj: ObjectInfo, field: FieldInfo): void {
    obj.fields.set(lower(field.name), field);
}

/** A standard object from the vendored table (undefined when the platform has no such object). */
function standardObject(name: string): ObjectInfo | undefined {
    const table = standardObjects();
    const key = Object.keys(table).find((k) => lower(k) === lower(name));
    if (key === undefined) return undefined;
    const obj = emptyObject(key, false, 'standard');
    for (const f of table[key]!.fields) {
        if (f.type.endsWith('[]')) {
            obj.childRelationships.set(lower(f.name), f.type.slice(0, -2));
            continue;
        }
        const isRef = f.type in table || f.type === 'Name';
        const info: FieldInfo = {
            name: f.name,
            type: f.type,
            referenceTo: isRef ? [f.type] : [],
            required: false,
            custom: false
        };
        if (isRef) obj.parentRelationships.set(lower(f.name), info);
        else addField(obj, info);
    }
    return obj;
}

/** Standard fields every custom object, custom setting or custom metadata type has. */
function systemFields(obj: ObjectInfo, isDetail: boolean): void {
    const plain = (name: string, type: string): void =>
        addField(obj, { name, type, referenceTo: [], required: false, custom: false });
    const ref = (name: string, idName: string, to: string): void => {
        plain(idName, 'Id');
        obj.parentRelationships.set(lower(name), {
            name,
            type: to,
            referenceTo: [to],
            required: false,
            custom: false
        });
    };
    plain('Id', 'Id');
    if (obj.kind === 'metadataType') {
        for (const f of [
            'DeveloperName',
            'MasterLabel',
            'Label',
            'Language',
            'NamespacePrefix',
            'QualifiedApiName'
        ]) {
            plain(f, 'String');
        }
        return;
    }
    if (obj.kind === 'event') {
        for (const f of ['ReplayId', 'EventUuid']) plain(f, 'String');
        plain('CreatedDate', 'Datetime');
        ref('CreatedBy', 'CreatedById', 'User');
        return;
    }
    plain('Name', 'String');
    plain('IsDeleted', 'Boolean');
    plain('CreatedDate', 'Datetime');
    plain('LastModifiedDate', 'Datetime');
    plain('SystemModstamp', 'Datetime');
    ref('CreatedBy', 'CreatedById', 'User');
    ref('LastModifiedBy', 'LastModifiedById', 'User');
    if (obj.kind === 'setting') {
        ref('SetupOwner', 'SetupOwnerId', 'Name');
        return;
    }
    plain('LastViewedDate', 'Datetime');
    plain('LastReferencedDate', 'Datetime');
    plain('LastActivityDate', 'Date');
    if (!isDetail) ref('Owner', 'OwnerId', 'Name');
    ref('RecordType', 'RecordTypeId', 'RecordType');
}

function objectKind(name: string, doc: XmlDoc | undefined): ObjectInfo['kind'] {
    if (name.endsWith('__mdt')) return 'metadataType';
    if (name.endsWith('__e')) return 'event';
    if (doc && text(doc.root, 'customSettingsType') !== undefined) return 'setting';
    return 'object';
}

/** Name of the metadata component a source file defines, from its file name. */
export function componentName(file: string, suffix: string): string {
    const base = file.slice(file.lastIndexOf('/') + 1);
    return base.slice(0, base.length - suffix.length);
}

export function loadSchema(roots: string[]): ProjectSchema {
    const schema: ProjectSchema = {
        objects: new Map(),
        classes: new Map(),
        triggers: new Set(),
        tabs: new Set(),
        apps: new Set(),
        flexipages: new Set(),
        customPermissions: new Set(),
        labels: new Set(),
        lwc: new Map(),
        layouts: new Set(),
        externalCredentialPrincipals: new Set(),
        namedCredentials: new Set(),
        docs: [],
        xmlErrors: []
    };
    const files = roots.flatMap((r) => walk(r));
    for (const file of files) {
        if (!file.endsWith('.xml') || file.includes('/__tests__/') || file.includes('/jest-mocks/')) continue;
        const doc = readXml(file);
        if ('error' in doc) schema.xmlErrors.push(doc);
        else schema.docs.push(doc);
    }
    const docByFile = new Map(schema.docs.map((d) => [d.file, d]));

    // Objects: custom objects from their .object-meta.xml, standard objects on demand when extended.
    const objectDirs = new Map<string, string>();
    for (const file of files) {
        const m = /\/objects\/([^/]+)\//.exec(file);
        if (m) objectDirs.set(file.slice(0, (m.index ?? 0) + m[0].length - 1), m[1]!);
    }
    for (const [dir, name] of objectDirs) {
        const doc = docByFile.get(`${dir}/${name}.object-meta.xml`);
        const isCustom = /__(c|mdt|e|x|b)$/i.test(name);
        let obj = schema.objects.get(lower(name));
        if (!obj) {
            obj = isCustom ? emptyObject(name, true, objectKind(name, doc)) : standardObject(name);
            if (!obj) continue; // an unknown standard object: reported by the metadata checks
            schema.objects.set(lower(name), obj);
        }
        if (isCustom) {
            const fieldDocs = [...docByFile.values()].filter((d) => d.file.startsWith(`${dir}/fields/`));
            const isDetail = fieldDocs.some((d) => text(d.root, 'type') === 'MasterDetail');
            systemFields(obj, isDetail);
        }
    }
    for (const doc of schema.docs) {
        if (!doc.file.endsWith('.field-meta.xml')) continue;
        const m = /\/objects\/([^/]+)\/fields\/([^/]+)\.field-meta\.xml$/.exec(doc.file);
        if (!m) continue;
        const obj = schema.objects.get(lower(m[1]!));
        if (!obj) continue;
        const type = text(doc.root, 'type') ?? '';
        const referenceTo = texts(doc.root, 'referenceTo');
        const field: FieldInfo = {
            name: m[2]!,
            type,
            referenceTo,
            required: text(doc.root, 'required') === 'true' || type === 'MasterDetail',
            custom: true
        };
        addField(obj, field);
        const relName = text(doc.root, 'relationshipName');
        if ((type === 'Lookup' || type === 'MasterDetail' || type === 'MetadataRelationship') && relName) {
            const parentRel = `${m[2]!.replace(/__c$/i, '')}__r`;
            obj.parentRelationships.set(lower(parentRel), { ...field, name: parentRel });
            for (const parentName of referenceTo) {
                let parent = schema.objects.get(lower(parentName));
                if (!parent) {
                    parent = standardObject(parentName);
                    if (parent) schema.objects.set(lower(parentName), parent);
                }
                parent?.childRelationships.set(lower(`${relName}__r`), obj.name);
            }
        }
    }

    for (const file of files) {
        if (file.endsWith('.cls')) schema.classes.set(lower(componentName(file, '.cls')), file);
        else if (file.endsWith('.trigger')) schema.triggers.add(lower(componentName(file, '.trigger')));
        else if (file.endsWith('.tab-meta.xml')) schema.tabs.add(lower(componentName(file, '.tab-meta.xml')));
        else if (file.endsWith('.app-meta.xml')) schema.apps.add(lower(componentName(file, '.app-meta.xml')));
        else if (file.endsWith('.flexipage-meta.xml'))
            schema.flexipages.add(lower(componentName(file, '.flexipage-meta.xml')));
        else if (file.endsWith('.customPermission-meta.xml'))
            schema.customPermissions.add(lower(componentName(file, '.customPermission-meta.xml')));
        else if (file.endsWith('.layout-meta.xml'))
            schema.layouts.add(lower(componentName(file, '.layout-meta.xml')));
        else if (file.endsWith('.namedCredential-meta.xml'))
            schema.namedCredentials.add(lower(componentName(file, '.namedCredential-meta.xml')));
    }
    for (const doc of schema.docs) {
        if (doc.rootTag === 'CustomLabels') {
            for (const name of texts(doc.root, 'labels', 'fullName')) schema.labels.add(lower(name));
        } else if (doc.rootTag === 'ExternalCredential') {
            const cred = componentName(doc.file, '.externalCredential-meta.xml');
            for (const param of values(doc.root, 'externalCredentialParameters')) {
                const type = text(param, 'parameterType');
                const name = text(param, 'parameterName');
                if (name && (type === 'NamedPrincipal' || type === 'PerUserPrincipal')) {
                    schema.externalCredentialPrincipals.add(lower(`${cred}-${name}`));
                }
            }
        }
    }
    for (const root of roots) {
        for (const bundle of lwcBundles(root)) schema.lwc.set(lower(bundle.name), bundle.dir);
    }
    return schema;
}

/** The object, standard or custom, with that name; standard objects load from the vendored table. */
export function findObject(schema: ProjectSchema, name: string): ObjectInfo | undefined {
    let obj = schema.objects.get(lower(name));
    if (!obj) {
        obj = standardObject(name);
        if (obj) schema.objects.set(lower(name), obj);
    }
    return obj;
}

/** A field (not a relationship) of an object. */
export function findField(obj: ObjectInfo, name: string): FieldInfo | undefined {
    return obj.fields.get(lower(name));
}

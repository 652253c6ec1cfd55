/**
 * Read-only model of the package's source-format metadata for the policy tests (scripts/policy/*.test.ts).
 *
 * Every XML file below force-app is parsed with fast-xml-parser; elements that may repeat are always arrays,
 * values stay strings ("true", "60"). Objects are found wherever their `objects/<Name>/` folder sits in the
 * feature folders, so the tests follow the package layout instead of hard-coding it.
 */
import { XMLParser } from 'fast-xml-parser';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ROOT, walk } from '../lib/files.ts';

export type Xml = Record<string, unknown>;

/** Elements that can occur more than once in the metadata types the package uses. */
const REPEATED = new Set([
    'actionOverrides',
    'applicationVisibilities',
    'classAccesses',
    'columns',
    'componentInstanceProperties',
    'customPermissions',
    'customSettingAccesses',
    'externalCredentialParameters',
    'externalCredentialPrincipalAccesses',
    'fieldPermissions',
    'fields',
    'filters',
    'flexiPageRegions',
    'formFactors',
    'itemInstances',
    'layoutColumns',
    'layoutItems',
    'layoutSections',
    'namedCredentialParameters',
    'objectPermissions',
    'relatedLists',
    'tabSettings',
    'tabs',
    'userPermissions',
    'value'
]);

const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (name) => REPEATED.has(name)
});

export const PACKAGE_DIR = 'force-app';

/** The root element of a metadata file (root-relative path), e.g. the `<PermissionSet>` content. */
export function readMetadata(file: string): Xml {
    const doc = parser.parse(readFileSync(join(ROOT, file), 'utf8')) as Xml;
    const root = Object.keys(doc).find((key) => key !== '?xml');
    if (root === undefined) {
        throw new Error(`${file}: no root element`);
    }
    return (doc[root] ?? {}) as Xml;
}

/** Source files of one metadata suffix, e.g. `permissionset` → `*.permissionset-meta.xml`. */
export function metadataFiles(suffix: string): string[] {
    return walk(PACKAGE_DIR, (rel) => rel.endsWith(`.${suffix}-meta.xml`));
}

/** Component name of a metadata file: `Foo.permissionset-meta.xml` → `Foo`. */
export function componentName(file: string, suffix: string): string {
    return basename(file, `.${suffix}-meta.xml`);
}

export function list(value: unknown): Xml[] {
    if (value === undefined || value === null || value === '') return [];
    return (Array.isArray(value) ? value : [value]) as Xml[];
}

export function text(value: unknown): string {
    return typeof value === 'string' ? value : '';
}

export function isTrue(value: unknown): boolean {
    return value === 'true';
}

export interface CustomObjectModel {
    name: string;
    dir: string;
    definition: Xml;
    isCustomSetting: boolean;
    fields: Map<string, Xml>;
    listViews: Map<string, Xml>;
    compactLayouts: Map<string, Xml>;
}

/** Every custom object and custom setting of the package, by API name. */
export function customObjects(): Map<string, CustomObjectModel> {
    const out = new Map<string, CustomObjectModel>();
    for (const file of metadataFiles('object')) {
        const name = componentName(file, 'object');
        const dir = dirname(file);
        const children = (folder: string, suffix: string): Map<string, Xml> =>
            new Map(
                walk(join(dir, folder), (rel) => rel.endsWith(`.${suffix}-meta.xml`)).map((child) => [
                    componentName(child, suffix),
                    readMetadata(child)
                ])
            );
        const definition = readMetadata(file);
        out.set(name, {
            name,
            dir,
            definition,
            isCustomSetting: text(definition.customSettingsType) !== '',
            fields: children('fields', 'field'),
            listViews: children('listViews', 'listView'),
            compactLayouts: children('compactLayouts', 'compactLayout')
        });
    }
    return out;
}

/** Components of one type by name, e.g. `components('tab')`. */
export function components(suffix: string): Map<string, Xml> {
    return new Map(metadataFiles(suffix).map((file) => [componentName(file, suffix), readMetadata(file)]));
}

/** Standard objects the package's lookups, layouts and pages may reference, with the fields they use. */
export const STANDARD_OBJECTS = new Set(['Case', 'Contact', 'Opportunity', 'Order']);

/** Standard fields every custom object has (Name, audit fields, owner). */
export const STANDARD_CUSTOM_OBJECT_FIELDS = new Set([
    'Name',
    'OwnerId',
    'CreatedById',
    'CreatedDate',
    'LastModifiedById',
    'LastModifiedDate'
]);

/** Whether `Object.Field` (or a bare field of `object`) exists in the package's metadata. */
export function fieldExists(objects: Map<string, CustomObjectModel>, object: string, field: string): boolean {
    const model = objects.get(object);
    if (model === undefined) return false;
    return STANDARD_CUSTOM_OBJECT_FIELDS.has(field) || model.fields.has(field);
}

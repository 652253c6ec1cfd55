/**
 * gate:metadata — checks the package's metadata offline, because the Salesforce libraries validate
 * nothing without an org (SDR converts invalid field types, unknown elements and classes without
 * -meta.xml silently):
 * - xml-parse            every .xml file is well-formed;
 * - apex-meta            every .cls/.trigger has its -meta.xml with apiVersion (= sourceApiVersion) and status;
 * - lwc-meta             every LWC bundle has <name>.js-meta.xml with apiVersion and isExposed;
 * - field / object       field types, required elements per type and known elements; object basics;
 * - reference            permission sets, apps, tabs, layouts, list views, compact layouts and flexipages
 *                        reference only objects, fields, classes, tabs, apps, permissions, credentials and
 *                        LWC bundles that exist;
 * - label                labels used by Apex (Label.X, System.Label.X) and LWC (@salesforce/label/c.X) exist;
 * - lwc-import           @salesforce/schema, @salesforce/apex, @salesforce/customPermission imports and
 *                        <c-...> tags in templates name things that exist;
 * - soql-schema          object and field names inside static SOQL exist (scripts/lib/soql.ts);
 * - convert              `sf project convert source` converts the package (default run only);
 * - policy               the policy tests in scripts/policy/*.test.ts pass (default run only).
 *
 * Metadata API reference: https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/
 * (CustomField, CustomObject, PermissionSet, CustomApplication, CustomTab, Layout, ListView, FlexiPage).
 *
 * Usage: tsx scripts/gates/metadata.ts [--no-convert] [root ...]   (default root: force-app)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apexFiles, parseApex } from '../lib/apex.ts';
import { ROOT, lwcBundles, walk } from '../lib/files.ts';
import { report, type Finding } from '../lib/report.ts';
import {
    componentName,
    findField,
    findObject,
    loadSchema,
    type ObjectInfo,
    type ProjectSchema
} from '../lib/schema.ts';
import { SoqlChecker } from '../lib/soql.ts';
import { lineOf, text, texts, values, type XmlDoc } from '../lib/xml.ts';

const lower = (s: string): string => s.toLowerCase();

/** Required elements per CustomField type (Metadata API: CustomField, FieldType). */
const FIELD_TYPES: Record<string, string[]> = {
    AutoNumber: ['displayFormat'],
    Checkbox: ['defaultValue'],
    Currency: ['precision', 'scale'],
    Date: [],
    DateTime: [],
    Email: [],
    EncryptedText: ['length', 'maskChar', 'maskType'],
    Html: ['length', 'visibleLines'],
    Location: ['scale', 'displayLocationInDecimal'],
    LongTextArea: ['length', 'visibleLines'],
    Lookup: ['referenceTo', 'relationshipName'],
    MasterDetail: ['referenceTo', 'relationshipName', 'relationshipOrder'],
    MetadataRelationship: ['referenceTo'],
    MultiselectPicklist: ['valueSet', 'visibleLines'],
    Number: ['precision', 'scale'],
    Percent: ['precision', 'scale'],
    Phone: [],
    Picklist: ['valueSet'],
    Summary: ['summaryOperation', 'summaryForeignKey'],
    Text: ['length'],
    TextArea: [],
    Time: [],
    Url: []
};

/** Field types a custom setting may have (Salesforce Help: "Custom Settings Limits and Considerations"). */
const SETTING_FIELD_TYPES = new Set([
    'Checkbox',
    'Currency',
    'Date',
    'DateTime',
    'Email',
    'Number',
    'Percent',
    'Phone',
    'Text',
    'TextArea',
    'Url'
]);

/** Elements of CustomField (Metadata API Developer Guide, CustomField). */
const FIELD_ELEMENTS = new Set([
    'fullName',
    'businessOwnerGroup',
    'businessOwnerUser',
    'businessStatus',
    'caseSensitive',
    'complianceGroup',
    'customDataType',
    'defaultValue',
    'deleteConstraint',
    'deprecated',
    'description',
    'displayFormat',
    'displayLocationInDecimal',
    'encryptionScheme',
    'escapeMarkup',
    'externalDeveloperName',
    'externalId',
    'fieldManageability',
    'formula',
    'formulaTreatBlanksAs',
    'inlineHelpText',
    'isAIPredictionField',
    'isConvertLeadDisabled',
    'isFilteringDisabled',
    'isNameField',
    'isSortingDisabled',
    'label',
    'length',
    'lookupFilter',
    'maskChar',
    'maskType',
    'metadataRelationshipControllingField',
    'populateExistingRows',
    'precision',
    'readOnlyProxy',
    'referenceTargetField',
    'referenceTo',
    'relationshipLabel',
    'relationshipName',
    'relationshipOrder',
    'reparentableMasterDetail',
    'required',
    'restrictedAdminField',
    'scale',
    'securityClassification',
    'startingNumber',
    'stripMarkup',
    'summarizedField',
    'summaryFilterItems',
    'summaryForeignKey',
    'summaryOperation',
    'trackFeedHistory',
    'trackHistory',
    'trackTrending',
    'translateData',
    'type',
    'unique',
    'valueSet',
    'visibleLines',
    'writeRequiresMasterRead'
]);

class Checker {
    readonly findings: Finding[] = [];
    constructor(private readonly schema: ProjectSchema) {}

    add(file: string, rule: string, message: string, source?: string, needle?: string): void {
        const line = source !== undefined && needle !== undefined ? lineOf(source, needle) : undefined;
        this.findings.push({ file, line, rule, message });
    }

    object(name: string): ObjectInfo | undefined {
        return findObject(this.schema, name);
    }

    /** `Object.Field` (a field of that object, custom or standard). */
    fieldRef(ref: string): { ok: boolean; why: string } {
        const [objName, fieldName, ...rest] = ref.split('.');
        if (!objName || !fieldName || rest.length > 0)
            return { ok: false, why: `malformed field reference ${ref}` };
        const obj = this.object(objName);
        if (!obj) return { ok: false, why: `unknown object ${objName}` };
        if (!findField(obj, fieldName)) return { ok: false, why: `unknown field ${obj.name}.${fieldName}` };
        return { ok: true, why: '' };
    }
}

function checkXmlAndApexMeta(c: Checker, schema: ProjectSchema, roots: string[], apiVersion: string): void {
    for (const e of schema.xmlErrors) {
        c.findings.push({ file: e.file, line: e.line, rule: 'xml-parse', message: e.error });
    }
    for (const file of apexFiles(roots)) {
        const meta = `${file}-meta.xml`;
        const expectedRoot = file.endsWith('.cls') ? 'ApexClass' : 'ApexTrigger';
        if (!existsSync(join(ROOT, meta))) {
            c.add(
                file,
                'apex-meta',
                `missing ${meta.slice(meta.lastIndexOf('/') + 1)} (apiVersion and status)`
            );
            continue;
        }
        const doc = schema.docs.find((d) => d.file === meta);
        if (!doc) continue; // reported as xml-parse
        if (doc.rootTag !== expectedRoot)
            c.add(meta, 'apex-meta', `root element must be ${expectedRoot}, not ${doc.rootTag}`);
        const version = text(doc.root, 'apiVersion');
        if (version === undefined) c.add(meta, 'apex-meta', 'missing <apiVersion>');
        else if (version !== apiVersion) {
            c.add(
                meta,
                'apex-meta',
                `apiVersion ${version} differs from sourceApiVersion ${apiVersion}`,
                doc.source,
                version
            );
        }
        const status = text(doc.root, 'status');
        if (status === undefined) c.add(meta, 'apex-meta', 'missing <status>');
        else if (!['Active', 'Inactive', 'Deleted'].includes(status)) {
            c.add(
                meta,
                'apex-meta',
                `status ${status} is not Active, Inactive or Deleted`,
                doc.source,
                status
            );
        }
    }
    for (const root of roots) {
        for (const meta of walk(root, (rel) => /\.(cls|trigger)-meta\.xml$/.test(rel))) {
            if (!existsSync(join(ROOT, meta.replace(/-meta\.xml$/, '')))) {
                c.add(meta, 'apex-meta', 'meta file without its Apex source');
            }
        }
    }
}

function checkLwcMeta(c: Checker, schema: ProjectSchema, roots: string[]): void {
    for (const root of roots) {
        for (const bundle of lwcBundles(root)) {
            const meta = `${bundle.dir}/${bundle.name}.js-meta.xml`;
            const hasSource = ['ts', 'js'].some((ext) =>
                existsSync(join(ROOT, `${bundle.dir}/${bundle.name}.${ext}`))
            );
            if (!hasSource)
                c.add(bundle.dir, 'lwc-meta', `bundle ${bundle.name} has no ${bundle.name}.ts or .js`);
            if (!existsSync(join(ROOT, meta))) {
                c.add(bundle.dir, 'lwc-meta', `bundle ${bundle.name} has no ${bundle.name}.js-meta.xml`);
                continue;
            }
            const doc = schema.docs.find((d) => d.file === meta);
            if (!doc) continue;
            if (doc.rootTag !== 'LightningComponentBundle')
                c.add(meta, 'lwc-meta', 'root must be LightningComponentBundle');
            if (text(doc.root, 'apiVersion') === undefined) c.add(meta, 'lwc-meta', 'missing <apiVersion>');
            if (text(doc.root, 'isExposed') === undefined) c.add(meta, 'lwc-meta', 'missing <isExposed>');
        }
    }
}

function checkField(c: Checker, doc: XmlDoc): void {
    const m = /\/objects\/([^/]+)\/fields\/([^/]+)\.field-meta\.xml$/.exec(doc.file);
    if (!m) return;
    const [, objName, fieldName] = m as unknown as [string, string, string];
    const obj = c.object(objName);
    const say = (message: string, needle?: string): void =>
        c.add(doc.file, 'field', message, doc.source, needle);
    if (doc.rootTag !== 'CustomField') say(`root element must be CustomField, not ${doc.rootTag}`);
    for (const element of Object.keys(doc.root)) {
        if (!FIELD_ELEMENTS.has(element)) say(`unknown CustomField element <${element}>`, `<${element}`);
    }
    const fullName = text(doc.root, 'fullName');
    if (fullName !== undefined && fullName !== fieldName)
        say(`fullName ${fullName} differs from the file name ${fieldName}`);
    const isCustomField = /__c$/i.test(fieldName);
    if (!isCustomField) return; // standard field customisations carry few elements
    if (!text(doc.root, 'label')) say('missing <label>');
    const type = text(doc.root, 'type');
    if (type === undefined) {
        say('missing <type>');
        return;
    }
    const required = FIELD_TYPES[type];
    if (required === undefined) {
        say(`unknown field type ${type}`, `<type>${type}</type>`);
        return;
    }
    const formula = text(doc.root, 'formula') !== undefined;
    for (const element of required) {
        if (formula && ['length', 'defaultValue', 'visibleLines'].includes(element)) continue;
        if (values(doc.root, element).length === 0) say(`${type} field needs <${element}>`);
    }
    const num = (tag: string): number | undefined => {
        const v = text(doc.root, tag);
        return v === undefined ? undefined : Number(v);
    };
    const length = num('length');
    if (type === 'Text' && length !== undefined && !(length >= 1 && length <= 255))
        say(`Text length ${length} outside 1..255`);
    if (
        (type === 'LongTextArea' || type === 'Html') &&
        length !== undefined &&
        !(length >= 256 && length <= 131072)
    ) {
        say(`${type} length ${length} outside 256..131072`);
    }
    const precision = num('precision');
    const scale = num('scale');
    if (['Number', 'Currency', 'Percent'].includes(type) && precision !== undefined && scale !== undefined) {
        if (!(precision >= 1 && precision <= 18)) say(`precision ${precision} outside 1..18`);
        if (!(scale >= 0 && scale <= precision))
            say(`scale ${scale} must be between 0 and precision ${precision}`);
    }
    if (type === 'Picklist' || type === 'MultiselectPicklist') {
        const defined = values(doc.root, 'valueSet', 'valueSetDefinition', 'value', 'fullName').length;
        const global = text(doc.root, 'valueSet', 'valueSetName');
        if (defined === 0 && global === undefined)
            say(`${type} has no values (valueSetDefinition or valueSetName)`);
    }
    for (const target of texts(doc.root, 'referenceTo')) {
        if (!c.object(target)) say(`referenceTo names unknown object ${target}`, `<referenceTo>${target}`);
    }
    if (obj?.kind === 'setting' && !SETTING_FIELD_TYPES.has(type)) {
        say(`custom settings cannot have ${type} fields`, `<type>${type}</type>`);
    }
    if (type === 'Checkbox' && !formula && text(doc.root, 'required') === 'true')
        say('a Checkbox cannot be required');
}

function checkObject(c: Checker, doc: XmlDoc): void {
    const name = componentName(doc.file, '.object-meta.xml');
    const say = (message: string): void => c.add(doc.file, 'object', message);
    if (doc.rootTag !== 'CustomObject') say(`root element must be CustomObject, not ${doc.rootTag}`);
    if (!/__c$/i.test(name)) return;
    if (!text(doc.root, 'label')) say('missing <label>');
    const settingsType = text(doc.root, 'customSettingsType');
    if (settingsType !== undefined) {
        if (!['Hierarchy', 'List'].includes(settingsType))
            say(`customSettingsType ${settingsType} is not Hierarchy or List`);
        if (!['Protected', 'Public'].includes(text(doc.root, 'visibility') ?? ''))
            say('custom setting needs <visibility> Protected or Public');
        return;
    }
    if (!text(doc.root, 'pluralLabel')) say('missing <pluralLabel>');
    if (!text(doc.root, 'deploymentStatus')) say('missing <deploymentStatus>');
    if (!text(doc.root, 'sharingModel')) say('missing <sharingModel>');
    const nameType = text(doc.root, 'nameField', 'type');
    if (nameType === undefined) say('missing <nameField> with <type>');
    else if (!['Text', 'AutoNumber'].includes(nameType))
        say(`nameField type ${nameType} is not Text or AutoNumber`);
    else if (nameType === 'AutoNumber' && !text(doc.root, 'nameField', 'displayFormat'))
        say('AutoNumber nameField needs <displayFormat>');
    if (!text(doc.root, 'nameField', 'label')) say('nameField needs <label>');
}

function checkPermissionSet(c: Checker, s: ProjectSchema, doc: XmlDoc): void {
    const ref = (message: string, needle: string): void =>
        c.add(doc.file, 'reference', message, doc.source, needle);
    for (const app of texts(doc.root, 'applicationVisibilities', 'application')) {
        if (!app.startsWith('standard__') && !s.apps.has(lower(app)))
            ref(`unknown application ${app}`, `>${app}<`);
    }
    for (const cls of texts(doc.root, 'classAccesses', 'apexClass')) {
        if (!s.classes.has(lower(cls))) ref(`unknown Apex class ${cls}`, `>${cls}<`);
    }
    for (const perm of texts(doc.root, 'customPermissions', 'name')) {
        if (!s.customPermissions.has(lower(perm))) ref(`unknown custom permission ${perm}`, `>${perm}<`);
    }
    for (const setting of texts(doc.root, 'customSettingAccesses', 'name')) {
        if (c.object(setting)?.kind !== 'setting') ref(`unknown custom setting ${setting}`, `>${setting}<`);
    }
    for (const mdt of texts(doc.root, 'customMetadataTypeAccesses', 'name')) {
        if (c.object(mdt)?.kind !== 'metadataType') ref(`unknown custom metadata type ${mdt}`, `>${mdt}<`);
    }
    for (const p of texts(doc.root, 'externalCredentialPrincipalAccesses', 'externalCredentialPrincipal')) {
        if (!s.externalCredentialPrincipals.has(lower(p)))
            ref(`unknown external credential principal ${p}`, `>${p}<`);
    }
    for (const obj of texts(doc.root, 'objectPermissions', 'object')) {
        if (!c.object(obj)) ref(`unknown object ${obj}`, `>${obj}<`);
    }
    for (const field of texts(doc.root, 'fieldPermissions', 'field')) {
        const r = c.fieldRef(field);
        if (!r.ok) {
            ref(`field permission on ${field}: ${r.why}`, `>${field}<`);
            continue;
        }
        const [objName, fieldName] = field.split('.') as [string, string];
        const info = findField(c.object(objName)!, fieldName)!;
        if (info.required) {
            // Required and master-detail fields are always accessible; a deploy with FLS entries for them
            // fails with "You cannot deploy to a required field" (e.g. docs.gearset.com, article 12476080).
            ref(
                `field permission on required field ${field}: the platform rejects it on deploy`,
                `>${field}<`
            );
        }
    }
    for (const tab of texts(doc.root, 'tabSettings', 'tab')) {
        if (!tab.startsWith('standard-') && !s.tabs.has(lower(tab))) ref(`unknown tab ${tab}`, `>${tab}<`);
    }
}

function checkApp(c: Checker, s: ProjectSchema, doc: XmlDoc): void {
    const ref = (message: string, needle: string): void =>
        c.add(doc.file, 'reference', message, doc.source, needle);
    for (const tab of texts(doc.root, 'tabs')) {
        if (!tab.startsWith('standard-') && !s.tabs.has(lower(tab))) ref(`unknown tab ${tab}`, `>${tab}<`);
    }
    const pages = [
        ...texts(doc.root, 'actionOverrides', 'content'),
        ...texts(doc.root, 'profileActionOverrides', 'content'),
        ...texts(doc.root, 'utilityBar')
    ];
    for (const page of pages) {
        if (!s.flexipages.has(lower(page))) ref(`unknown flexipage ${page}`, `>${page}<`);
    }
}

function checkTab(c: Checker, s: ProjectSchema, doc: XmlDoc): void {
    const name = componentName(doc.file, '.tab-meta.xml');
    const ref = (message: string, needle?: string): void =>
        c.add(doc.file, 'reference', message, doc.source, needle);
    if (text(doc.root, 'customObject') === 'true' && !c.object(name))
        ref(`object tab for unknown object ${name}`);
    const page = text(doc.root, 'flexiPage');
    if (page !== undefined && !s.flexipages.has(lower(page))) ref(`unknown flexipage ${page}`, `>${page}<`);
    const lwc = text(doc.root, 'lwcComponent');
    if (lwc !== undefined && !s.lwc.has(lower(lwc.replace(/^c:/, '')))) ref(`unknown LWC ${lwc}`, `>${lwc}<`);
    if (
        text(doc.root, 'customObject') !== 'true' &&
        page === undefined &&
        lwc === undefined &&
        text(doc.root, 'url') === undefined
    ) {
        ref('tab shows nothing: no customObject, flexiPage, lwcComponent or url');
    }
}

function checkLayout(c: Checker, doc: XmlDoc): void {
    const name = componentName(doc.file, '.layout-meta.xml');
    const objName = name.slice(0, name.indexOf('-'));
    const ref = (message: string, needle?: string): void =>
        c.add(doc.file, 'reference', message, doc.source, needle);
    const obj = c.object(objName);
    if (!obj) {
        ref(`layout for unknown object ${objName}`);
        return;
    }
    for (const field of texts(doc.root, 'layoutSections', 'layoutColumns', 'layoutItems', 'field')) {
        if (!findField(obj, field)) ref(`unknown field ${obj.name}.${field}`, `<field>${field}<`);
    }
    for (const related of texts(doc.root, 'relatedLists', 'relatedList')) {
        if (related.includes('.')) {
            const r = c.fieldRef(related);
            if (!r.ok) ref(`related list ${related}: ${r.why}`, `>${related}<`);
        } else if (/__r$/i.test(related) && !obj.childRelationships.has(lower(related))) {
            ref(`unknown child relationship ${related} on ${obj.name}`, `>${related}<`);
        }
    }
}

/** List view columns/filters name custom fields by API name; standard ones are upper-case tokens. */
function checkListView(c: Checker, doc: XmlDoc): void {
    const m = /\/objects\/([^/]+)\/listViews\//.exec(doc.file);
    const obj = m ? c.object(m[1]!) : undefined;
    if (!obj) return;
    for (const field of [...texts(doc.root, 'columns'), ...texts(doc.root, 'filters', 'field')]) {
        if (/__c$/i.test(field) && !field.includes('.') && !findField(obj, field)) {
            c.add(doc.file, 'reference', `unknown field ${obj.name}.${field}`, doc.source, `>${field}<`);
        }
    }
}

function checkCompactLayout(c: Checker, doc: XmlDoc): void {
    const m = /\/objects\/([^/]+)\/compactLayouts\//.exec(doc.file);
    const obj = m ? c.object(m[1]!) : undefined;
    if (!obj) return;
    for (const field of texts(doc.root, 'fields')) {
        if (!findField(obj, field))
            c.add(doc.file, 'reference', `unknown field ${obj.name}.${field}`, doc.source, `>${field}<`);
    }
}

function checkFlexiPage(c: Checker, s: ProjectSchema, doc: XmlDoc): void {
    const ref = (message: string, needle: string): void =>
        c.add(doc.file, 'reference', message, doc.source, needle);
    const sobject = text(doc.root, 'sobjectType');
    const obj = sobject === undefined ? undefined : c.object(sobject);
    if (sobject !== undefined && !obj) ref(`unknown object ${sobject}`, `>${sobject}<`);
    const instances = values(doc.root, 'flexiPageRegions', 'itemInstances', 'componentInstance');
    for (const instance of instances) {
        const component = text(instance, 'componentName') ?? '';
        const [ns, bare] = component.includes(':') ? component.split(':') : ['c', component];
        if (ns === 'c' && !s.lwc.has(lower(bare ?? ''))) ref(`unknown LWC ${component}`, `>${component}<`);
    }
    for (const item of texts(doc.root, 'flexiPageRegions', 'itemInstances', 'fieldInstance', 'fieldItem')) {
        const field = item.replace(/^Record\./, '');
        if (obj && !findField(obj, field)) ref(`unknown field ${obj.name}.${field}`, `>${item}<`);
    }
}

/** Strips comments and string literals so name scans only see code. */
function codeOnly(source: string): string {
    return source
        .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
        .replace(/\/\/[^\n]*/g, '')
        .replace(/'(?:\\.|[^'\\\n])*'/g, "''");
}

function checkApexUsage(c: Checker, s: ProjectSchema, roots: string[]): number {
    let queries = 0;
    for (const file of apexFiles(roots)) {
        const parsed = parseApex(file);
        const code = codeOnly(parsed.source);
        for (const m of code.matchAll(/(?<![\w.])(?:System\s*\.\s*)?Label\s*\.\s*([A-Za-z]\w*)(?!\s*\()/g)) {
            if (!s.labels.has(lower(m[1]!))) {
                const line = code.slice(0, m.index).split('\n').length;
                c.findings.push({ file, line, rule: 'label', message: `unknown custom label ${m[1]}` });
            }
        }
        if (parsed.errors.length > 0) continue; // gate:apex-syntax reports them
        const soql = new SoqlChecker(s, file);
        soql.walk(parsed.tree);
        queries += soql.queries;
        c.findings.push(...soql.findings);
    }
    return queries;
}

function checkLwcUsage(c: Checker, s: ProjectSchema, roots: string[]): void {
    for (const root of roots) {
        for (const bundle of lwcBundles(root)) {
            const files = walk(bundle.dir, (rel) => !rel.includes('/__tests__/'));
            const hasTs = (f: string): boolean => files.includes(f.replace(/\.js$/, '.ts'));
            for (const file of files) {
                if (!(file.endsWith('.ts') || (file.endsWith('.js') && !hasTs(file)))) continue;
                const source = readFileSync(join(ROOT, file), 'utf8');
                const at = (index: number): number => source.slice(0, index).split('\n').length;
                for (const m of source.matchAll(
                    /from\s+['"]@salesforce\/(label|schema|apex|customPermission)\/([^'"]+)['"]/g
                )) {
                    const [, kind, name] = m as unknown as [string, string, string];
                    const add = (message: string): void =>
                        void c.findings.push({
                            file,
                            line: at(m.index ?? 0),
                            rule: kind === 'label' ? 'label' : 'lwc-import',
                            message
                        });
                    if (kind === 'label') {
                        const label = name.replace(/^c\./, '');
                        if (!s.labels.has(lower(label))) add(`unknown custom label ${label}`);
                    } else if (kind === 'customPermission') {
                        if (!s.customPermissions.has(lower(name))) add(`unknown custom permission ${name}`);
                    } else if (kind === 'apex') {
                        const [cls, method] = name.split('.');
                        const clsFile = s.classes.get(lower(cls ?? ''));
                        if (!clsFile) add(`unknown Apex class ${cls}`);
                        else {
                            const code = codeOnly(readFileSync(join(ROOT, clsFile), 'utf8'));
                            const declared = new RegExp(`@AuraEnabled[^;{}]*?\\b${method}\\s*\\(`, 'i').test(
                                code
                            );
                            if (!declared) add(`${cls}.${method} is not an @AuraEnabled method of ${cls}`);
                        }
                    } else {
                        const [objName, ...path] = name.split('.');
                        let obj = c.object(objName ?? '');
                        if (!obj) {
                            add(`unknown object ${objName}`);
                            continue;
                        }
                        for (let i = 0; i < path.length; i++) {
                            const seg = path[i]!;
                            if (i < path.length - 1) {
                                const target: string | undefined = obj.parentRelationships.get(lower(seg))
                                    ?.referenceTo[0];
                                const next: ObjectInfo | undefined = target ? c.object(target) : undefined;
                                if (!next) {
                                    add(`${obj.name} has no relationship ${seg}`);
                                    break;
                                }
                                obj = next;
                            } else if (!findField(obj, seg)) add(`unknown field ${obj.name}.${seg}`);
                        }
                    }
                }
            }
            for (const file of files.filter((f) => f.endsWith('.html'))) {
                const source = readFileSync(join(ROOT, file), 'utf8');
                for (const m of source.matchAll(/<c-([a-z0-9-]+)/g)) {
                    const name = m[1]!.replace(/-([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
                    if (!s.lwc.has(lower(name))) {
                        const line = source.slice(0, m.index).split('\n').length;
                        c.findings.push({
                            file,
                            line,
                            rule: 'lwc-import',
                            message: `<c-${m[1]}> names no LWC bundle (${name})`
                        });
                    }
                }
            }
        }
    }
}

function convertPackage(c: Checker): void {
    const out = mkdtempSync(join(tmpdir(), 'tp-convert-'));
    try {
        const run = spawnSync(
            join(ROOT, 'node_modules/.bin/sf'),
            [
                'project',
                'convert',
                'source',
                '--root-dir',
                'force-app',
                '--output-dir',
                join(out, 'mdapi'),
                '--json'
            ],
            {
                cwd: ROOT,
                encoding: 'utf8',
                env: { ...process.env, SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true' }
            }
        );
        if (run.status !== 0) {
            c.findings.push({
                file: 'force-app',
                rule: 'convert',
                message: `sf project convert source failed: ${(run.stdout || run.stderr).slice(0, 2000)}`
            });
        }
    } finally {
        rmSync(out, { recursive: true, force: true });
    }
}

function runPolicyTests(c: Checker): number {
    const tests = walk('scripts/policy', (rel) => rel.endsWith('.test.ts'));
    if (tests.length === 0) return 0;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=dot', ...tests], {
        cwd: ROOT,
        stdio: 'inherit'
    });
    if (run.status !== 0)
        c.findings.push({
            file: 'scripts/policy',
            rule: 'policy',
            message: 'policy tests failed (output above)'
        });
    return tests.length;
}

export function checkMetadata(roots: string[]): { findings: Finding[]; summary: string } {
    const schema = loadSchema(roots);
    const c = new Checker(schema);
    const project = JSON.parse(readFileSync(join(ROOT, 'sfdx-project.json'), 'utf8')) as {
        sourceApiVersion: string;
    };
    checkXmlAndApexMeta(c, schema, roots, project.sourceApiVersion);
    checkLwcMeta(c, schema, roots);
    for (const doc of schema.docs) {
        if (doc.file.endsWith('.field-meta.xml')) checkField(c, doc);
        else if (doc.file.endsWith('.object-meta.xml')) checkObject(c, doc);
        else if (doc.rootTag === 'PermissionSet') checkPermissionSet(c, schema, doc);
        else if (doc.rootTag === 'CustomApplication') checkApp(c, schema, doc);
        else if (doc.rootTag === 'CustomTab') checkTab(c, schema, doc);
        else if (doc.rootTag === 'Layout') checkLayout(c, doc);
        else if (doc.rootTag === 'ListView') checkListView(c, doc);
        else if (doc.rootTag === 'CompactLayout') checkCompactLayout(c, doc);
        else if (doc.rootTag === 'FlexiPage') checkFlexiPage(c, schema, doc);
    }
    const queries = checkApexUsage(c, schema, roots);
    checkLwcUsage(c, schema, roots);
    return {
        findings: c.findings,
        summary: `${schema.docs.length} XML files, ${schema.objects.size} objects, ${queries} SOQL queries`
    };
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const args = process.argv.slice(2);
    const roots = args.filter((a) => !a.startsWith('--'));
    const full = roots.length === 0;
    const { findings, summary } = checkMetadata(full ? ['force-app'] : roots);
    let extra = '';
    if (full && !args.includes('--no-convert')) {
        const c = new Checker(loadSchema([]));
        convertPackage(c);
        const policies = runPolicyTests(c);
        findings.push(...c.findings);
        extra = `; package converts; ${policies} policy test file(s)`;
    }
    process.exit(report('metadata', findings, summary + extra));
}

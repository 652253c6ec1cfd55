/**
 * Everything the Setup-facing metadata names must exist, and the app must look the way PRODUCT.md says:
 * list views (Review: exactly All, Latest Reviews, Recent product reviews, Recent service reviews; Invitation:
 * one per status), compact layouts, page layouts, Lightning pages, tabs, the Trustpilot app (Home, Reviews,
 * Invitation Status, Settings in that order), record-page overrides, and Named → External Credentials
 * (callouts only through Named Credentials, no secrets in source). SDR converts all of these without
 * validating a single reference, so a wrong name would first fail in a real org.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../lib/files.ts';
import {
    components,
    customObjects,
    fieldExists,
    list,
    metadataFiles,
    readMetadata,
    text,
    type Xml
} from './metadata.ts';

const objects = customObjects();
const flexipages = components('flexipage');
const tabs = components('tab');

/** The single value of an element the parser reads as repeatable (`<value>` of a list view filter). */
function single(value: unknown): string {
    return text(Array.isArray(value) ? value[0] : value);
}

/** List view column tokens: `NAME` or a field API name. */
function columnField(column: string): string {
    return column === 'NAME' ? 'Name' : column;
}

describe('list views', () => {
    it('Review has exactly All, Latest Reviews, Recent product reviews and Recent service reviews', () => {
        const labels = [...(objects.get('Review__c')?.listViews.values() ?? [])]
            .map((v) => text(v.label))
            .sort();
        assert.deepEqual(labels, [
            'All',
            'Latest Reviews',
            'Recent product reviews',
            'Recent service reviews'
        ]);
    });

    it('Invitation has All and one list view per status value', () => {
        const invitation = objects.get('Invitation__c');
        const statusField = invitation?.fields.get('Status__c') as Xml;
        const statuses = list(((statusField.valueSet as Xml).valueSetDefinition as Xml).value).map((v) =>
            text(v.fullName)
        );
        const filtered = [...(invitation?.listViews.values() ?? [])]
            .flatMap((v) => list(v.filters))
            .filter((f) => text(f.field) === 'Status__c' && text(f.operation) === 'equals')
            .map((f) => single(f.value))
            .sort();
        assert.deepEqual(filtered, [...statuses].sort());
        assert.ok([...(invitation?.listViews.values() ?? [])].some((v) => text(v.label) === 'All'));
    });

    for (const [object, model] of objects) {
        for (const [name, view] of model.listViews) {
            it(`${object}.${name} names existing fields and valid picklist values`, () => {
                assert.equal(text(view.fullName), name);
                for (const column of list(view.columns) as unknown as string[]) {
                    assert.ok(fieldExists(objects, object, columnField(column)), `column ${column}`);
                }
                for (const filter of list(view.filters)) {
                    const field = text(filter.field);
                    assert.ok(fieldExists(objects, object, field), `filter field ${field}`);
                    const xml = model.fields.get(field);
                    if (text(xml?.type) === 'Picklist') {
                        const values = list(((xml?.valueSet as Xml).valueSetDefinition as Xml).value).map(
                            (v) => text(v.fullName)
                        );
                        assert.ok(
                            values.includes(single(filter.value)),
                            `${field} value ${single(filter.value)}`
                        );
                    }
                }
            });
        }
    }
});

describe('compact layouts and record pages of the objects', () => {
    for (const [object, model] of objects) {
        if (model.isCustomSetting) continue;
        it(`${object} assigns an existing compact layout whose fields exist`, () => {
            const assigned = text(model.definition.compactLayoutAssignment);
            const layout = model.compactLayouts.get(assigned);
            assert.ok(layout, `compact layout ${assigned} exists`);
            for (const field of list(layout.fields) as unknown as string[]) {
                assert.ok(fieldExists(objects, object, field), `compact layout field ${field}`);
            }
        });

        it(`${object} overrides View only with its own record page`, () => {
            for (const override of list(model.definition.actionOverrides)) {
                if (text(override.type) !== 'Flexipage') continue;
                const page = flexipages.get(text(override.content));
                assert.ok(page, `flexipage ${text(override.content)} exists`);
                assert.equal(text(page.type), 'RecordPage');
                assert.equal(text(page.sobjectType), object);
            }
        });
    }

    it('Review and Invitation open on Review_Record_Page and Invitation_Record_Page', () => {
        for (const [object, page] of [
            ['Review__c', 'Review_Record_Page'],
            ['Invitation__c', 'Invitation_Record_Page']
        ]) {
            const overrides = list(objects.get(object)?.definition.actionOverrides);
            assert.ok(
                overrides.some((o) => text(o.actionName) === 'View' && text(o.content) === page),
                `${object} opens on ${page}`
            );
        }
    });
});

describe('page layouts', () => {
    const layouts = metadataFiles('layout');

    it('every custom object has a page layout', () => {
        const laidOut = new Set(layouts.map((file) => file.replace(/^.*\//, '').split('-')[0]));
        for (const [object, model] of objects) {
            if (!model.isCustomSetting) assert.ok(laidOut.has(object), `${object} has a layout`);
        }
    });

    for (const file of layouts) {
        const object = file.replace(/^.*\//, '').split('-')[0];
        it(`${file.replace(/^.*\//, '')} names existing fields and related lists`, () => {
            const layout = readMetadata(file);
            const fields = list(layout.layoutSections).flatMap((section) =>
                list(section.layoutColumns).flatMap((column) => list(column.layoutItems))
            );
            assert.ok(fields.length > 0, 'the layout shows fields');
            for (const item of fields) {
                assert.ok(fieldExists(objects, object, text(item.field)), `field ${text(item.field)}`);
                assert.ok(['Edit', 'Readonly', 'Required'].includes(text(item.behavior)), 'behavior');
            }
            for (const related of list(layout.relatedLists)) {
                const [child, lookup] = text(related.relatedList).split('.');
                const xml = objects.get(child)?.fields.get(lookup);
                assert.equal(text(xml?.referenceTo), object, `related list ${text(related.relatedList)}`);
                for (const column of list(related.fields) as unknown as string[]) {
                    assert.ok(
                        fieldExists(objects, child, columnField(column)),
                        `related list column ${column}`
                    );
                }
            }
        });
    }
});

describe('Lightning pages, tabs and the app', () => {
    it('the app pages and record pages of the contract exist with the right type', () => {
        const expected: Record<string, string> = {
            Trustpilot_Home: 'AppPage',
            Trustpilot_Invitation_Status: 'AppPage',
            Trustpilot_Settings: 'AppPage',
            Review_Record_Page: 'RecordPage',
            Invitation_Record_Page: 'RecordPage'
        };
        for (const [name, type] of Object.entries(expected)) {
            assert.equal(text(flexipages.get(name)?.type), type, `${name} is an ${type}`);
        }
    });

    for (const [name, page] of flexipages) {
        it(`flexipage ${name} has a template, regions and identified components`, () => {
            assert.ok(text((page.template as Xml | undefined)?.name).length > 0, 'template');
            const regions = list(page.flexiPageRegions);
            assert.ok(regions.length > 0, 'at least one region');
            for (const region of regions) {
                for (const item of list(region.itemInstances)) {
                    const component = item.componentInstance as Xml | undefined;
                    if (component === undefined) continue;
                    assert.ok(
                        text(component.identifier).length > 0,
                        `${text(component.componentName)} identifier`
                    );
                }
            }
        });
    }

    it('tabs point at existing pages and objects', () => {
        for (const [name, tab] of tabs) {
            if (text(tab.flexiPage) !== '') {
                assert.equal(text(flexipages.get(text(tab.flexiPage))?.type), 'AppPage', `${name} page`);
            } else {
                assert.equal(text(tab.customObject), 'true', `${name} is an object tab`);
                assert.ok(objects.has(name), `${name} object exists`);
            }
            assert.ok(text(tab.motif).length > 0, `${name} has a tab style`);
        }
    });

    it('the Trustpilot Lightning app shows Home, Reviews, Invitation Status and Settings in that order', () => {
        const app = components('app').get('Trustpilot');
        assert.ok(app, 'app Trustpilot exists');
        assert.equal(text(app.label), 'Trustpilot');
        assert.equal(text(app.uiType), 'Lightning');
        const order = list(app.tabs) as unknown as string[];
        assert.deepEqual(order, [
            'Trustpilot_Home',
            'Review__c',
            'Trustpilot_Invitation_Status',
            'Trustpilot_Settings'
        ]);
        assert.deepEqual(
            order.map((t) => text(tabs.get(t)?.label) || 'Reviews'),
            ['Home', 'Reviews', 'Invitation Status', 'Settings']
        );
        assert.equal(text(objects.get('Review__c')?.definition.pluralLabel), 'Reviews');
    });
});

describe('credentials', () => {
    const externals = components('externalCredential');
    const named = components('namedCredential');

    it('Trustpilot is an OAuth client-credentials External Credential against the Trustpilot token URL', () => {
        const trustpilot = externals.get('Trustpilot');
        assert.ok(trustpilot, 'External Credential Trustpilot exists');
        assert.equal(text(trustpilot.authenticationProtocol), 'Oauth');
        const params = list(trustpilot.externalCredentialParameters);
        const byType = (type: string): Xml[] => params.filter((p) => text(p.parameterType) === type);
        assert.equal(
            text(byType('AuthProtocolVariant')[0]?.parameterValue),
            'ClientCredentialsClientSecretBasic'
        );
        assert.equal(
            text(byType('AuthProviderUrl')[0]?.parameterValue),
            'https://api.trustpilot.com/v1/oauth/oauth-business-users-for-applications/accesstoken'
        );
        assert.deepEqual(
            byType('NamedPrincipal').map((p) => text(p.parameterName)),
            ['TrustpilotPrincipal']
        );
    });

    it('the apikey header comes from a principal parameter of Trustpilot_ApiKey, never a literal', () => {
        const apiKey = externals.get('Trustpilot_ApiKey');
        assert.ok(apiKey, 'External Credential Trustpilot_ApiKey exists');
        assert.equal(text(apiKey.authenticationProtocol), 'Custom');
        const header = list(apiKey.externalCredentialParameters).find(
            (p) => text(p.parameterType) === 'AuthHeader'
        );
        assert.equal(text(header?.parameterName), 'apikey');
        assert.equal(text(header?.parameterValue), '{!$Credential.Trustpilot_ApiKey.ApiKey}');
    });

    it('Named Credentials are secured endpoints on the Trustpilot hosts, each backed by an External Credential', () => {
        // [URL, External Credential, platform-generated Authorization header, formulas in headers]
        const expected: Record<string, [string, string, string, string]> = {
            Trustpilot_API: ['https://api.trustpilot.com', 'Trustpilot', 'true', 'false'],
            Trustpilot_Invitations_API: [
                'https://invitations-api.trustpilot.com',
                'Trustpilot',
                'true',
                'false'
            ],
            Trustpilot_Public_API: ['https://api.trustpilot.com', 'Trustpilot_ApiKey', 'false', 'true']
        };
        assert.deepEqual([...named.keys()].sort(), Object.keys(expected).sort());
        for (const [name, [url, external, authorization, mergeInHeader]] of Object.entries(expected)) {
            const credential = named.get(name) as Xml;
            const params = list(credential.namedCredentialParameters);
            assert.equal(text(credential.namedCredentialType), 'SecuredEndpoint', `${name} type`);
            assert.equal(text(params.find((p) => text(p.parameterType) === 'Url')?.parameterValue), url);
            const auth = params.find((p) => text(p.parameterType) === 'Authentication');
            assert.equal(text(auth?.externalCredential), external, `${name} External Credential`);
            assert.ok(externals.has(external), `${external} exists`);
            assert.equal(
                text(credential.generateAuthorizationHeader),
                authorization,
                `${name} platform-generated Authorization header`
            );
            assert.equal(text(credential.allowMergeFieldsInBody), 'false', `${name} merge fields in body`);
            assert.equal(
                text(credential.allowMergeFieldsInHeader),
                mergeInHeader,
                `${name} formulas in headers`
            );
        }
    });

    it('the package ships no Remote Site Settings and no legacy credential fields', () => {
        assert.equal(metadataFiles('remoteSite').length, 0);
        for (const [name, credential] of named) {
            for (const legacy of [
                'password',
                'username',
                'oauthToken',
                'endpoint',
                'principalType',
                'protocol'
            ]) {
                assert.equal(credential[legacy], undefined, `${name} has no legacy ${legacy}`);
            }
        }
    });

    it('Apex calls out only through the package Named Credentials', () => {
        const allowed = new Set(named.keys());
        const apex = metadataFiles('cls').map((file) => file.replace(/-meta\.xml$/, ''));
        for (const file of apex) {
            const source = readFileSync(join(ROOT, file), 'utf8');
            assert.equal(
                /setEndpoint\(\s*'https?:/i.test(source),
                false,
                `${file} sets no literal URL endpoint`
            );
            for (const m of source.matchAll(/'callout:([A-Za-z0-9_]+)/g)) {
                assert.ok(allowed.has(m[1]), `${file} calls out through unknown Named Credential ${m[1]}`);
            }
            if (file.startsWith('force-app/main/')) {
                assert.equal(
                    /'https:\/\/(api|invitations-api)\.trustpilot\.com/.test(source),
                    false,
                    `${file} names a Trustpilot API host: it belongs to the Named Credentials`
                );
            }
        }
    });
});

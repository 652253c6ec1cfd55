/**
 * The permission-set access matrix (issue 3, PRODUCT.md "Who uses it"):
 * - Trustpilot App User reads the app's data and replies to reviews; it cannot change invitation rules,
 *   connection settings or Business Generated Link keys.
 * - Trustpilot App Super User manages rules and settings and holds the Trustpilot_Manage_Settings custom
 *   permission that the Apex checks.
 * - Both reach the External Credential principals; neither can read the BGL keys.
 * Also: every object, field, class, tab, app and principal a permission set names exists in the package.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
    components,
    customObjects,
    fieldExists,
    isTrue,
    list,
    metadataFiles,
    readMetadata,
    text,
    type Xml
} from './metadata.ts';

const permissionSets = components('permissionset');
const objects = customObjects();

function permissionSet(name: string): Xml {
    const ps = permissionSets.get(name);
    assert.ok(ps, `permission set ${name} exists`);
    return ps;
}

const USER = permissionSet('Trustpilot_App_User');
const SUPER = permissionSet('Trustpilot_App_Super_User');
const BOTH: [string, Xml][] = [
    ['Trustpilot_App_User', USER],
    ['Trustpilot_App_Super_User', SUPER]
];

function objectAccess(ps: Xml, object: string): Record<string, boolean> {
    const entry = list(ps.objectPermissions).find((o) => text(o.object) === object);
    const flags = [
        'allowCreate',
        'allowRead',
        'allowEdit',
        'allowDelete',
        'viewAllRecords',
        'modifyAllRecords'
    ];
    return Object.fromEntries(flags.map((flag) => [flag, entry !== undefined && isTrue(entry[flag])]));
}

function fieldAccess(ps: Xml, object: string): Map<string, { readable: boolean; editable: boolean }> {
    return new Map(
        list(ps.fieldPermissions)
            .filter((f) => text(f.field).startsWith(`${object}.`))
            .map((f) => [
                text(f.field).slice(object.length + 1),
                { readable: isTrue(f.readable), editable: isTrue(f.editable) }
            ])
    );
}

function enabledNames(ps: Xml, element: string, key: string): Set<string> {
    return new Set(
        list(ps[element])
            .filter((e) => isTrue(e.enabled) || isTrue(e.visible))
            .map((e) => text(e[key]))
    );
}

function visibleTabs(ps: Xml): Set<string> {
    return new Set(
        list(ps.tabSettings)
            .filter((t) => ['Visible', 'Available'].includes(text(t.visibility)))
            .map((t) => text(t.tab))
    );
}

describe('permission set labels', () => {
    it('are exactly "Trustpilot App User" and "Trustpilot App Super User"', () => {
        assert.equal(text(USER.label), 'Trustpilot App User');
        assert.equal(text(SUPER.label), 'Trustpilot App Super User');
    });
});

describe('Trustpilot App User (least privilege)', () => {
    it('cannot create, edit or delete invitation rules, nor edit any rule field', () => {
        const access = objectAccess(USER, 'Invitation_Rule__c');
        assert.equal(access.allowCreate, false);
        assert.equal(access.allowEdit, false);
        assert.equal(access.allowDelete, false);
        for (const [field, fls] of fieldAccess(USER, 'Invitation_Rule__c')) {
            assert.equal(fls.editable, false, `Invitation_Rule__c.${field} must not be editable`);
        }
    });

    it('has no access to the connection settings or the BGL keys custom settings', () => {
        const settings = enabledNames(USER, 'customSettingAccesses', 'name');
        assert.equal(settings.has('Connection_Settings__c'), false);
        assert.equal(settings.has('BGL_Keys__c'), false);
        assert.equal(fieldAccess(USER, 'Connection_Settings__c').size, 0);
    });

    it('does not hold the Trustpilot_Manage_Settings custom permission, the Settings tab or its controller', () => {
        assert.equal(
            enabledNames(USER, 'customPermissions', 'name').has('Trustpilot_Manage_Settings'),
            false
        );
        assert.equal(visibleTabs(USER).has('Trustpilot_Settings'), false);
        assert.equal(enabledNames(USER, 'classAccesses', 'apexClass').has('SettingsController'), false);
    });

    it('edits only what replying to a review and retrying a failed invitation write', () => {
        const editable = list(USER.fieldPermissions)
            .filter((f) => isTrue(f.editable))
            .map((f) => text(f.field))
            .sort();
        assert.deepEqual(editable, [
            'Invitation__c.Attempts__c',
            'Invitation__c.Next_Attempt__c',
            'Invitation__c.Status_Reason__c',
            'Invitation__c.Status__c',
            'Review__c.Conversation_Id__c',
            'Review__c.Reply_Date__c',
            'Review__c.Reply_Status__c',
            'Review__c.Reply_Text__c'
        ]);
        for (const object of objects.keys()) {
            const access = objectAccess(USER, object);
            assert.equal(access.allowCreate, false, `App User must not create ${object}`);
            assert.equal(access.allowDelete, false, `App User must not delete ${object}`);
            if (object !== 'Review__c' && object !== 'Invitation__c') {
                assert.equal(access.allowEdit, false, `App User must not edit ${object}`);
            }
        }
    });

    it('reads reviews, invitations, rules, business units and sync jobs, and every review field', () => {
        for (const object of [
            'Review__c',
            'Invitation__c',
            'Invitation_Rule__c',
            'Business_Unit__c',
            'Sync_Job__c'
        ]) {
            assert.equal(objectAccess(USER, object).allowRead, true, `App User reads ${object}`);
        }
        const review = fieldAccess(USER, 'Review__c');
        for (const field of objects.get('Review__c')?.fields.keys() ?? []) {
            assert.equal(review.get(field)?.readable, true, `App User reads Review__c.${field}`);
        }
    });

    it('runs the controllers of Home, the reply box, Invitation Status and the record panel', () => {
        const classes = enabledNames(USER, 'classAccesses', 'apexClass');
        for (const controller of [
            'HomeController',
            'ReviewReplyController',
            'InvitationStatusController',
            'RecordPanelController'
        ]) {
            assert.ok(classes.has(controller), `App User runs ${controller}`);
        }
    });

    it('sees Home, Reviews and Invitation Status', () => {
        for (const tab of ['Trustpilot_Home', 'Review__c', 'Trustpilot_Invitation_Status']) {
            assert.ok(visibleTabs(USER).has(tab), `tab ${tab} visible`);
        }
    });
});

describe('Trustpilot App Super User', () => {
    it('manages invitation rules: create, read, edit, delete and every rule field editable', () => {
        const access = objectAccess(SUPER, 'Invitation_Rule__c');
        assert.deepEqual(
            [access.allowCreate, access.allowRead, access.allowEdit, access.allowDelete],
            [true, true, true, true]
        );
        const fls = fieldAccess(SUPER, 'Invitation_Rule__c');
        for (const field of objects.get('Invitation_Rule__c')?.fields.keys() ?? []) {
            assert.equal(fls.get(field)?.editable, true, `Invitation_Rule__c.${field} editable`);
        }
    });

    it('reaches the connection settings and holds Trustpilot_Manage_Settings and the Settings tab', () => {
        assert.ok(enabledNames(SUPER, 'customSettingAccesses', 'name').has('Connection_Settings__c'));
        assert.ok(enabledNames(SUPER, 'customPermissions', 'name').has('Trustpilot_Manage_Settings'));
        assert.ok(visibleTabs(SUPER).has('Trustpilot_Settings'));
        assert.ok(enabledNames(SUPER, 'classAccesses', 'apexClass').has('SettingsController'));
    });

    it('keeps every App User grant', () => {
        for (const object of objects.keys()) {
            const user = objectAccess(USER, object);
            const superUser = objectAccess(SUPER, object);
            for (const [flag, granted] of Object.entries(user)) {
                if (granted) assert.equal(superUser[flag], true, `Super User keeps ${flag} on ${object}`);
            }
        }
        const superFields = new Map(list(SUPER.fieldPermissions).map((f) => [text(f.field), f]));
        for (const f of list(USER.fieldPermissions)) {
            const mine = superFields.get(text(f.field));
            assert.ok(
                mine && (!isTrue(f.readable) || isTrue(mine.readable)),
                `Super User reads ${text(f.field)}`
            );
            assert.ok(
                mine && (!isTrue(f.editable) || isTrue(mine.editable)),
                `Super User edits ${text(f.field)}`
            );
        }
        for (const tab of visibleTabs(USER)) assert.ok(visibleTabs(SUPER).has(tab), `Super User sees ${tab}`);
        for (const cls of enabledNames(USER, 'classAccesses', 'apexClass')) {
            assert.ok(enabledNames(SUPER, 'classAccesses', 'apexClass').has(cls), `Super User runs ${cls}`);
        }
    });
});

describe('both permission sets', () => {
    const principals = new Set(
        metadataFiles('externalCredential').flatMap((file) => {
            const credential = file.replace(/^.*\//, '').replace('.externalCredential-meta.xml', '');
            return list(readMetadata(file).externalCredentialParameters)
                .filter((p) => text(p.parameterType) === 'NamedPrincipal')
                .map((p) => `${credential}-${text(p.parameterName)}`);
        })
    );

    it('the package defines the Trustpilot principals', () => {
        assert.ok(principals.has('Trustpilot-TrustpilotPrincipal'));
        assert.ok(principals.has('Trustpilot_ApiKey-TrustpilotApiKeyPrincipal'));
    });

    for (const [name, ps] of BOTH) {
        it(`${name} reaches every External Credential principal of the package`, () => {
            assert.deepEqual(
                [
                    ...enabledNames(ps, 'externalCredentialPrincipalAccesses', 'externalCredentialPrincipal')
                ].sort(),
                [...principals].sort()
            );
        });

        it(`${name} cannot read the Business Generated Link keys`, () => {
            assert.equal(fieldAccess(ps, 'BGL_Keys__c').size, 0, 'no field permission on BGL_Keys__c');
            assert.equal(enabledNames(ps, 'customSettingAccesses', 'name').has('BGL_Keys__c'), false);
            assert.equal(
                list(ps.objectPermissions).some((o) => text(o.object) === 'BGL_Keys__c'),
                false
            );
            const bypass = [
                'ViewAllData',
                'ModifyAllData',
                'ViewAllCustomSettings',
                'ModifyAllCustomSettings'
            ];
            const granted = enabledNames(ps, 'userPermissions', 'name');
            for (const permission of bypass) {
                assert.equal(granted.has(permission), false, `${permission} would expose protected data`);
            }
        });

        it(`${name} never grants View All or Modify All`, () => {
            for (const o of list(ps.objectPermissions)) {
                assert.equal(isTrue(o.viewAllRecords), false, `viewAllRecords on ${text(o.object)}`);
                assert.equal(isTrue(o.modifyAllRecords), false, `modifyAllRecords on ${text(o.object)}`);
            }
        });

        it(`${name} makes the Trustpilot app visible`, () => {
            assert.ok(enabledNames(ps, 'applicationVisibilities', 'application').has('Trustpilot'));
        });

        it(`${name} names only objects, fields, classes, tabs, apps and permissions that exist`, () => {
            const classes = new Set(
                metadataFiles('cls').map((file) => file.replace(/^.*\//, '').replace('.cls-meta.xml', ''))
            );
            const tabs = components('tab');
            const apps = components('app');
            const customPermissions = components('customPermission');
            for (const o of list(ps.objectPermissions)) {
                assert.ok(objects.has(text(o.object)), `object ${text(o.object)} exists`);
                assert.ok(
                    !objects.get(text(o.object))?.isCustomSetting,
                    `${text(o.object)} is not a custom setting`
                );
            }
            for (const f of list(ps.fieldPermissions)) {
                const [object, field] = text(f.field).split('.');
                assert.ok(fieldExists(objects, object, field), `field ${text(f.field)} exists`);
                const required = objects.get(object)?.fields.get(field)?.required;
                assert.equal(isTrue(required), false, `${text(f.field)} is required: no FLS allowed`);
                assert.ok(
                    !isTrue(f.editable) || isTrue(f.readable),
                    `${text(f.field)} editable implies readable`
                );
            }
            for (const c of list(ps.classAccesses)) {
                assert.ok(classes.has(text(c.apexClass)), `class ${text(c.apexClass)} exists`);
            }
            for (const t of list(ps.tabSettings))
                assert.ok(tabs.has(text(t.tab)), `tab ${text(t.tab)} exists`);
            for (const a of list(ps.applicationVisibilities)) {
                assert.ok(apps.has(text(a.application)), `app ${text(a.application)} exists`);
            }
            for (const p of list(ps.customPermissions)) {
                assert.ok(customPermissions.has(text(p.name)), `custom permission ${text(p.name)} exists`);
            }
            for (const s of list(ps.customSettingAccesses)) {
                assert.ok(
                    objects.get(text(s.name))?.isCustomSetting,
                    `custom setting ${text(s.name)} exists`
                );
            }
            for (const p of list(ps.externalCredentialPrincipalAccesses)) {
                assert.ok(principals.has(text(p.externalCredentialPrincipal)), 'principal exists');
            }
        });
    }
});

describe('Trustpilot_Bypass_Triggers', () => {
    it('is granted by no permission set of the package', () => {
        for (const [name, ps] of permissionSets) {
            assert.equal(
                enabledNames(ps, 'customPermissions', 'name').has('Trustpilot_Bypass_Triggers'),
                false,
                name
            );
        }
    });
});

describe('Trustpilot_Manage_Settings', () => {
    it('is granted by the Super User permission set only', () => {
        const holders = [...permissionSets]
            .filter(([, ps]) =>
                enabledNames(ps, 'customPermissions', 'name').has('Trustpilot_Manage_Settings')
            )
            .map(([name]) => name);
        assert.deepEqual(holders, ['Trustpilot_App_Super_User']);
    });
});

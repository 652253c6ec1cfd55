/**
 * Custom objects and custom settings against the names contract (docs/data-model.md) and the package's
 * field conventions:
 * - every object and field the contract names exists with the contract's type, length, precision and
 *   picklist values, and the package has no field the contract does not name;
 * - both custom settings are hierarchy settings with visibility Protected (only the managed package's code
 *   can read them in a subscriber org) and declare nothing a custom setting rejects (field types are
 *   checked by scripts/gates/metadata.ts);
 * - every custom field carries a label, a description and help text; picklists are restricted; unique
 *   external ids are external ids; lookups name their relationship and clear on delete (SetNull).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../lib/files.ts';
import { STANDARD_OBJECTS, customObjects, isTrue, list, text, type Xml } from './metadata.ts';

const objects = customObjects();

interface ContractField {
    object: string;
    field: string;
    spec: string;
}

const FIELD = /`([A-Z][A-Za-z0-9_]*__c)`/g;

/** Fields of each object as docs/data-model.md declares them, with the type text that follows each. */
function contractFields(): ContractField[] {
    const doc = readFileSync(join(ROOT, 'docs/data-model.md'), 'utf8');
    const out: ContractField[] = [];
    const addClauses = (object: string, body: string): void => {
        for (const clause of body.split(/;|\.\s/)) {
            const matches = [...clause.matchAll(FIELD)].filter((m) => m[1] !== object);
            const last = matches.at(-1);
            if (last === undefined) continue;
            const spec = clause.slice((last.index ?? 0) + last[0].length).trim();
            for (const m of matches) out.push({ object, field: m[1], spec });
        }
    };
    const sections = doc.split(/^### /m).slice(1);
    for (const section of sections) {
        const object = /^`([A-Za-z0-9_]+__c)`/.exec(section)?.[1];
        if (object === undefined) continue;
        const body = section.split(/^## /m)[0];
        const rows = body.split('\n').filter((line) => line.startsWith('| `'));
        if (rows.length > 0) {
            for (const row of rows) {
                const [, first, spec] = row.split('|');
                for (const m of first.matchAll(FIELD)) out.push({ object, field: m[1], spec: spec.trim() });
            }
        } else {
            addClauses(object, body.split('\n').slice(1).join(' '));
        }
    }
    const settings = doc.split(/^## Custom settings.*$/m)[1]?.split(/^## /m)[0] ?? '';
    for (const bullet of settings.split(/^- /m).slice(1)) {
        const object = /^`([A-Za-z0-9_]+__c)`:/.exec(bullet)?.[1];
        if (object !== undefined) addClauses(object, bullet.replace(/\s+/g, ' ').replace(/^`[^`]+`:/, ''));
    }
    return out;
}

const CONTRACT = contractFields();

/** What a contract type text such as `Text(64), External ID, Unique` requires of the field XML. */
function expectedShape(spec: string): Record<string, string> {
    const checks: [RegExp, (m: RegExpExecArray) => Record<string, string>][] = [
        [/^Long Text Area\((\d+)\)/, (m) => ({ type: 'LongTextArea', length: m[1] })],
        [/^Text\((\d+)\)/, (m) => ({ type: 'Text', length: m[1] })],
        [/^Number\((\d+),\s*(\d+)\)/, (m) => ({ type: 'Number', precision: m[1], scale: m[2] })],
        [/^Picklist/, () => ({ type: 'Picklist' })],
        [/^Email/, () => ({ type: 'Email' })],
        [/^URL/, () => ({ type: 'Url' })],
        [/^Date\/Time/, () => ({ type: 'DateTime' })],
        [/^Date\b/, () => ({ type: 'Date' })],
        [/^Checkbox/, () => ({ type: 'Checkbox' })],
        [/^Lookups?/, () => ({ type: 'Lookup' })]
    ];
    for (const [pattern, shape] of checks) {
        const m = pattern.exec(spec);
        if (m) {
            const out = shape(m);
            const lookup = /^Lookup\(([A-Za-z0-9_]+)\)/.exec(spec);
            if (lookup) out.referenceTo = lookup[1];
            if (/External ID/.test(spec)) out.externalId = 'true';
            if (/Unique/.test(spec)) out.unique = 'true';
            return out;
        }
    }
    throw new Error(`docs/data-model.md: unknown type text "${spec}"`);
}

function picklistValues(field: Xml): string[] {
    const definition = ((field.valueSet as Xml | undefined)?.valueSetDefinition ?? {}) as Xml;
    return list(definition.value).map((v) => text(v.fullName));
}

describe('docs/data-model.md contract', () => {
    it('names every custom object and custom setting of the package', () => {
        const named = new Set(CONTRACT.map((c) => c.object));
        assert.deepEqual([...objects.keys()].sort(), [...named].sort());
    });

    for (const [name, model] of objects) {
        it(`${name} has exactly the contract's fields`, () => {
            const contract = CONTRACT.filter((c) => c.object === name)
                .map((c) => c.field)
                .sort();
            assert.deepEqual([...model.fields.keys()].sort(), contract);
        });
    }

    for (const { object, field, spec } of CONTRACT) {
        it(`${object}.${field} is ${spec.split(/\s*\|/)[0]}`, () => {
            const xml = objects.get(object)?.fields.get(field);
            assert.ok(xml, `${object}.${field} exists`);
            for (const [key, value] of Object.entries(expectedShape(spec))) {
                assert.equal(text(xml[key]), value, `${object}.${field} ${key}`);
            }
            if (/^Picklist/.test(spec)) {
                const listed = [...spec.split(/default/)[0].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
                assert.deepEqual(picklistValues(xml), listed, `${object}.${field} picklist values`);
            }
            const defaultValue = /default `?([^`\s|;,]+)`?/.exec(spec)?.[1];
            if (defaultValue !== undefined && !/^Picklist/.test(spec)) {
                assert.equal(
                    text(xml.defaultValue).replace(/"/g, ''),
                    defaultValue,
                    `${object}.${field} default`
                );
            }
        });
    }
});

describe('custom settings', () => {
    for (const name of ['Connection_Settings__c', 'BGL_Keys__c']) {
        it(`${name} is a Protected hierarchy custom setting`, () => {
            const model = objects.get(name);
            assert.ok(model, `${name} exists`);
            assert.equal(text(model.definition.customSettingsType), 'Hierarchy');
            assert.equal(text(model.definition.visibility), 'Protected');
        });

        it(`${name} declares nothing a custom setting rejects`, () => {
            const model = objects.get(name);
            for (const element of [
                'pluralLabel',
                'nameField',
                'sharingModel',
                'deploymentStatus',
                'enableReports'
            ]) {
                assert.equal(
                    model?.definition[element],
                    undefined,
                    `${element} is not allowed on custom settings`
                );
            }
        });
    }
});

describe('custom fields', () => {
    for (const [object, model] of objects) {
        for (const [field, xml] of model.fields) {
            it(`${object}.${field} has label, description and help text and follows the conventions`, () => {
                for (const element of ['label', 'description', 'inlineHelpText']) {
                    assert.ok(text(xml[element]).trim().length > 0, `${element} is set`);
                }
                assert.ok(text(xml.label).length <= 40, 'label fits 40 characters');
                assert.ok(text(xml.inlineHelpText).length <= 510, 'help text fits 510 characters');
                assert.equal(text(xml.fullName), field, 'fullName matches the file name');
                assert.equal(isTrue(xml.required), false, 'no field is universally required');
                if (text(xml.type) === 'Picklist') {
                    assert.equal(text((xml.valueSet as Xml).restricted), 'true', 'picklist is restricted');
                }
                if (isTrue(xml.unique)) assert.ok(isTrue(xml.externalId), 'unique fields are external ids');
                if (text(xml.type) === 'Lookup') {
                    const target = text(xml.referenceTo);
                    assert.ok(objects.has(target) || STANDARD_OBJECTS.has(target), `lookup target ${target}`);
                    assert.ok(text(xml.relationshipName).length > 0, 'relationshipName is set');
                    assert.ok(text(xml.relationshipLabel).length > 0, 'relationshipLabel is set');
                    assert.equal(text(xml.deleteConstraint), 'SetNull', 'lookup clears on delete');
                }
                if (text(xml.type) === 'LongTextArea') {
                    assert.ok(Number(text(xml.visibleLines)) > 0, 'long text areas set visibleLines');
                }
            });
        }
    }

    it('child relationship names are unique per parent object', () => {
        const seen = new Map<string, string>();
        for (const [object, model] of objects) {
            for (const [field, xml] of model.fields) {
                if (text(xml.type) !== 'Lookup') continue;
                const key = `${text(xml.referenceTo)}.${text(xml.relationshipName)}`;
                assert.equal(seen.get(key), undefined, `${object}.${field} reuses ${key}`);
                seen.set(key, `${object}.${field}`);
            }
        }
    });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldDef } from '../apex/data/schema.ts';
import { ApexDate, ApexDatetime, ApexId, Decimal } from '../apex/runtime/values.ts';
import { demoSeedApex, DEMO_CONTACTS } from './demo-seed.ts';
import { readLabels, readPages } from './metadata.ts';
import { apexLiteral } from './runtime-org.ts';
import { combineFilters, filterCondition, isLocalHost, soqlString } from './server.ts';
import { decodeValue, encodeValue } from './state-codec.ts';

const field = (name: string, type: FieldDef['type']): FieldDef =>
    ({
        name,
        label: name,
        type,
        custom: true,
        required: false,
        nillable: true,
        externalId: false,
        unique: false,
        caseSensitive: false,
        createable: true,
        updateable: true,
        calculated: false
    }) as FieldDef;

describe('list view filters become SOQL', () => {
    it('quotes strings with SOQL escapes and leaves date literals bare', () => {
        assert.equal(soqlString("O'Brien \\ x"), "'O\\'Brien \\\\ x'");
        assert.equal(
            filterCondition(
                { field: 'Type__c', operation: 'equals', value: 'Product' },
                field('Type__c', 'picklist')
            ),
            "Type__c = 'Product'"
        );
        assert.equal(
            filterCondition(
                { field: 'Review_Created_At__c', operation: 'equals', value: 'LAST_N_DAYS:30' },
                field('Review_Created_At__c', 'datetime')
            ),
            'Review_Created_At__c = LAST_N_DAYS:30'
        );
        assert.equal(
            filterCondition(
                { field: 'Stars__c', operation: 'lessOrEqual', value: '2' },
                field('Stars__c', 'double')
            ),
            'Stars__c <= 2'
        );
        assert.equal(
            filterCondition({ field: 'S__c', operation: 'equals', value: 'A,B' }, field('S__c', 'picklist')),
            "S__c IN ('A', 'B')"
        );
        assert.equal(
            filterCondition({ field: 'V__c', operation: 'equals', value: '1' }, field('V__c', 'boolean')),
            'V__c = true'
        );
    });
    it('refuses values that would inject SOQL into dates or numbers', () => {
        assert.throws(
            () =>
                filterCondition(
                    { field: 'D__c', operation: 'equals', value: 'TODAY OR Id != null' },
                    field('D__c', 'date')
                ),
            /not a date literal/
        );
        assert.throws(
            () =>
                filterCondition(
                    { field: 'N__c', operation: 'equals', value: '1 OR Id != null' },
                    field('N__c', 'double')
                ),
            /not a number/
        );
        assert.throws(
            () =>
                filterCondition({ field: 'N__c', operation: 'within', value: '1' }, field('N__c', 'double')),
            /not supported/
        );
    });
    it('applies booleanFilter to numbered conditions', () => {
        assert.equal(
            combineFilters(['A = 1', 'B = 2', 'C = 3'], '1 AND (2 OR 3)'),
            '(A = 1) AND ((B = 2) OR (C = 3))'
        );
        assert.equal(combineFilters(['A = 1', 'B = 2'], null), 'A = 1 AND B = 2');
        assert.throws(() => combineFilters(['A = 1'], '1 AND 2'), /filter 2/);
    });
});

describe('preview server', () => {
    it('answers only to local host names', () => {
        for (const host of ['127.0.0.1:4717', 'localhost:4717', '[::1]:4717', 'LOCALHOST'])
            assert.ok(isLocalHost(host), host);
        for (const host of ['evil.example:4717', '127.0.0.1.evil.example', undefined, ''])
            assert.ok(!isLocalHost(host), String(host));
    });
});

describe('anonymous Apex literals for DML', () => {
    it('types values by field and escapes strings', () => {
        assert.equal(
            apexLiteral(field('StageName', 'picklist'), "Closed Won'; delete x;"),
            "'Closed Won\\'; delete x;'"
        );
        assert.equal(apexLiteral(field('Amount', 'currency'), '12.5'), '12.5');
        assert.equal(apexLiteral(field('IsX', 'boolean'), true), 'true');
        assert.equal(apexLiteral(field('CloseDate', 'date'), '2026-01-31'), "Date.valueOf('2026-01-31')");
        assert.equal(
            apexLiteral(field('At', 'datetime'), '2026-01-31T10:00:00Z'),
            `Datetime.newInstance(${Date.UTC(2026, 0, 31, 10)}L)`
        );
        assert.equal(apexLiteral(field('X', 'string'), null), 'null');
        assert.throws(() => apexLiteral(field('Amount', 'currency'), '1); delete x; (1'), /not a number/);
        assert.throws(() => apexLiteral(field('CloseDate', 'date'), "2026-01-31'); x('"), /not a date/);
    });
});

describe('state codec', () => {
    it('round-trips the runtime value types', () => {
        const id = ApexId.tryParse('0010X000000000AQAQ');
        assert.ok(id);
        const values: unknown[] = [
            null,
            true,
            42,
            'text',
            12n,
            id,
            new ApexDatetime(1_700_000_000_000),
            new ApexDate(2026, 2, 28),
            Decimal.parse('-12.340')
        ];
        for (const v of values) {
            const back = decodeValue(JSON.parse(JSON.stringify(encodeValue(v))) as never);
            assert.deepEqual(back, v, `round trip of ${String(v)}`);
        }
        assert.throws(() => encodeValue({ some: 'object' }), /cannot persist/);
    });
});

describe('metadata and demo data', () => {
    it('reads the app, its tabs and the flexipages of the package', () => {
        const pages = readPages(new Set());
        assert.equal(pages.appLabel, 'Trustpilot');
        assert.deepEqual(
            pages.tabs.map((t) => t.name),
            ['Trustpilot_Home', 'Review__c', 'Trustpilot_Invitation_Status', 'Trustpilot_Settings']
        );
        const reviews = pages.tabs.find((t) => t.kind === 'object');
        assert.ok(reviews?.listViews?.some((v) => v.name === 'All'));
        assert.ok(pages.recordPages.Review__c, 'the Review record page is known');
        assert.ok(readLabels().size > 0, 'the package has custom labels');
    });
    it('seeds contacts with one opted out and one without an email, and orders as Draft', () => {
        assert.equal(DEMO_CONTACTS.filter((c) => c.optOut).length, 1);
        assert.equal(DEMO_CONTACTS.filter((c) => c.email === null).length, 1);
        const apex = demoSeedApex();
        assert.match(apex, /new Order\(AccountId[^\n]*Status = 'Draft'/);
        assert.doesNotMatch(apex, /Status = 'Activated'/);
        assert.match(apex, /StockKeepingUnit = 'NW-TENT-2P'/);
    });
});

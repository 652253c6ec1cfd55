/**
 * Data layer tests: ids, schema, SOQL and DML against the project's schema. Each case names the
 * documented rule it checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApexDate, ApexId, ApexList, Decimal } from '../runtime/values.js';
import { to18, isValidId } from './ids.js';
import { DataOrg } from './org.js';
import { loadProjectSchema } from './schema.js';
import * as schemaModule from './schema.js';
import { fileURLToPath } from 'node:url';
import { SObjectRecord } from './record.js';
import type { ApexSignal } from './errors.js';

const schema = loadProjectSchema();
function org(): DataOrg {
    const o = new DataOrg(schema);
    o.now = () => Date.UTC(2026, 10, 27, 12, 0, 0);
    return o;
}
function rec(o: DataOrg, type: string, fields: Record<string, unknown>): SObjectRecord {
    const r = o.newRecord(type);
    for (const [k, v] of Object.entries(fields)) r.put(k, v);
    return r;
}
function rows(o: DataOrg, soql: string, binds: unknown[] = []): SObjectRecord[] {
    const res = o.query(soql, (b) => binds[b.index]);
    assert.equal(res.kind, 'rows');
    return res.kind === 'rows' ? res.records : [];
}
function throwsApex(fn: () => unknown, type: string, message: RegExp): void {
    assert.throws(fn, (e: unknown) => {
        const s = e as ApexSignal;
        assert.equal(s.apexType, type, s.message);
        assert.match(s.message, message);
        return true;
    });
}

test('18-character id: checksum of the documented example 001A0000006Vm9r -> 001A0000006Vm9rIAC', () => {
    assert.equal(to18('001A0000006Vm9r'), '001A0000006Vm9rIAC');
    assert.ok(isValidId('001A0000006Vm9rIAC'));
    assert.ok(!isValidId('001A0000006Vm9rXXX'));
});

test('schema: custom objects with key prefixes, fields and child relationships from force-app', () => {
    const inv = schema.require('Invitation__c');
    assert.match(inv.keyPrefix, /^a[0-9A-Za-z]{2}$/);
    assert.equal(inv.fields.get('status__c')?.restrictedPicklist, true);
    assert.equal(schema.require('Account').keyPrefix, '001');
    assert.ok(schema.require('Account').childRelationships.has('contacts'));
});

test('insert assigns 18-character ids with the object key prefix and applies defaults', () => {
    const o = org();
    const a = rec(o, 'Account', { Name: 'Acme' });
    o.dml('insert', [a]);
    assert.ok(a.id instanceof ApexId);
    assert.equal(a.id!.v.length, 18);
    assert.equal(a.id!.prefix, '001');
    const [r] = rows(o, "SELECT Id, Name FROM Account WHERE Name = 'acme'");
    assert.equal(r.get('Name'), 'Acme');
});

test('REQUIRED_FIELD_MISSING with the documented DmlException message shape', () => {
    const o = org();
    throwsApex(
        () => o.dml('insert', [o.newRecord('Contact')]),
        'DmlException',
        /^Insert failed\. First exception on row 0; first error: REQUIRED_FIELD_MISSING, Required fields are missing: \[LastName\]: \[LastName\]$/
    );
});

test('allOrNone=false: partial success with per-row errors', () => {
    const o = org();
    const res = o.dml('insert', [rec(o, 'Account', { Name: 'ok' }), o.newRecord('Account')], {
        allOrNone: false
    });
    assert.equal(res[0].success, true);
    assert.equal(res[1].success, false);
    assert.equal(res[1].errors[0].statusCode, 'REQUIRED_FIELD_MISSING');
    assert.equal(rows(o, 'SELECT Id FROM Account').length, 1);
});

test('SObjectException on a field that was not queried', () => {
    const o = org();
    o.dml('insert', [rec(o, 'Account', { Name: 'Acme' })]);
    const [r] = rows(o, 'SELECT Id FROM Account');
    throwsApex(
        () => r.get('Name'),
        'SObjectException',
        /SObject row was retrieved via SOQL without querying the requested field: Account.Name/
    );
});

test('parent paths, child subqueries, ORDER BY NULLS, LIMIT/OFFSET, binds', () => {
    const o = org();
    const a = rec(o, 'Account', { Name: 'Acme' });
    o.dml('insert', [a]);
    o.dml('insert', [
        rec(o, 'Contact', { LastName: 'B', AccountId: a.id }),
        rec(o, 'Contact', { LastName: 'A', AccountId: a.id }),
        rec(o, 'Contact', { LastName: 'C' })
    ]);
    const cs = rows(
        o,
        'SELECT LastName, Account.Name FROM Contact ORDER BY Account.Name NULLS LAST, LastName DESC'
    );
    assert.deepEqual(
        cs.map((c) => c.get('LastName')),
        ['B', 'A', 'C']
    );
    assert.equal((cs[0].get('Account') as SObjectRecord).get('Name'), 'Acme');
    assert.equal(cs[2].get('Account'), null);
    const [acc] = rows(
        o,
        'SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Id = :id',
        [a.id]
    );
    assert.deepEqual(
        (acc.get('Contacts') as ApexList).items.map((c) => (c as SObjectRecord).get('LastName')),
        ['A', 'B']
    );
    assert.equal(rows(o, 'SELECT Id FROM Contact ORDER BY LastName LIMIT 1 OFFSET 1').length, 1);
    throwsApex(() => rows(o, 'SELECT Id FROM Contact LIMIT 1 OFFSET 2001'), 'QueryException', /offset/i);
});

test('COUNT() and aggregates with GROUP BY', () => {
    const o = org();
    const rs = [1, 2, 3].map((n) =>
        rec(o, 'Review__c', { Name: `r${n}`, Stars__c: n, Type__c: n === 1 ? 'Product' : 'Service' })
    );
    o.dml('insert', rs);
    const c = o.query('SELECT COUNT() FROM Review__c WHERE Stars__c >= 2', () => null);
    assert.deepEqual(c, { kind: 'count', count: 2 });
    const agg = rows(
        o,
        'SELECT Type__c, COUNT(Id) n, AVG(Stars__c) FROM Review__c GROUP BY Type__c ORDER BY Type__c'
    );
    assert.equal(agg[0].get('Type__c'), 'Product');
    assert.equal(agg[1].get('n'), 2);
    assert.equal((agg[1].get('expr0') as Decimal).toNumber(), 2.5);
});

test('restricted picklist, length and unique external id', () => {
    const o = org();
    throwsApex(
        () => o.dml('insert', [rec(o, 'Review__c', { Name: 'x', Type__c: 'Nope' })]),
        'DmlException',
        /INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST/
    );
    throwsApex(
        () => o.dml('insert', [rec(o, 'Review__c', { Name: 'x', Language__c: 'x'.repeat(21) })]),
        'DmlException',
        /STRING_TOO_LONG/
    );
    o.dml('insert', [rec(o, 'Review__c', { Name: 'x', Trustpilot_Id__c: 'abc' })]);
    throwsApex(
        () => o.dml('insert', [rec(o, 'Review__c', { Name: 'y', Trustpilot_Id__c: 'ABC' })]),
        'DmlException',
        /DUPLICATE_VALUE/
    );
});

test('upsert on an external id updates the match and inserts the rest', () => {
    const o = org();
    o.dml('insert', [rec(o, 'Review__c', { Name: 'old', Trustpilot_Id__c: 't1' })]);
    const res = o.dml(
        'upsert',
        [
            rec(o, 'Review__c', { Name: 'new', Trustpilot_Id__c: 't1' }),
            rec(o, 'Review__c', { Name: 'n2', Trustpilot_Id__c: 't2' })
        ],
        { externalIdField: 'Trustpilot_Id__c' }
    );
    assert.deepEqual(
        res.map((r) => r.created),
        [false, true]
    );
    assert.deepEqual(
        rows(o, 'SELECT Name FROM Review__c ORDER BY Name').map((r) => r.get('Name')),
        ['n2', 'new']
    );
});

test('savepoint rollback undoes inserts, updates and deletes', () => {
    const o = org();
    const a = rec(o, 'Account', { Name: 'keep' });
    o.dml('insert', [a]);
    const sp = o.db.setSavepoint();
    o.dml('insert', [rec(o, 'Account', { Name: 'gone' })]);
    const upd = o.newRecord('Account');
    upd.put('Id', a.id);
    upd.put('Name', 'changed');
    o.dml('update', [upd]);
    o.db.rollback(sp);
    assert.deepEqual(
        rows(o, 'SELECT Name FROM Account').map((r) => r.get('Name')),
        ['keep']
    );
});

test('Opportunity IsClosed / IsWon follow the stage', () => {
    const o = org();
    const opp = rec(o, 'Opportunity', {
        Name: 'o',
        StageName: 'Closed Won',
        CloseDate: new ApexDate(2026, 1, 1)
    });
    o.dml('insert', [opp]);
    const [r] = rows(o, 'SELECT IsClosed, IsWon FROM Opportunity');
    assert.equal(r.get('IsClosed'), true);
    assert.equal(r.get('IsWon'), true);
});

test('MIXED_DML_OPERATION after a non-setup insert', () => {
    const o = org();
    o.dml('insert', [rec(o, 'Account', { Name: 'a' })]);
    const psa = rec(o, 'PermissionSetAssignment', {
        AssigneeId: o.adminUserId,
        PermissionSetId: [...o.permissionSetIds.values()][0]
    });
    throwsApex(() => o.dml('insert', [psa]), 'DmlException', /MIXED_DML_OPERATION/);
});

test('Order: created only as Draft, activated only with products; price book entries need a standard price', () => {
    const o = org();
    const a = rec(o, 'Account', { Name: 'a' });
    o.dml('insert', [a]);
    throwsApex(
        () =>
            o.dml('insert', [
                rec(o, 'Order', {
                    AccountId: a.id,
                    EffectiveDate: new ApexDate(2026, 1, 1),
                    Status: 'Activated'
                })
            ]),
        'DmlException',
        /Draft/
    );
    const prod = rec(o, 'Product2', { Name: 'p' });
    o.dml('insert', [prod]);
    const custom = rec(o, 'Pricebook2', { Name: 'custom', IsActive: true });
    o.dml('insert', [custom]);
    throwsApex(
        () =>
            o.dml('insert', [
                rec(o, 'PricebookEntry', { Pricebook2Id: custom.id, Product2Id: prod.id, UnitPrice: 5 })
            ]),
        'DmlException',
        /STANDARD_PRICE_NOT_DEFINED/
    );
    const std = rec(o, 'PricebookEntry', {
        Pricebook2Id: o.standardPricebookId,
        Product2Id: prod.id,
        UnitPrice: 5,
        IsActive: true
    });
    o.dml('insert', [std]);
    const ord = rec(o, 'Order', {
        AccountId: a.id,
        EffectiveDate: new ApexDate(2026, 1, 1),
        Status: 'Draft',
        Pricebook2Id: o.standardPricebookId
    });
    o.dml('insert', [ord]);
    const act = o.newRecord('Order');
    act.put('Id', ord.id);
    act.put('Status', 'Activated');
    throwsApex(() => o.dml('update', [act]), 'DmlException', /no order products/);
    o.dml('insert', [
        rec(o, 'OrderItem', { OrderId: ord.id, PricebookEntryId: std.id, Quantity: 2, UnitPrice: 5 })
    ]);
    o.dml('update', [act]);
    const [r] = rows(o, 'SELECT Status, TotalAmount FROM Order');
    assert.equal(r.get('Status'), 'Activated');
    assert.equal((r.get('TotalAmount') as Decimal).toNumber(), 10);
});

test('date literals: LAST_N_DAYS includes today; TODAY', () => {
    const o = org();
    const j = rec(o, 'Sync_Job__c', {});
    o.dml('insert', [j]);
    assert.equal(rows(o, 'SELECT Id FROM Sync_Job__c WHERE CreatedDate = TODAY').length, 1);
    assert.equal(rows(o, 'SELECT Id FROM Sync_Job__c WHERE CreatedDate = LAST_N_DAYS:3').length, 1);
    assert.equal(rows(o, 'SELECT Id FROM Sync_Job__c WHERE CreatedDate < LAST_N_DAYS:3').length, 0);
});

test('triggers: before insert sees defaults, after insert records are read-only', () => {
    const o = org();
    const seen: string[] = [];
    o.triggerRunner = (def, event, call) => {
        if (def.name !== 'Invitation__c') return;
        seen.push(event);
        if (event === 'before insert') {
            assert.equal(call.newList![0].get('Status__c'), 'Pending');
            call.newList![0].put('Status_Reason__c', 'set in before');
        } else {
            assert.throws(() => call.newList![0].put('Status_Reason__c', 'x'), /read-only/);
        }
    };
    o.dml('insert', [rec(o, 'Invitation__c', { Source_Object__c: 'Order' })]);
    assert.deepEqual(seen, ['before insert', 'after insert']);
    assert.equal(
        rows(o, 'SELECT Status_Reason__c FROM Invitation__c')[0].get('Status_Reason__c'),
        'set in before'
    );
});

test('custom metadata records from customMetadata/*.md-meta.xml are queryable with SOQL', () => {
    const { Schema } = schemaModule;
    const s = new Schema({ packageDir: fileURLToPath(new URL('__fixtures__/mdt', import.meta.url)) });
    const o = new DataOrg(s);
    const res = o.query(
        "SELECT DeveloperName, MasterLabel, Limit__c FROM Feature__mdt WHERE DeveloperName = 'Fast_Sync'",
        () => null
    );
    assert.equal(res.kind, 'rows');
    const [r] = res.kind === 'rows' ? res.records : [];
    assert.equal(r.get('MasterLabel'), 'Fast Sync');
    assert.equal((r.get('Limit__c') as Decimal).toPlainString(), '2.5');
    assert.match(r.id!.v, /^m00/, 'custom metadata key prefixes start with m');
});

// ------------------------------------------------------------------------------------------------ SOSL

test('SOSL parse: binds are numbered in source order across FIND and RETURNING WHERE clauses', async () => {
    const { parseSosl } = await import('./soql/parser.js');
    const q = parseSosl(
        '[FIND :term IN NAME FIELDS RETURNING Account(Name WHERE Industry = :ind ORDER BY Name LIMIT 5), Contact LIMIT 7]'
    );
    assert.deepEqual(q.find, { kind: 'bind', index: 0, text: 'term' });
    assert.equal(q.searchGroup, 'NAME');
    assert.deepEqual(
        q.returning.map((r) => r.from),
        ['Account', 'Contact']
    );
    const where = q.returning[0].where;
    assert.ok(where?.kind === 'cmp' && where.right.kind === 'bind' && where.right.index === 1);
    assert.deepEqual(q.returning[1].select, [{ kind: 'field', path: ['Id'] }]);
    assert.deepEqual(q.limit, { kind: 'number', text: '7' });
    throwsApex(() => parseSosl('FIND {x} RETURNING Account WITH SNIPPET'), 'QueryException', /WITH SNIPPET/);
});

test('SOSL overall LIMIT is spread evenly; what one object cannot use goes to the others', async () => {
    const { distribute } = await import('./search.js');
    // "If 19 of the results are accounts and 35 are contacts, then only 10 accounts and 10 contacts are returned."
    assert.deepEqual(distribute([19, 35], 20), [10, 10]);
    assert.deepEqual(distribute([3, 35], 20), [3, 17]);
    assert.deepEqual(distribute([5, 5, 5], 4), [2, 1, 1]);
    assert.deepEqual(distribute([0, 4], 2000), [0, 4]);
});

test('SOSL search text: operators, phrases and wildcards; short or unbalanced text raises SearchException', async () => {
    const o = org();
    o.dml('insert', [
        rec(o, 'Account', { Name: 'Acme Rocket Works' }),
        rec(o, 'Account', { Name: 'Rocket Acme' }),
        rec(o, 'Account', { Name: 'Globex' })
    ]);
    const names = (text: string): string[] =>
        o
            .search(`FIND {${text}} RETURNING Account(Name ORDER BY Name)`, () => null, { fixedIds: null })[0]
            .records.map((r) => String(r.get('Name')));
    assert.deepEqual(names('"acme rocket"'), ['Acme Rocket Works']);
    assert.deepEqual(names('acme rocket'), ['Acme Rocket Works', 'Rocket Acme']);
    assert.deepEqual(names('(acme AND NOT works) OR globex'), ['Globex', 'Rocket Acme']);
    assert.deepEqual(names('r?ck*'), ['Acme Rocket Works', 'Rocket Acme']);
    assert.deepEqual(names('rock'), []);
    throwsApex(() => names('a*'), 'SearchException', /longer than one character/);
    throwsApex(() => names('(acme'), 'SearchException', /unbalanced/);
    throwsApex(() => names('acme)'), 'SearchException', /unbalanced/);
});

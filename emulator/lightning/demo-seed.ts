/**
 * The demo org's data, as anonymous Apex run through the local runtime (so required fields,
 * validation and the package's triggers apply exactly as they would in an org).
 *
 * Accounts, contacts (one opted out of email, one without an email), products whose SKUs are the
 * simulator's catalogue ("SKUs synced"), standard price book entries, opportunities with contact
 * roles and line items, draft orders with Bill To / Ship To contacts and items, and open cases.
 */
import { CATALOGUE } from '../trustpilot/seed.ts';

const apexString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export const DEMO_CONTACTS = [
    {
        key: 'ada',
        first: 'Ada',
        last: 'Lovelace',
        email: 'ada.lovelace@example.com',
        account: 0,
        optOut: false
    },
    {
        key: 'grace',
        first: 'Grace',
        last: 'Hopper',
        email: 'grace.hopper@example.com',
        account: 0,
        optOut: false
    },
    {
        key: 'alan',
        first: 'Alan',
        last: 'Turing',
        email: 'alan.turing@example.com',
        account: 1,
        optOut: true
    },
    { key: 'katherine', first: 'Katherine', last: 'Johnson', email: null, account: 1, optOut: false },
    {
        key: 'linus',
        first: 'Linus',
        last: 'Torvalds',
        email: 'linus.t@example.com',
        account: 2,
        optOut: false
    },
    {
        key: 'margaret',
        first: 'Margaret',
        last: 'Hamilton',
        email: 'margaret.h@example.com',
        account: 2,
        optOut: false
    },
    {
        key: 'dorothy',
        first: 'Dorothy',
        last: 'Vaughan',
        email: 'dorothy.vaughan@example.com',
        account: 2,
        optOut: false
    }
] as const;

export const DEMO_ACCOUNTS = ['Acme Outdoor Co.', 'Globex Expeditions', 'Initech Adventures'] as const;

/** Anonymous Apex that creates the whole demo data set in one transaction. */
export function demoSeedApex(): string {
    const lines: string[] = [];
    const add = (s: string) => lines.push(s);
    add('List<Pricebook2> standardBooks = [SELECT Id FROM Pricebook2 WHERE IsStandard = true LIMIT 1];');
    add('Id pricebookId = standardBooks[0].Id;');
    add('List<Account> accounts = new List<Account>{');
    add(DEMO_ACCOUNTS.map((a) => `    new Account(Name = ${apexString(a)})`).join(',\n'));
    add('};');
    add('insert accounts;');
    add('List<Contact> contacts = new List<Contact>{');
    add(
        DEMO_CONTACTS.map(
            (c) =>
                `    new Contact(FirstName = ${apexString(c.first)}, LastName = ${apexString(c.last)}, Email = ${c.email ? apexString(c.email) : 'null'}, ` +
                `HasOptedOutOfEmail = ${String(c.optOut)}, AccountId = accounts[${c.account}].Id)`
        ).join(',\n')
    );
    add('};');
    add('insert contacts;');
    add('List<Product2> products = new List<Product2>{');
    add(
        CATALOGUE.map(
            (p) =>
                `    new Product2(Name = ${apexString(p.name)}, ProductCode = ${apexString(p.sku)}, StockKeepingUnit = ${apexString(p.sku)}, IsActive = true)`
        ).join(',\n')
    );
    add('};');
    add('insert products;');
    add('List<PricebookEntry> entries = new List<PricebookEntry>();');
    add('for (Integer i = 0; i < products.size(); i++) {');
    add(
        '    entries.add(new PricebookEntry(Pricebook2Id = pricebookId, Product2Id = products[i].Id, UnitPrice = 49 + 25 * i, IsActive = true));'
    );
    add('}');
    add('insert entries;');

    // Opportunities: stage before "Closed Won", one primary contact role each (two on the first).
    add('List<Opportunity> opportunities = new List<Opportunity>{');
    add(
        "    new Opportunity(Name = 'Acme — spring tents', AccountId = accounts[0].Id, StageName = 'Negotiation/Review', CloseDate = Date.today().addDays(14), Pricebook2Id = pricebookId),"
    );
    add(
        "    new Opportunity(Name = 'Globex — expedition kit', AccountId = accounts[1].Id, StageName = 'Proposal/Price Quote', CloseDate = Date.today().addDays(30), Pricebook2Id = pricebookId),"
    );
    add(
        "    new Opportunity(Name = 'Initech — team offsite', AccountId = accounts[2].Id, StageName = 'Prospecting', CloseDate = Date.today().addDays(45), Pricebook2Id = pricebookId)"
    );
    add('};');
    add('insert opportunities;');
    add('insert new List<OpportunityContactRole>{');
    add(
        "    new OpportunityContactRole(OpportunityId = opportunities[0].Id, ContactId = contacts[0].Id, Role = 'Decision Maker', IsPrimary = true),"
    );
    add(
        "    new OpportunityContactRole(OpportunityId = opportunities[0].Id, ContactId = contacts[1].Id, Role = 'Evaluator', IsPrimary = false),"
    );
    add(
        "    new OpportunityContactRole(OpportunityId = opportunities[1].Id, ContactId = contacts[2].Id, Role = 'Decision Maker', IsPrimary = true),"
    );
    add(
        "    new OpportunityContactRole(OpportunityId = opportunities[2].Id, ContactId = contacts[4].Id, Role = 'Business User', IsPrimary = true)"
    );
    add('};');
    add('insert new List<OpportunityLineItem>{');
    add(
        '    new OpportunityLineItem(OpportunityId = opportunities[0].Id, PricebookEntryId = entries[0].Id, Quantity = 4, UnitPrice = 199),'
    );
    add(
        '    new OpportunityLineItem(OpportunityId = opportunities[0].Id, PricebookEntryId = entries[1].Id, Quantity = 4, UnitPrice = 129),'
    );
    add(
        '    new OpportunityLineItem(OpportunityId = opportunities[1].Id, PricebookEntryId = entries[2].Id, Quantity = 10, UnitPrice = 149),'
    );
    add(
        '    new OpportunityLineItem(OpportunityId = opportunities[2].Id, PricebookEntryId = entries[5].Id, Quantity = 20, UnitPrice = 39)'
    );
    add('};');

    // Orders are inserted as Draft (the platform requires it) with Bill To / Ship To contacts. Acme's
    // order is billed to Ada, who is also the primary contact of Acme's opportunity: closing both within
    // the cool-down invites her once.
    add('List<Order> orders = new List<Order>{');
    add(
        "    new Order(AccountId = accounts[0].Id, EffectiveDate = Date.today(), Status = 'Draft', Pricebook2Id = pricebookId, BillToContactId = contacts[0].Id, ShipToContactId = contacts[1].Id),"
    );
    add(
        "    new Order(AccountId = accounts[1].Id, EffectiveDate = Date.today(), Status = 'Draft', Pricebook2Id = pricebookId, BillToContactId = contacts[3].Id, ShipToContactId = contacts[2].Id),"
    );
    add(
        "    new Order(AccountId = accounts[2].Id, EffectiveDate = Date.today(), Status = 'Draft', Pricebook2Id = pricebookId, BillToContactId = contacts[6].Id, ShipToContactId = contacts[5].Id)"
    );
    add('};');
    add('insert orders;');
    add('insert new List<OrderItem>{');
    add(
        '    new OrderItem(OrderId = orders[0].Id, PricebookEntryId = entries[3].Id, Quantity = 2, UnitPrice = 124),'
    );
    add(
        '    new OrderItem(OrderId = orders[0].Id, PricebookEntryId = entries[4].Id, Quantity = 1, UnitPrice = 149),'
    );
    add(
        '    new OrderItem(OrderId = orders[1].Id, PricebookEntryId = entries[0].Id, Quantity = 1, UnitPrice = 199),'
    );
    add(
        '    new OrderItem(OrderId = orders[2].Id, PricebookEntryId = entries[5].Id, Quantity = 12, UnitPrice = 39),'
    );
    add(
        '    new OrderItem(OrderId = orders[2].Id, PricebookEntryId = entries[1].Id, Quantity = 6, UnitPrice = 129)'
    );
    add('};');

    add('insert new List<Case>{');
    add(
        "    new Case(Subject = 'Tent pole cracked', AccountId = accounts[0].Id, ContactId = contacts[1].Id, Status = 'New', Origin = 'Email'),"
    );
    add(
        "    new Case(Subject = 'Where is my order?', AccountId = accounts[2].Id, ContactId = contacts[5].Id, Status = 'Working', Origin = 'Phone'),"
    );
    add(
        "    new Case(Subject = 'Invoice address change', AccountId = accounts[1].Id, ContactId = contacts[3].Id, Status = 'New', Origin = 'Web')"
    );
    add('};');
    return `${lines.join('\n')}\n`;
}

/** The package's permission sets for the running (admin) user: a separate transaction (setup objects). */
export function permissionSeedApex(): string {
    return [
        "List<PermissionSet> sets = [SELECT Id FROM PermissionSet WHERE Name IN ('Trustpilot_App_User', 'Trustpilot_App_Super_User')];",
        'List<PermissionSetAssignment> assignments = new List<PermissionSetAssignment>();',
        'for (PermissionSet s : sets) {',
        '    assignments.add(new PermissionSetAssignment(AssigneeId = UserInfo.getUserId(), PermissionSetId = s.Id));',
        '}',
        'insert assignments;',
        ''
    ].join('\n');
}

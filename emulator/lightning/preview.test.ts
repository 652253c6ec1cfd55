import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../../scripts/lib/files.ts';
import { loadProjectSchema, type FieldDef } from '../apex/data/schema.ts';
import {
    ApexDate,
    ApexDatetime,
    ApexId,
    ApexList,
    ApexMap,
    ApexObject,
    ApexSet,
    Decimal,
    EnumValue,
    T,
    type ClassLike,
    type EnumLike
} from '../apex/runtime/values.ts';
import { DEMO_BUSINESS_USER_ID, DEMO_DOMAIN } from '../trustpilot/seed.ts';
import { DEMO_API_KEY, DEMO_API_SECRET } from '../trustpilot/server.ts';
import { demoSeedApex, DEMO_CONTACTS, permissionSeedApex } from './demo-seed.ts';
import { readLabels, readPages } from './metadata.ts';
import { openOrg, type PlainRecord, type PreviewOrg } from './org.ts';
import { apexLiteral, credentialsFile } from './runtime-org.ts';
import { combineFilters, filterCondition, isLocalHost, soqlString } from './server.ts';
import {
    decodeApexValue,
    decodeValue,
    encodeApexValue,
    encodeValue,
    type Encoded,
    type TypeResolver
} from './state-codec.ts';

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
    it('round-trips an Apex object with collections and enums, without running a constructor', () => {
        // A stand-in for the interpreter's class (the codec reads only its name).
        const cls = {
            name: 'syncjob',
            displayName: 'SyncJob',
            superclass: null,
            isSubtypeOf: (n: string) => n === 'syncjob'
        } as unknown as ClassLike;
        const kinds: EnumLike = { name: 'kind', displayName: 'Kind', values: [] };
        const nightly = new EnumValue(kinds, 'NIGHTLY', 0);
        (kinds.values as EnumValue[]).push(nightly);
        const types: TypeResolver = {
            classOf: (n) => (n === 'syncjob' ? cls : null),
            enumOf: (n) => (n === 'kind' ? kinds : null)
        };
        // The interpreter keeps fields in a prototype-less record.
        const fields = (o: Record<string, unknown>) =>
            Object.assign(Object.create(null) as Record<string, unknown>, o);
        const tags = new ApexSet(T.string);
        tags.map.set('a', 'a');
        const limits = new ApexMap(T.string, T.integer);
        limits.keys.set('pages', 'pages');
        limits.values.set('pages', 3);
        const job = new ApexObject(
            cls,
            fields({
                jobtype: 'Nightly',
                kind: nightly,
                days: new ApexList(T.integer, [1, 2]),
                tags,
                limits,
                inner: new ApexObject(cls, fields({ since: new ApexDatetime(1_700_000_000_000) }))
            })
        );
        const back = decodeApexValue(JSON.parse(JSON.stringify(encodeApexValue(job))) as Encoded, types);
        assert.deepEqual(back, job, 'fields, collections, enum and nested object come back');
        assert.equal((back as ApexObject).f.kind, nightly, 'the enum value is the loaded one');
        assert.throws(
            () => decodeApexValue(encodeApexValue(job), { ...types, classOf: () => null }),
            /no longer in the code/
        );
        assert.throws(() => encodeApexValue(new ApexObject(cls, { $message: 'x' })), /exception/);
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

describe('a restart on saved state (npm start after Ctrl-C)', () => {
    let dir = '';
    let simulator: ChildProcess | undefined;
    let simUrl = '';
    const schema = loadProjectSchema();
    const stateFile = () => join(dir, 'org.json');
    const reopen = () =>
        openOrg(
            {
                namedCredentialUrls: {
                    Trustpilot_API: simUrl,
                    Trustpilot_Invitations_API: simUrl,
                    Trustpilot_Public_API: simUrl
                },
                stateFile: stateFile()
            },
            schema
        );
    /**
     * The simulator's admin API. The runtime blocks this process while it runs Apex, so the simulator may
     * have closed an idle kept-alive connection meanwhile: a failed fetch is tried once more.
     */
    const simAdmin = async (path: string, body?: unknown): Promise<unknown> => {
        const init: RequestInit =
            body === undefined
                ? {}
                : {
                      method: 'POST',
                      headers: { 'content-type': 'application/json' },
                      body: JSON.stringify(body)
                  };
        const res = await fetch(`${simUrl}${path}`, init).catch(() => fetch(`${simUrl}${path}`, init));
        return res.json();
    };
    const tokenRequests = async () =>
        ((await simAdmin('/_admin/requests?route=token')) as { requests: unknown[] }).requests.length;

    before(async () => {
        dir = mkdtempSync(join(tmpdir(), 'tp-preview-restart-'));
        const child = spawn(
            process.execPath,
            ['--import', 'tsx', join(ROOT, 'emulator/trustpilot/main.ts')],
            {
                env: {
                    ...process.env,
                    TRUSTPILOT_SIM_PORT: '0',
                    TRUSTPILOT_SIM_STATE: join(dir, 'trustpilot.json')
                },
                stdio: ['ignore', 'pipe', 'inherit']
            }
        );
        simulator = child;
        simUrl = await new Promise<string>((resolve, reject) => {
            let out = '';
            child.stdout?.on('data', (c: Buffer) => {
                out += c.toString('utf8');
                const m = /Trustpilot simulator on (http:\/\/\S+)/.exec(out);
                if (m?.[1]) resolve(m[1]);
            });
            child.once('exit', (code) => reject(new Error(`simulator exited with ${String(code)}: ${out}`)));
        });
    });

    after(() => {
        simulator?.kill('SIGTERM');
        rmSync(dir, { recursive: true, force: true });
    });

    it('keeps the schedules and the credentials: the review sync runs with them after a reopen', async (t) => {
        const first = await reopen();
        await first.runAnonymous(permissionSeedApex());
        await first.invokeAura('ConnectionSettingsController', 'saveCredentials', {
            apiKey: DEMO_API_KEY,
            apiSecret: DEMO_API_SECRET
        });
        await first.invokeAura('ConnectionSettingsController', 'connect', {
            domain: DEMO_DOMAIN,
            businessUserId: DEMO_BUSINESS_USER_ID
        });
        const cronOf = async (org: PreviewOrg) =>
            (
                await org.query(
                    "SELECT Id, CronJobDetail.Name, CronExpression, NextFireTime, OwnerId, TimesTriggered FROM CronTrigger WHERE State = 'WAITING' ORDER BY Id"
                )
            ).map((r): PlainRecord => ({ ...r, attributes: undefined }));
        const scheduled = await cronOf(first);
        assert.ok(scheduled.length >= 2, 'connecting schedules the review sync and the invitation sweep');
        first.save(stateFile());

        const saved = readFileSync(stateFile(), 'utf8');
        assert.ok(!saved.includes(DEMO_API_SECRET), 'the org state file holds no secret');
        assert.equal(statSync(stateFile()).mode & 0o777, 0o600, 'only the owner may read the org');
        const credentials = credentialsFile(stateFile());
        assert.equal(statSync(credentials).mode & 0o777, 0o600, 'only the owner may read the credentials');
        assert.ok(readFileSync(credentials, 'utf8').includes(DEMO_API_SECRET), 'the secret is kept');

        // A new runtime, as after Ctrl-C and npm start: nothing carried over in memory.
        const second = await reopen();
        assert.deepEqual(await cronOf(second), scheduled, 'same triggers, cron, next fire time and owner');
        const tokensBefore = await tokenRequests();
        const syncJobs = () =>
            second.query(
                "SELECT Job_Type__c, Status__c, Pages__c FROM Sync_Job__c WHERE Job_Type__c = 'Incremental'"
            );
        assert.equal((await syncJobs()).length, 0, 'no incremental sync has run yet');
        const sync = scheduled.filter((r) =>
            String((r.CronJobDetail as { Name?: string } | undefined)?.Name).startsWith(
                'Trustpilot review sync'
            )
        );
        assert.equal(sync.length, 1, 'one incremental review sync schedule (hourly)');
        const next = Date.parse(String(sync[0]?.NextFireTime));
        const { jobsRun } = await second.advanceClock(next - second.now().getTime() + 60_000);
        assert.ok(jobsRun > 0, 'the due scheduled jobs ran');
        const fired = (await cronOf(second)).filter((r) => Number(r.TimesTriggered) > 0);
        assert.ok(fired.length > 0, 'a restored trigger fired');
        const runs = await syncJobs();
        assert.ok(runs.length > 0, 'the restored incremental review sync started a sync run');
        assert.ok(
            runs.every((r) => r.Status__c === 'Completed'),
            `the sync run completed with the restored credentials: ${JSON.stringify(runs)}`
        );
        assert.ok((await tokenRequests()) > tokensBefore, 'a new OAuth token was obtained after the reopen');
        const owners = new Set(scheduled.map((r) => r.OwnerId));
        assert.deepEqual([...owners], [second.userId], 'the jobs run as the user who connected');

        // Days later on the org's clock (the simulator's moves with it, as the preview's clock does): the
        // token cached earlier has expired there, so the syncs that come due fetch a fresh one.
        const fiveDays = 5 * 86_400_000;
        const beforeDays = second.now().toISOString();
        await simAdmin('/_admin/clock', { advanceMs: fiveDays });
        await second.advanceClock(fiveDays);
        const later = await second.query(
            `SELECT Job_Type__c, Status__c, Last_Error__c FROM Sync_Job__c WHERE CreatedDate > ${beforeDays}`
        );
        assert.ok(later.length > 0, 'the scheduled syncs ran five days later');
        assert.deepEqual(
            later.filter((r) => r.Status__c !== 'Completed'),
            [],
            'and completed, with a fresh token'
        );

        // A saved job whose class is gone (e.g. renamed since) does not stop the org from opening: it is
        // reported as a job that will not run.
        second.save(stateFile());
        const state = JSON.parse(readFileSync(stateFile(), 'utf8')) as {
            schedules: { job: { cls: string } }[];
        };
        assert.ok(state.schedules.length >= 2, 'the schedules are saved');
        for (const sch of state.schedules) sch.job.cls = 'nosuchschedulable';
        writeFileSync(stateFile(), JSON.stringify(state));
        const warnings: string[] = [];
        t.mock.method(console, 'warn', (m: string) => warnings.push(m));
        await reopen();
        assert.match(warnings.join('\n'), /no longer in the code/, 'the missing class is named');
        assert.match(warnings.join('\n'), /will not run/, 'the user learns the jobs will not run');

        // A damaged credentials file stops the start with a message that quotes none of it.
        writeFileSync(credentialsFile(stateFile()), `[{"key": "${DEMO_API_SECRET}`);
        await assert.rejects(reopen(), (e: Error) => {
            assert.match(e.message, /damaged: delete it/);
            assert.ok(!e.message.includes(DEMO_API_SECRET), 'the secret is not in the message');
            return true;
        });
    });
});

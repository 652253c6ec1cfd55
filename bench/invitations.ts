/**
 * Benchmark of the invitation engine in the local Apex runtime (figures printed, nothing asserted).
 *
 *   npx tsx bench/invitations.ts [--project DIR] [--dispatch-only]
 *
 * Trigger side: one enabled email rule (Opportunity enters "Closed Won"); opportunities inserted already in
 * that stage, as 200 and 2,000 records in one DML and 10,000 records as 50 transactions of 200 (as a data
 * load does). The platform runs triggers in chunks of 200 records; per chunk the package's own cost is the
 * transaction's totals minus the opportunity insert itself (1 statement, N rows).
 * Targets (issue 5): at most 4 SOQL and 2 DML statements per chunk, zero callouts in trigger context.
 *
 * Dispatch side: 250 due email invitations; each batch is claimed in one transaction and sent in the next
 * (a test-mode transaction whose HttpCalloutMock answers 202, so no network is used), as the dispatcher's
 * chained jobs do. Target: at least 90 invitations per dispatch transaction.
 */
import { ApexRuntime } from '../emulator/apex/index.js';

interface Figures {
    soql: number;
    dml: number;
    rows: number;
    callouts: number;
    cpu: number;
    [key: string]: number;
}

const CHUNK = 200;

function arg(name: string): string | undefined {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
}

function figuresOf(debug: readonly string[]): Figures {
    const line = debug.find((d) => d.startsWith('BENCH|'));
    if (!line) throw new Error(`no BENCH line in: ${debug.join('\n')}`);
    return JSON.parse(line.slice('BENCH|'.length)) as Figures;
}

function runRaw(rt: ApexRuntime, apex: string): readonly string[] {
    const res = rt.runAnonymous(apex);
    if (!res.ok) throw new Error(`${res.error}\n${res.stackTrace ?? ''}`);
    return res.debug;
}

function run(rt: ApexRuntime, apex: string): Figures {
    return figuresOf(runRaw(rt, apex));
}

/** Runs anonymous Apex in a test-mode transaction (Test.setMock is available there). */
function runAsTest(rt: ApexRuntime, apex: string): Figures {
    const prepared = rt.prepareAnonymous(apex);
    const debug: string[] = [];
    const saved = rt.interp.debugSink;
    rt.interp.debugSink = (_level, text) => debug.push(text);
    try {
        rt.beginTransaction(true);
        prepared();
    } catch (e) {
        const ex = rt.interp.toApexException(e);
        throw ex ? new Error(`${rt.interp.stringOf(ex)}\n${rt.interp.stackTraceString(ex)}`) : e;
    } finally {
        rt.interp.debugSink = saved;
        rt.interp.cur = null;
        rt.interp.depth = 0;
    }
    return figuresOf(debug);
}

const MEASURE_START = `Integer q0 = Limits.getQueries(); Integer d0 = Limits.getDmlStatements();
Integer r0 = Limits.getDmlRows(); Integer c0 = Limits.getCallouts();`;

function measureEnd(extra = ''): string {
    return `System.debug('BENCH|' + JSON.serialize(new Map<String, Object>{
    'soql' => Limits.getQueries() - q0, 'dml' => Limits.getDmlStatements() - d0,
    'rows' => Limits.getDmlRows() - r0, 'callouts' => Limits.getCallouts() - c0,
    'cpu' => Limits.getCpuTime()${extra} }));`;
}

function insertOpportunities(n: number, batch: number): string {
    return `List<Opportunity> opps = new List<Opportunity>();
for (Integer i = 0; i < ${n}; i++) {
    opps.add(new Opportunity(Name = 'Bench ${batch}-' + i, StageName = 'Closed Won', CloseDate = Date.today()));
}
${MEASURE_START}
insert opps;
${measureEnd()}`;
}

interface Row {
    scenario: string;
    records: number;
    chunks: number;
    f: Figures;
}

function perChunk(r: Row): { soql: number; dml: number; rows: number } {
    return {
        soql: r.f.soql / r.chunks,
        dml: (r.f.dml - 1) / r.chunks,
        rows: (r.f.rows - r.records) / r.chunks
    };
}

function fmt(n: number): string {
    return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

async function main(): Promise<void> {
    const projectDir = arg('--project');
    const rt = await ApexRuntime.create({ projectDir, debug: () => undefined });
    for (const p of rt.problems) process.stderr.write(`load error: ${p.file}: ${p.message}\n`);

    if (!process.argv.includes('--dispatch-only')) triggerSide(rt);
    // A fresh org for the dispatch side, so the trigger side's invitations do not take its batches.
    const fresh = await ApexRuntime.create({ projectDir, debug: () => undefined });
    dispatchSide(fresh);
}

/** Apex inserting an enabled email rule (Service, no delay). */
function emailRule(objectName: string, triggerValue: string, recipientOption: string): string {
    return `insert new Invitation_Rule__c(Name = '${triggerValue}', Object__c = '${objectName}', Enabled__c = true,
    Trigger_Value__c = '${triggerValue}', Recipient_Option__c = '${recipientOption}', Type__c = 'Service',
    Delivery__c = 'Email invitation', Delay_Days__c = 0);`;
}

const NO_FIGURES = `System.debug('BENCH|{"soql":0,"dml":0,"rows":0,"callouts":0,"cpu":0}');`;

function triggerSide(rt: ApexRuntime): void {
    run(rt, `${emailRule('Opportunity', 'Closed Won', 'PrimaryContactRole')}\n${NO_FIGURES}`);
    const rows: Row[] = [];
    rows.push({
        scenario: '200 in one DML',
        records: 200,
        chunks: 1,
        f: run(rt, insertOpportunities(200, 1))
    });
    rows.push({
        scenario: '2,000 in one DML',
        records: 2000,
        chunks: 10,
        f: run(rt, insertOpportunities(2000, 2))
    });
    const load: Figures[] = [];
    for (let t = 0; t < 50; t++) load.push(run(rt, insertOpportunities(CHUNK, 100 + t)));

    process.stdout.write(
        'Trigger side (rule: Opportunity enters Closed Won; package cost per 200-record chunk)\n'
    );
    process.stdout.write(
        'scenario                     records  txns  chunks  SOQL/chunk  DML/chunk  DML rows/chunk  callouts\n'
    );
    for (const r of rows) {
        const c = perChunk(r);
        process.stdout.write(
            `${r.scenario.padEnd(28)} ${String(r.records).padStart(7)}  ${'1'.padStart(4)}  ${String(r.chunks).padStart(6)}  ${fmt(c.soql).padStart(10)}  ${fmt(c.dml).padStart(9)}  ${fmt(c.rows).padStart(14)}  ${String(r.f.callouts).padStart(8)}\n`
        );
    }
    const loadRows = load.map((f) => perChunk({ scenario: '', records: CHUNK, chunks: 1, f }));
    const max = (k: 'soql' | 'dml' | 'rows'): number => Math.max(...loadRows.map((x) => x[k]));
    const callouts = load.reduce((s, f) => s + f.callouts, 0);
    process.stdout.write(
        `${'10,000 as 50 x 200 (max)'.padEnd(28)} ${'10000'.padStart(7)}  ${'50'.padStart(4)}  ${'50'.padStart(6)}  ${fmt(max('soql')).padStart(10)}  ${fmt(max('dml')).padStart(9)}  ${fmt(max('rows')).padStart(14)}  ${String(callouts).padStart(8)}\n`
    );
    const invitations = run(
        rt,
        `${MEASURE_START}
System.debug('BENCH|' + JSON.serialize(new Map<String, Object>{ 'soql' => 0, 'dml' => 0, 'rows' => 0, 'callouts' => 0, 'cpu' => 0,
    'invitations' => [SELECT COUNT() FROM Invitation__c] }));`
    );
    process.stdout.write(`invitations created: ${invitations.invitations} for 12,200 opportunities\n\n`);
}

function dispatchSide(rt: ApexRuntime): void {
    run(
        rt,
        `${emailRule('Case', 'Closed', 'CaseContact')}
Account a = new Account(Name = 'Bench');
insert a;
List<Contact> people = new List<Contact>();
for (Integer i = 0; i < 250; i++) {
    people.add(new Contact(AccountId = a.Id, LastName = 'P' + i, Email = 'bench' + i + '@example.com'));
}
insert people;
List<Case> cases = new List<Case>();
for (Contact p : people) {
    cases.add(new Case(ContactId = p.Id, Status = 'Closed', Subject = 'Bench'));
}
insert cases;
insert new Business_Unit__c(Name = 'Bench', Trustpilot_Id__c = 'bu-bench', Domain__c = 'example.com', Is_Default__c = true);
insert new Connection_Settings__c(SetupOwnerId = UserInfo.getOrganizationId(), Connected__c = true,
    Connected_User_Id__c = UserInfo.getUserId(), Business_User_Id__c = 'bench-user', Domain__c = 'example.com');
${NO_FIGURES}`
    );
    rt.addClass(
        'BenchAcceptMock.cls',
        `public class BenchAcceptMock implements HttpCalloutMock {
    public HttpResponse respond(HttpRequest req) {
        HttpResponse res = new HttpResponse();
        res.setStatusCode(202);
        res.setBody('{}');
        return res;
    }
}`
    );
    process.stdout.write(
        'Dispatch side (250 due email invitations; claim transaction, then send transaction)\n'
    );
    process.stdout.write('batch  claimed  sent  callouts  SOQL  DML  DML rows   (send transaction)\n');
    for (let batch = 1; batch <= 5; batch++) {
        const claimDebug = runRaw(
            rt,
            `String token = InvitationClaimer.claim();
Integer claimed = token == null ? 0 : [SELECT COUNT() FROM Invitation__c WHERE Claim_Token__c = :token];
System.debug('TOKEN|' + token);
System.debug('BENCH|' + JSON.serialize(new Map<String, Object>{ 'soql' => 0, 'dml' => 0, 'rows' => 0, 'callouts' => 0, 'cpu' => 0, 'claimed' => claimed }));`
        );
        const claim = figuresOf(claimDebug);
        if (!claim.claimed) break;
        const token = (claimDebug.find((d) => d.startsWith('TOKEN|')) ?? '').slice('TOKEN|'.length);
        const send = runAsTest(
            rt,
            `Test.setMock(HttpCalloutMock.class, new BenchAcceptMock());
${MEASURE_START}
InvitationProcessor.Run r = InvitationDispatcher.sendClaimed('${token}', new InvitationOutcomes());
${measureEnd(", 'sent' => r.sent")}`
        );
        process.stdout.write(
            `${String(batch).padStart(5)}  ${String(claim.claimed).padStart(7)}  ${String(send.sent).padStart(4)}  ${String(send.callouts).padStart(8)}  ${String(send.soql).padStart(4)}  ${String(send.dml).padStart(3)}  ${String(send.rows).padStart(8)}\n`
        );
    }
}

main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
});

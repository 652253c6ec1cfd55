/**
 * Benchmark of the review import (Import Reviews) in the local Apex runtime, outside test context.
 *
 *   npx tsx bench/review-sync.ts            # 1,000 and 10,000 reviews
 *   npx tsx bench/review-sync.ts 2500       # other volumes
 *
 * For each volume it starts a mocked Trustpilot (a child process: the runtime makes callouts
 * synchronously, so the server cannot share its event loop) serving that many reviews (80 % service,
 * 20 % product) in pages of up to 100, points the Named Credentials at it (APEX_CALLOUT_REWRITE),
 * queues an import (one Sync_Job__c per stream, as ReviewSyncService.startImport does) and runs the
 * ReviewSyncJob chain to the end, each link in its own transaction. It records the governor-limit counters
 * of every transaction and prints, per volume: transactions, callouts vs pages, and the maximum and total
 * SOQL queries, DML statements and DML rows per transaction, plus the busiest 5-minute window of calls on
 * the runtime's clock (each transaction is assumed to take 3 s; queued delays are honoured).
 * Prints figures only: it is not a timed test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ApexRuntime } from '../emulator/apex/index.js';
import { runPendingJobs } from '../emulator/apex/platform2/async.js';
import { setCalloutRewrite } from '../emulator/apex/platform2/http.js';
import type { LimitCounters } from '../emulator/apex/runtime/context.js';

const UNIT = 'bench-unit-0001';
const TRANSACTION_MS = 3000;

// ------------------------------------------------------------------------------- mocked Trustpilot

function review(i: number, product: boolean): Record<string, unknown> {
    const createdAt = new Date(Date.UTC(2026, 0, 1) + i * 60000).toISOString();
    const base = {
        id: `${product ? 'p' : 's'}-${i}`,
        stars: (i % 5) + 1,
        createdAt,
        referenceId: `REF-${i}`
    };
    return product
        ? {
              ...base,
              content: `Product review ${i}`,
              product: { sku: `SKU-${i % 50}`, name: `Product ${i % 50}` },
              consumer: { name: `Buyer ${i}` }
          }
        : {
              ...base,
              title: `Review ${i}`,
              text: `Text of review ${i}`,
              language: 'en',
              isVerified: true,
              consumer: { displayName: `Consumer ${i}` },
              referralEmail: `c${i}@example.com`
          };
}

function page(total: number, url: URL, product: boolean): Record<string, unknown>[] {
    const pageNo = Number(url.searchParams.get('page') ?? '1');
    const perPage = Number(url.searchParams.get('perPage') ?? '20');
    const from = (pageNo - 1) * perPage;
    const items: Record<string, unknown>[] = [];
    for (let i = from; i < Math.min(total, from + perPage); i++) items.push(review(i, product));
    return items;
}

function serve(service: number, product: number): void {
    const send = (res: ServerResponse, status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
    };
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const p = url.pathname;
        if (p.endsWith('/accesstoken'))
            return send(res, 200, { access_token: 'bench-token', expires_in: 359999 });
        if (p === `/v1/business-units/${UNIT}`) {
            return send(res, 200, {
                id: UNIT,
                displayName: 'Bench',
                score: { trustScore: 4.4, stars: 4.5 },
                numberOfReviews: { total: service }
            });
        }
        if (p === `/v1/private/business-units/${UNIT}/reviews`)
            return send(res, 200, { reviews: page(service, url, false) });
        if (p === `/v1/private/product-reviews/business-units/${UNIT}/reviews`) {
            return send(res, 200, { productReviews: page(product, url, true) });
        }
        send(res, 404, { message: `no route ${p}` });
    });
    server.listen(0, '127.0.0.1', () => {
        const addr = server.address();
        process.stdout.write(`${typeof addr === 'object' && addr ? addr.port : 0}\n`);
    });
}

function startServer(service: number, product: number): Promise<{ child: ChildProcess; url: string }> {
    const child = spawn(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', String(service), String(product)],
        {
            stdio: ['ignore', 'pipe', 'inherit']
        }
    );
    return new Promise((resolve, reject) => {
        child.stdout?.once('data', (d: Buffer) =>
            resolve({ child, url: `http://127.0.0.1:${d.toString().trim()}` })
        );
        child.once('exit', (code) => reject(new Error(`mock server exited (${code})`)));
    });
}

// ------------------------------------------------------------------------------- the run

interface Tx {
    at: number;
    limits: LimitCounters;
}

// as an admin would: give the running user the Super User permission set (its own transaction: setup object)
const ASSIGN = `
insert new PermissionSetAssignment(
    AssigneeId = UserInfo.getUserId(),
    PermissionSetId = [SELECT Id FROM PermissionSet WHERE Name = 'Trustpilot_App_Super_User'].Id
);
`;

const SETUP = `
ConnectApi.CredentialInput oauth = new ConnectApi.CredentialInput();
oauth.externalCredential = 'Trustpilot';
oauth.principalName = 'TrustpilotPrincipal';
oauth.principalType = ConnectApi.CredentialPrincipalType.NamedPrincipal;
oauth.authenticationProtocol = ConnectApi.CredentialAuthenticationProtocol.OAuth;
ConnectApi.CredentialValueInput id = new ConnectApi.CredentialValueInput();
id.value = 'bench-key';
id.encrypted = false;
ConnectApi.CredentialValueInput secret = new ConnectApi.CredentialValueInput();
secret.value = 'bench-secret';
secret.encrypted = true;
oauth.credentials = new Map<String, ConnectApi.CredentialValueInput>{ 'clientId' => id, 'clientSecret' => secret };
ConnectApi.NamedCredentials.createCredential(oauth);
ConnectApi.CredentialInput apiKey = new ConnectApi.CredentialInput();
apiKey.externalCredential = 'Trustpilot_ApiKey';
apiKey.principalName = 'TrustpilotApiKeyPrincipal';
apiKey.principalType = ConnectApi.CredentialPrincipalType.NamedPrincipal;
apiKey.authenticationProtocol = ConnectApi.CredentialAuthenticationProtocol.Custom;
apiKey.credentials = new Map<String, ConnectApi.CredentialValueInput>{ 'ApiKey' => id };
ConnectApi.NamedCredentials.createCredential(apiKey);

Connection_Settings__c s = TrustpilotSettings.connection();
s.Connected__c = true;
s.Business_User_Id__c = 'bench-user';
s.Connected_User_Id__c = UserInfo.getUserId();
TrustpilotSettings.saveConnection(s);
Business_Unit__c unit = new Business_Unit__c(Name = 'Bench', Trustpilot_Id__c = '${UNIT}', Is_Default__c = true);
insert unit;
List<Sync_Job__c> jobs = new List<Sync_Job__c>();
for (String stream : new List<String>{ 'Service', 'Product' }) {
    jobs.add(new Sync_Job__c(Job_Type__c = 'Import', Status__c = 'Queued', Stream__c = stream, Business_Unit__c = unit.Id,
        Window_Start__c = Datetime.now().addDays(-30), Window_End__c = Datetime.now(), Next_Page__c = 1, Pages__c = 0,
        Reviews_Created__c = 0, Reviews_Updated__c = 0, Errors__c = 0));
}
insert jobs;
new ReviewSyncService().resumeStalled();
`;

const REPORT = `
System.debug('reviews=' + [SELECT COUNT() FROM Review__c]);
for (Sync_Job__c j : [SELECT Stream__c, Status__c, Pages__c, Reviews_Created__c, Errors__c, Last_Error__c FROM Sync_Job__c ORDER BY Stream__c]) {
    System.debug('job ' + j.Stream__c + ' ' + j.Status__c + ' pages=' + j.Pages__c + ' created=' + j.Reviews_Created__c + ' errors=' + j.Errors__c + (j.Last_Error__c == null ? '' : ' ' + j.Last_Error__c));
}
`;

async function run(total: number): Promise<void> {
    const service = Math.round(total * 0.8);
    const product = total - service;
    const { child, url } = await startServer(service, product);
    try {
        const rt = await ApexRuntime.create({ debug: () => undefined });
        for (const p of rt.problems) process.stderr.write(`load error: ${p.message}\n`);
        setCalloutRewrite({
            'https://api.trustpilot.com': url,
            'https://invitations-api.trustpilot.com': url
        });
        const ip = rt.interp as unknown as { limits: LimitCounters; clock: number };

        // every transaction installs fresh counters and restores the caller's at its end: record those
        const txs: Tx[] = [];
        let current = ip.limits;
        const outer = new Set<LimitCounters>([current]);
        Object.defineProperty(ip, 'limits', {
            configurable: true,
            get: () => current,
            set: (next: LimitCounters) => {
                if (!outer.has(current) && outer.has(next)) {
                    txs.push({ at: ip.clock, limits: { ...current } });
                    ip.clock += TRANSACTION_MS;
                }
                current = next;
            }
        });

        const assign = rt.runAnonymous(ASSIGN, 'bench-assign.apex');
        if (!assign.ok) throw new Error(`permission set assignment failed: ${assign.error}`);
        outer.add(current);
        // the local runtime keeps mixed-DML state per user object across transactions (reported to its
        // owner); a new transaction starts clean on the platform, so give the next one a fresh user object
        const user = ip as unknown as { user: object };
        user.user = { ...user.user };
        const setup = rt.runAnonymous(SETUP, 'bench-setup.apex');
        if (!setup.ok) throw new Error(`setup failed: ${setup.error}`);
        outer.add(current);
        let guard = 0;
        while (guard++ < 5000) {
            const ran = runPendingJobs(ip as never);
            if (ran > 0) continue;
            // only delayed links left (pacing or back-off): move the clock to the next one, or stop
            const before = ip.clock;
            ip.clock += 60000;
            if (runPendingJobs(ip as never) === 0) {
                ip.clock = before;
                break;
            }
        }
        const report = rt.runAnonymous(REPORT, 'bench-report.apex');
        const lines = report.debug;

        const sync = txs.filter((t) => t.limits.callouts > 0 || t.limits.dmlStatements > 0);
        const pagesExpected =
            Math.ceil(service / 100) +
            (service % 100 === 0 ? 1 : 0) +
            Math.ceil(product / 100) +
            (product % 100 === 0 ? 1 : 0);
        const sum = (k: keyof LimitCounters): number => sync.reduce((a, t) => a + t.limits[k], 0);
        const max = (k: keyof LimitCounters): number => sync.reduce((a, t) => Math.max(a, t.limits[k]), 0);
        let window5 = 0;
        for (const t of sync) {
            const inWindow = sync
                .filter((u) => u.at >= t.at && u.at < t.at + 300000)
                .reduce((a, u) => a + u.limits.callouts, 0);
            window5 = Math.max(window5, inWindow);
        }
        process.stdout.write(
            `\n=== ${total.toLocaleString('en-US')} reviews (${service} service, ${product} product) ===\n`
        );
        for (const l of lines) process.stdout.write(`  ${l}\n`);
        process.stdout.write(`  transactions (job links):        ${sync.length}\n`);
        process.stdout.write(
            `  callouts total:                  ${sum('callouts')} (review pages needed: ${pagesExpected}, +1 business unit refresh)\n`
        );
        process.stdout.write(
            `  per transaction  max / limit:     callouts ${max('callouts')}/100, SOQL ${max('queries')}/200, DML statements ${max('dmlStatements')}/150, DML rows ${max('dmlRows')}/10000\n`
        );
        process.stdout.write(
            `  per transaction  average:         callouts ${(sum('callouts') / sync.length).toFixed(1)}, SOQL ${(sum('queries') / sync.length).toFixed(1)}, DML statements ${(sum('dmlStatements') / sync.length).toFixed(1)}, DML rows ${(sum('dmlRows') / sync.length).toFixed(1)}\n`
        );
        process.stdout.write(`  busiest 5 minutes of calls:      ${window5} (Trustpilot allows 833)\n`);
        process.stdout.write(
            `  simulated duration:              ${((sync.at(-1)?.at ?? 0) - (sync[0]?.at ?? 0)) / 1000} s\n`
        );
        for (const [i, t] of sync.entries()) {
            if (i < 3 || i >= sync.length - 2) {
                const l = t.limits;
                process.stdout.write(
                    `    tx ${String(i + 1).padStart(3)}: callouts ${l.callouts}, SOQL ${l.queries}, DML ${l.dmlStatements} statements / ${l.dmlRows} rows\n`
                );
            } else if (i === 3) process.stdout.write('    ...\n');
        }
    } finally {
        child.kill();
    }
}

if (process.argv[2] === '--serve') {
    serve(Number(process.argv[3]), Number(process.argv[4]));
} else if (process.argv[2] === '--run') {
    await run(Number(process.argv[3]));
} else {
    // one process per volume: the runtime keeps stored credentials per process
    const volumes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1000, 10000];
    for (const v of volumes) {
        const child = spawn(
            process.execPath,
            ['--import', 'tsx', fileURLToPath(import.meta.url), '--run', String(v)],
            {
                stdio: 'inherit'
            }
        );
        const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
        if (code !== 0) process.exit(code ?? 1);
    }
}

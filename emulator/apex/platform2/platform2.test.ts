/**
 * Tests of the second-tier platform library that need more than anonymous Apex: callouts outside tests
 * through a Named Credential (OAuth client-credentials exchange, then the call with the bearer token)
 * against a local HTTP server, the API key header of a Custom External Credential, and cron parsing.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { ApexRuntime } from '../index.js';
import { nextFireTime, parseCron } from './cron.js';
import { urlDecode, urlEncode } from './crypto.js';
import { setCalloutRewrite } from './http.js';

// A tiny server in its own process (callouts block this one): records what it receives, answers JSON.
const SERVER = `
const http = require('node:http');
const seen = [];
const s = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c)).on('end', () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization || null, apikey: req.headers.apikey || null, body });
        res.setHeader('Content-Type', 'application/json');
        if (req.url.endsWith('/accesstoken')) return res.end(JSON.stringify({ access_token: 'tok-123', expires_in: 3600 }));
        if (req.url === '/seen') return res.end(JSON.stringify(seen));
        res.statusCode = 200;
        res.end(JSON.stringify({ ok: true }));
    });
});
s.listen(0, '127.0.0.1', () => console.log(s.address().port));
`;

describe('callouts outside tests', () => {
    let server: ChildProcess;
    let base = '';
    let rt: ApexRuntime;
    before(async () => {
        server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
        base = await new Promise<string>((resolve) =>
            server.stdout!.once('data', (d: Buffer) => resolve(`http://127.0.0.1:${String(d).trim()}`))
        );
        setCalloutRewrite({
            'https://api.trustpilot.com': base,
            'https://invitations-api.trustpilot.com': `${base}/inv`,
            [base]: base
        });
        rt = await ApexRuntime.create({ sourceDirs: [], debug: () => undefined });
    });
    after(() => {
        setCalloutRewrite(null);
        server.kill();
    });

    it('exchanges client credentials for a token and sends it as a bearer token', () => {
        const res = rt.runAnonymous(`
            ConnectApi.CredentialInput c = new ConnectApi.CredentialInput();
            c.externalCredential = 'Trustpilot';
            c.principalName = 'TrustpilotPrincipal';
            c.principalType = ConnectApi.CredentialPrincipalType.NamedPrincipal;
            c.authenticationProtocol = ConnectApi.CredentialAuthenticationProtocol.OAuth;
            ConnectApi.CredentialValueInput id = new ConnectApi.CredentialValueInput();
            id.value = 'my-key';
            ConnectApi.CredentialValueInput secret = new ConnectApi.CredentialValueInput();
            secret.value = 'my-secret';
            c.credentials = new Map<String, ConnectApi.CredentialValueInput>{ 'clientId' => id, 'clientSecret' => secret };
            ConnectApi.NamedCredentials.createCredential(c);
            HttpRequest req = new HttpRequest();
            req.setEndpoint('callout:Trustpilot_API/v1/business-units/find?name=x');
            req.setMethod('GET');
            HttpResponse r = new Http().send(req);
            System.debug(r.getStatusCode() + ' ' + r.getBody());
        `);
        assert.equal(res.ok, true, res.error);
        assert.deepEqual(res.debug, ['200 {"ok":true}']);
        const seen = JSON.parse(
            rt.runAnonymous(`
            HttpRequest req = new HttpRequest();
            req.setEndpoint('${base}/seen');
            req.setMethod('GET');
            System.debug(new Http().send(req).getBody());
        `).debug[0]
        ) as { method: string; url: string; auth: string | null; body: string }[];
        assert.equal(seen[0].method, 'POST');
        assert.match(seen[0].url, /accesstoken$/);
        assert.equal(seen[0].auth, 'Basic ' + Buffer.from('my-key:my-secret').toString('base64'));
        assert.equal(seen[0].body, 'grant_type=client_credentials');
        assert.equal(seen[1].url, '/v1/business-units/find?name=x');
        assert.equal(seen[1].auth, 'Bearer tok-123');
    });

    it('fails loudly for an endpoint with no local base URL', () => {
        const res = rt.runAnonymous(`
            HttpRequest req = new HttpRequest();
            req.setEndpoint('https://example.invalid/x');
            req.setMethod('GET');
            new Http().send(req);
        `);
        assert.equal(res.ok, false);
        assert.match(res.error ?? '', /no local endpoint configured for https:\/\/example.invalid\/x/);
    });
});

describe('cron expressions (Apex Scheduler)', () => {
    it('fires daily at the given hour', () => {
        const t = nextFireTime(parseCron('0 0 3 * * ?'), Date.UTC(2026, 0, 1, 4, 0, 0));
        assert.equal(new Date(t!).toISOString(), '2026-01-02T03:00:00.000Z');
    });
    it('supports lists, ranges, steps and day names', () => {
        const t = nextFireTime(parseCron('0 15,45 9-17/4 ? * MON-FRI'), Date.UTC(2026, 0, 3, 0, 0, 0)); // a Saturday
        assert.equal(new Date(t!).toISOString(), '2026-01-05T09:15:00.000Z');
    });
    it('rejects both day-of-month and day-of-week', () => {
        assert.throws(() => parseCron('0 0 3 1 * MON'), /day-of-week AND a day-of-month/);
    });
});

describe('EncodingUtil URL encoding (application/x-www-form-urlencoded)', () => {
    it('round-trips UTF-8 text', () => {
        assert.equal(urlEncode('å b+c'), '%C3%A5+b%2Bc');
        assert.equal(urlDecode('%C3%A5+b%2Bc'), 'å b+c');
    });
});

describe('each top-level transaction starts clean', () => {
    it('setup-object DML in one anonymous run does not make the next run by the same user mixed DML', async () => {
        // "DML operations on certain sObjects ... can't be mixed with DML on non-setup sObjects in the same
        // transaction" (Apex Developer Guide, "sObjects That Can't Be Used Together in DML Operations"):
        // separate transactions may each use either kind.
        const rt = await ApexRuntime.create({ sourceDirs: [], debug: () => undefined });
        const setup = rt.runAnonymous(`
            PermissionSet ps = [SELECT Id FROM PermissionSet LIMIT 1];
            insert new PermissionSetAssignment(AssigneeId = UserInfo.getUserId(), PermissionSetId = ps.Id);
        `);
        assert.equal(setup.ok, true, setup.error);
        const other = rt.runAnonymous(
            `insert new Account(Name = 'next transaction'); System.debug('saved');`
        );
        assert.equal(other.ok, true, other.error);
        assert.deepEqual(other.debug, ['saved']);
        const mixed = rt.runAnonymous(`
            PermissionSet ps = [SELECT Id FROM PermissionSet LIMIT 1];
            insert new Account(Name = 'same transaction');
            insert new PermissionSetAssignment(AssigneeId = UserInfo.getUserId(), PermissionSetId = ps.Id);
        `);
        assert.match(mixed.error ?? '', /MIXED_DML_OPERATION/, 'within one transaction it is still refused');
    });
});

describe('Queueable chains outside tests', () => {
    // "Queueable Apex" (Apex Developer Guide): no limit is enforced on the depth of chained jobs; for
    // Developer Edition and Trial orgs the maximum stack depth of chained jobs is 5 (the parent job plus
    // four chained ones). The local org is a production org unless the host says otherwise.
    const CHAIN = `
        public class Chain implements Queueable {
            Integer n;
            public Chain(Integer n) { this.n = n; }
            public void execute(QueueableContext c) {
                insert new Account(Name = 'job ' + n);
                if (n < 7) System.enqueueJob(new Chain(n + 1));
            }
        }
        System.enqueueJob(new Chain(1));
    `;
    async function runChain(depth: number | null): Promise<{ accounts: string; errors: string[] }> {
        const { tick } = await import('./scheduler.js');
        const { sideOf } = await import('../data/index.js');
        const rt = await ApexRuntime.create({ sourceDirs: [], debug: () => undefined });
        sideOf(rt.interp).defaultQueueableStackDepth = depth;
        const enq = rt.runAnonymous(CHAIN);
        assert.equal(enq.ok, true, enq.error);
        const errors: string[] = [];
        for (let i = 0; i < 10; i++) errors.push(...tick(rt).errors);
        const failed = rt.runAnonymous(
            `System.debug([SELECT COUNT() FROM AsyncApexJob WHERE Status = 'Failed']);`
        ).debug[0];
        const accounts = rt.runAnonymous(`System.debug([SELECT COUNT() FROM Account]);`).debug[0];
        return { accounts: `${accounts}/${failed}`, errors };
    }

    it('a production org runs a chain deeper than 5 to its end', async () => {
        const r = await runChain(null);
        assert.equal(r.accounts, '7/0', 'seven chained jobs each insert one Account, none fails');
        assert.deepEqual(r.errors, []);
    });

    it('a Developer Edition default of 5 stops the sixth job', async () => {
        const r = await runChain(5);
        // Jobs 1-4 commit; job 5 fails enqueuing job 6 (AsyncException) and its own insert rolls back.
        assert.equal(
            r.accounts,
            '4/1',
            'the fifth job fails when it chains a sixth and rolls back its insert'
        );
    });
});

describe('local scheduler (outside tests)', () => {
    it('runs queued Queueables after their transaction and fires due schedules', async () => {
        const { tick } = await import('./scheduler.js');
        const rt = await ApexRuntime.create({ sourceDirs: [], debug: () => undefined });
        const enq = rt.runAnonymous(`
            public class Q implements Queueable {
                public void execute(QueueableContext c) { insert new Account(Name = 'queued'); }
            }
            public class S implements Schedulable {
                public void execute(SchedulableContext c) { insert new Account(Name = 'scheduled'); }
            }
            System.enqueueJob(new Q());
            System.schedule('every day at 3', '0 0 3 * * ?', new S());
        `);
        assert.equal(enq.ok, true, enq.error);
        const count = () => rt.runAnonymous(`System.debug([SELECT COUNT() FROM Account]);`).debug[0];
        assert.equal(count(), '0', 'nothing runs inside the enqueuing transaction');
        assert.deepEqual(tick(rt), { jobs: 1, scheduled: 0, errors: [] });
        assert.equal(count(), '1');
        rt.interp.clock += 24 * 3600 * 1000;
        assert.deepEqual(tick(rt), { jobs: 0, scheduled: 1, errors: [] });
        assert.equal(count(), '2');
    });
});

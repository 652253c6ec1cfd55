/**
 * Real (non-mock) callout timeouts against the Trustpilot simulator, whose "slow response" fault
 * (`POST /_admin/faults` with `delayMs`) is switched on per test:
 * - a callout that outlives its own timeout throws `CalloutException: Read timed out` at that timeout;
 * - the time real callouts take is added up per transaction, and a callout is cut short where the 120 s
 *   of the transaction run out ("The maximum cumulative timeout for callouts by a single Apex transaction
 *   is 120 seconds", Apex Developer Guide, "Callout Limits and Limitations",
 *   https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_callouts_timeouts.htm);
 * - the package's TrustpilotClient sets its own timeout and turns a timeout into its retryable error.
 * The simulator runs in its own process: a callout blocks this one until it returns.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApexRuntime } from '../index.js';
import { DEMO_DOMAIN } from '../../trustpilot/seed.ts';
import { MAX_CALLOUT_TIME_MS, setCalloutRewrite } from './http.js';

const SIMULATOR = new URL('../../trustpilot/server.ts', import.meta.url).href;

function startSimulator(stateFile: string): Promise<{ child: ChildProcess; url: string }> {
    const code = `const { startSimulator } = await import(${JSON.stringify(SIMULATOR)});
const sim = await startSimulator({ port: 0, stateFile: ${JSON.stringify(stateFile)} });
console.log(sim.url);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
        stdio: ['ignore', 'pipe', 'inherit']
    });
    return new Promise((resolve, reject) => {
        child.stdout!.once('data', (d: Buffer) => resolve({ child, url: d.toString().trim() }));
        child.once('exit', (c) => reject(new Error(`simulator exited (${c})`)));
    });
}

// The public API's key, as an admin stores it in the External Credential's principal after install.
const STORE_API_KEY = `
ConnectApi.CredentialInput c = new ConnectApi.CredentialInput();
c.externalCredential = 'Trustpilot_ApiKey';
c.principalName = 'TrustpilotApiKeyPrincipal';
c.principalType = ConnectApi.CredentialPrincipalType.NamedPrincipal;
c.authenticationProtocol = ConnectApi.CredentialAuthenticationProtocol.Custom;
ConnectApi.CredentialValueInput key = new ConnectApi.CredentialValueInput();
key.value = 'demo-api-key';
c.credentials = new Map<String, ConnectApi.CredentialValueInput>{ 'ApiKey' => key };
ConnectApi.NamedCredentials.createCredential(c);
`;

/** Anonymous Apex: one GET of the business-unit lookup with the given timeout (null: the default). */
const lookup = (timeoutMs: number | null) => `{
    HttpRequest req = new HttpRequest();
    req.setEndpoint('callout:Trustpilot_Public_API/v1/business-units/find?name=${DEMO_DOMAIN}');
    req.setMethod('GET');
    ${timeoutMs === null ? '' : `req.setTimeout(${timeoutMs});`}
    try {
        System.debug(new Http().send(req).getStatusCode());
    } catch (CalloutException e) {
        System.debug(e.getTypeName() + ': ' + e.getMessage());
    }
}
`;

describe('callout timeouts against the Trustpilot simulator', () => {
    let sim: ChildProcess;
    let url = '';
    let dir = '';
    let rt: ApexRuntime;

    const fault = async (delayMs: number, times = 1) => {
        const res = await fetch(`${url}/_admin/faults`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify([{ route: 'businessUnits.find', delayMs, times }])
        });
        assert.equal(res.status < 300, true, `fault not accepted: ${res.status}`);
    };
    /** Runs anonymous Apex; `usedBefore` ms of callout time are already spent in the transaction. */
    const run = (source: string, usedBefore = 0) => {
        const prepared = rt.prepareAnonymous(source, 'callout-timeout.apex');
        const started = performance.now();
        const res = rt.runPrepared(() => {
            rt.interp.limits.calloutTime = usedBefore;
            prepared();
        });
        return { ...res, wallMs: performance.now() - started, calloutTime: rt.interp.limits.calloutTime };
    };

    before(async () => {
        dir = mkdtempSync(join(tmpdir(), 'callout-timeout-'));
        ({ child: sim, url } = await startSimulator(join(dir, 'state.json')));
        setCalloutRewrite({
            'https://api.trustpilot.com': url,
            'https://invitations-api.trustpilot.com': url
        });
        rt = await ApexRuntime.create({ debug: () => undefined });
        assert.deepEqual(rt.problems, [], 'the package loads');
        const stored = rt.runAnonymous(STORE_API_KEY);
        assert.equal(stored.ok, true, stored.error);
    });
    beforeEach(async () => {
        await fetch(`${url}/_admin/faults`, { method: 'DELETE' });
    });
    after(() => {
        setCalloutRewrite(null);
        sim.kill();
        rmSync(dir, { recursive: true, force: true });
    });

    it('a prompt answer is a response, and its time counts toward the transaction', () => {
        const res = run(lookup(null));
        assert.equal(res.ok, true, res.error);
        assert.deepEqual(res.debug, ['200']);
        assert.ok(res.calloutTime > 0, 'the callout took some time');
        assert.ok(res.calloutTime < 10000, `counted ${res.calloutTime} ms`);
    });

    it('a response slower than the request timeout is "Read timed out" at that timeout', async () => {
        await fault(10000);
        const res = run(lookup(500));
        assert.equal(res.ok, true, res.error);
        assert.deepEqual(res.debug, ['System.CalloutException: Read timed out']);
        assert.ok(res.calloutTime >= 500 && res.calloutTime < 3000, `counted ${res.calloutTime} ms`);
        assert.ok(res.wallMs < 8000, `gave up after ${Math.round(res.wallMs)} ms, not at the 10 s answer`);
    });

    it('a callout is cut short where the 120 s of the transaction run out, and no later one starts', async () => {
        await fault(10000);
        const used = MAX_CALLOUT_TIME_MS - 800;
        const res = run(lookup(20000) + lookup(20000), used);
        assert.equal(res.ok, true, res.error);
        const budget = `System.CalloutException: Exceeded maximum time allotted for callout (${MAX_CALLOUT_TIME_MS} ms)`;
        assert.deepEqual(res.debug, [budget, budget]);
        assert.equal(res.calloutTime, MAX_CALLOUT_TIME_MS);
        assert.ok(res.wallMs < 8000, `gave up after ${Math.round(res.wallMs)} ms (800 ms were left)`);
    });

    it('each transaction has its own 120 s', () => {
        const res = run(lookup(null));
        assert.deepEqual(res.debug, ['200']);
        assert.ok(res.calloutTime < 10000, `a new transaction starts from 0 (counted ${res.calloutTime} ms)`);
    });

    it("TrustpilotClient's 15 s timeout ends a slow call with its retryable error", async () => {
        await fault(17000);
        const res = run(`
            Assert.areEqual(15000, TrustpilotClient.TIMEOUT_MS, 'the timeout this test waits for');
            try {
                new TrustpilotClient().findBusinessUnit('${DEMO_DOMAIN}');
                System.debug('no exception');
            } catch (TrustpilotApiException e) {
                System.debug(e.isRetryable() + ' ' + e.getStatusCode() + ' ' + e.getCause().getMessage());
            }
        `);
        assert.equal(res.ok, true, res.error);
        assert.deepEqual(res.debug, ['true 0 Read timed out']);
        assert.ok(res.calloutTime >= 15000 && res.calloutTime < 16500, `counted ${res.calloutTime} ms`);
    });
});

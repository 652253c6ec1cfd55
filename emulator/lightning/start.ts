/**
 * `npm start`: the product on this machine — builds what changed, starts the Trustpilot simulator
 * and the Lightning preview, opens (or seeds) the demo org in the local Apex runtime, prints the URL.
 *
 * Ports: PREVIEW_PORT (default 4717), TRUSTPILOT_SIM_PORT (default 4718). State: `.state/`
 * (org.json, trustpilot.json); delete the folder to start from a fresh demo org.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ROOT } from '../../scripts/lib/files.ts';
import { loadProjectSchema } from '../apex/data/schema.ts';
import { DEFAULT_SIM_PORT } from '../trustpilot/server.ts';
import { previewUpToDate } from './build.ts';
import { demoSeedApex, permissionSeedApex } from './demo-seed.ts';
import { openOrg, type PreviewOrg } from './org.ts';
import { startPreviewServer, type PreviewServer } from './server.ts';

export const DEFAULT_PREVIEW_PORT = 4717;
/** PREVIEW_STATE_DIR lets the end-to-end tests run a throw-away org beside a user's own. */
const STATE_DIR = resolve(process.env.PREVIEW_STATE_DIR ?? join(ROOT, '.state'));
const PID_FILE = join(STATE_DIR, 'start.pid');
/** How often due async work (queueables, scheduled jobs) is run, like the platform's queue. */
const JOB_TICK_MS = 2_000;

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
}

/** Refuses a second instance; a stale pid file (process gone) is taken over. */
function claimInstance(url: string): void {
    mkdirSync(STATE_DIR, { recursive: true });
    if (existsSync(PID_FILE)) {
        const [pidText, runningUrl] = readFileSync(PID_FILE, 'utf8').split('\n');
        const pid = Number(pidText);
        if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) {
            console.error(
                `npm start is already running (process ${pid}) at ${runningUrl ?? url}.\nOpen that URL, or stop the other one with Ctrl-C first.`
            );
            process.exit(1);
        }
    }
    writeFileSync(PID_FILE, `${process.pid}\n${url}\n`);
    process.on('exit', () => {
        if (existsSync(PID_FILE) && readFileSync(PID_FILE, 'utf8').startsWith(`${process.pid}\n`))
            rmSync(PID_FILE, { force: true });
    });
}

/**
 * Builds the preview (LWC TypeScript, then the bundle) in a child process when `.preview/` is missing or
 * older than its sources, so the build uses the second core while this process opens the org. Resolves
 * with an error message when the build fails. `npm install` normally did this already (`prepare`).
 */
function buildIfNeeded(): Promise<string | null> {
    if (previewUpToDate()) {
        console.log('Preview is up to date (.preview/).');
        return Promise.resolve(null);
    }
    console.log('Building the Lightning preview (.preview/ is missing or older than its sources)…');
    const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'emulator/lightning/build.ts'), '--lwc'],
        { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] }
    );
    // Leaving early (a port in use, the runtime failing) must not leave the build running.
    const stopBuild = () => child.kill('SIGTERM');
    process.once('exit', stopBuild);
    child.once('exit', () => process.off('exit', stopBuild));
    return new Promise((done) => {
        child.once('error', (e) => done(`the preview build could not start: ${e.message}`));
        child.once('exit', (code) =>
            done(
                code === 0
                    ? null
                    : 'The preview build failed (see above): fix the errors, then run npm start again.'
            )
        );
    });
}

interface SimulatorProcess {
    url: string;
    close(): Promise<void>;
}

/**
 * The simulator runs in its own process: the runtime's callouts are synchronous (the platform's
 * HTTP is blocking too), so a simulator in this process could not answer them.
 */
function spawnSimulator(port: number, stateFile: string): Promise<SimulatorProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'emulator/trustpilot/main.ts')], {
        cwd: ROOT,
        env: { ...process.env, TRUSTPILOT_SIM_PORT: String(port), TRUSTPILOT_SIM_STATE: stateFile },
        stdio: ['ignore', 'pipe', 'pipe']
    });
    let output = '';
    return new Promise((resolve, reject) => {
        const onData = (chunk: Buffer) => {
            output += chunk.toString('utf8');
            const m = /Trustpilot simulator on (http:\/\/\S+)/.exec(output);
            if (m?.[1]) {
                child.stdout.off('data', onData);
                resolve({
                    url: m[1],
                    close: () =>
                        new Promise<void>((done) => {
                            if (child.exitCode !== null) return done();
                            child.once('exit', () => done());
                            child.kill('SIGTERM');
                        })
                });
            }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', (chunk: Buffer) => {
            output += chunk.toString('utf8');
        });
        child.once('exit', (code) =>
            reject(new Error(output.trim() || `the simulator exited with code ${String(code)}`))
        );
    });
}

function portInUse(port: number, name: string, variable: string): never {
    console.error(
        `Port ${port} (${name}) is already in use by another program. Stop it, or choose another port: ${variable}=<port> npm start`
    );
    process.exit(1);
}

export async function main(): Promise<void> {
    const previewPort = Number(process.env.PREVIEW_PORT ?? DEFAULT_PREVIEW_PORT);
    const simPort = Number(process.env.TRUSTPILOT_SIM_PORT ?? DEFAULT_SIM_PORT);
    const url = `http://127.0.0.1:${previewPort}`;
    const stateRel = relative(process.cwd(), STATE_DIR);
    const stateShown = stateRel.startsWith('..') || isAbsolute(stateRel) ? STATE_DIR : `${stateRel || '.'}/`;
    claimInstance(url);
    const built = buildIfNeeded();

    let sim: SimulatorProcess;
    try {
        sim = await spawnSimulator(simPort, join(STATE_DIR, 'trustpilot.json'));
    } catch (e) {
        console.error((e as Error).message);
        process.exit(1);
    }

    const schema = loadProjectSchema();
    const stateFile = join(STATE_DIR, 'org.json');
    const fresh = !existsSync(stateFile);
    let org: PreviewOrg | null = null;
    let orgError: string | null = null;
    try {
        const urls = {
            Trustpilot_API: sim.url,
            Trustpilot_Invitations_API: sim.url,
            Trustpilot_Public_API: sim.url
        };
        org = await openOrg({ namedCredentialUrls: urls, stateFile }, schema);
        if (fresh) {
            console.log(
                'Seeding the demo org (permission sets, accounts, contacts, products, opportunities, orders, cases)…'
            );
            await org.runAnonymous(permissionSeedApex());
            await org.runAnonymous(demoSeedApex());
            org.save(stateFile);
        }
    } catch (e) {
        org = null;
        orgError = `The local Apex runtime cannot run the package yet: ${(e as Error).message}`;
        console.warn(
            `\nWARNING: ${orgError}\nPages render, but every server call answers with this error.\n`
        );
    }

    const buildError = await built;
    if (buildError) {
        console.error(buildError);
        await sim.close();
        process.exit(1);
    }

    let preview: PreviewServer;
    try {
        preview = await startPreviewServer({
            port: previewPort,
            org,
            orgError,
            schema,
            simulatorUrl: sim.url,
            stateFile
        });
    } catch (e) {
        await sim.close();
        if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
            portInUse(previewPort, 'Lightning preview', 'PREVIEW_PORT');
        throw e;
    }

    let ticking = false;
    const tick = setInterval(() => {
        if (!org || ticking) return;
        ticking = true;
        org.advanceClock(0)
            .catch((e: unknown) => console.error(`async jobs: ${(e as Error).message}`))
            .finally(() => {
                ticking = false;
            });
    }, JOB_TICK_MS);

    console.log(`
Trustpilot for Salesforce — local preview (ready ${process.uptime().toFixed(1)} s after start)

  App:                  ${preview.url}
  Trustpilot simulator: ${sim.url}/_admin
  Connect in Settings with API key "demo-api-key", secret "demo-api-secret",
  domain "northwind-outfitters.example", business user id "6a2b4c6d8e0f1a2b3c4d5e6f".
  State: ${stateShown} (delete it to reset the demo org)

Press Ctrl-C to stop.`);

    let stopping = false;
    const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`\n${signal}: stopping… (state kept in ${stateShown})`);
        clearInterval(tick);
        await preview.close();
        await sim.close();
        org?.save(stateFile);
        rmSync(PID_FILE, { force: true });
        console.log('Stopped.');
        process.exit(0);
    };
    process.on('SIGINT', () => void stop('Ctrl-C'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
    await main();
}

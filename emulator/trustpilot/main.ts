/**
 * `npm run sim`: the Trustpilot simulator alone, on 127.0.0.1.
 * Port: `TRUSTPILOT_SIM_PORT` (default 4718). State: `.state/trustpilot.json` (delete it to reset).
 */
import { resolve } from 'node:path';
import { DEMO_BUSINESS_UNIT_ID, DEMO_BUSINESS_USER_ID, DEMO_DOMAIN } from './seed.ts';
import { DEFAULT_SIM_PORT, DEMO_API_KEY, DEMO_API_SECRET, startSimulator } from './server.ts';

async function main(): Promise<void> {
    const port = Number(process.env.TRUSTPILOT_SIM_PORT ?? DEFAULT_SIM_PORT);
    const stateFile = resolve(process.env.TRUSTPILOT_SIM_STATE ?? '.state/trustpilot.json');
    let sim;
    try {
        sim = await startSimulator({ port, stateFile });
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
            console.error(
                `Port ${port} is already in use: is the simulator (or npm start) already running? Stop it, or set TRUSTPILOT_SIM_PORT.`
            );
            process.exit(1);
        }
        throw e;
    }
    console.log(`Trustpilot simulator on ${sim.url}
  API key / secret : ${DEMO_API_KEY} / ${DEMO_API_SECRET}
  domain           : ${DEMO_DOMAIN} (business unit ${DEMO_BUSINESS_UNIT_ID})
  business user id : ${DEMO_BUSINESS_USER_ID}
  admin            : ${sim.url}/_admin  (requests, faults, invitations, replies, bgl/verify)
  state            : ${stateFile}
Ctrl-C stops it.`);
    const stop = () => {
        console.log('\nStopping the Trustpilot simulator.');
        void sim.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
    await main();
}

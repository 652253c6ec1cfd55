/**
 * `npm run org:create -- [--target-dev-hub HUB] [--alias ALIAS] [--duration-days N] [--dry-run]`
 *
 * Creates a scratch org from config/project-scratch-def.json, deploys the package (after building the
 * LWC JavaScript) and assigns both permission sets to the org's admin user. Each step is an sf CLI
 * command (flags as listed by `sf <command> --help`, sf 2.146); --dry-run prints them without running.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../lib/files.ts';

export const PERMISSION_SETS = ['Trustpilot_App_Super_User', 'Trustpilot_App_User'];

export function orgCreateCommands(argv: string[]): string[][] {
    const { values } = parseArgs({
        args: argv,
        options: {
            'target-dev-hub': { type: 'string', short: 'v' },
            alias: { type: 'string', short: 'a', default: 'trustpilot-scratch' },
            'duration-days': { type: 'string', short: 'y', default: '7' },
            'dry-run': { type: 'boolean', default: false }
        },
        strict: true
    });
    const alias = values.alias!;
    const hub = values['target-dev-hub'] ? ['--target-dev-hub', values['target-dev-hub']] : [];
    return [
        ['npm', 'run', 'build'],
        [
            'sf',
            'org',
            'create',
            'scratch',
            '--definition-file',
            'config/project-scratch-def.json',
            '--alias',
            alias,
            '--duration-days',
            values['duration-days']!,
            '--wait',
            '30',
            ...hub
        ],
        [
            'sf',
            'project',
            'deploy',
            'start',
            '--source-dir',
            'force-app',
            '--target-org',
            alias,
            '--wait',
            '30'
        ],
        [
            'sf',
            'org',
            'assign',
            'permset',
            ...PERMISSION_SETS.flatMap((p) => ['--name', p]),
            '--target-org',
            alias
        ]
    ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const argv = process.argv.slice(2);
    const commands = orgCreateCommands(argv);
    const dryRun = argv.includes('--dry-run');
    for (const [command, ...args] of commands) {
        console.log(`$ ${[command, ...args].join(' ')}`);
        if (dryRun) continue;
        const bin = command === 'sf' ? join(ROOT, 'node_modules/.bin/sf') : command!;
        const run = spawnSync(bin, args, { cwd: ROOT, stdio: 'inherit' });
        if (run.status !== 0) process.exit(run.status ?? 1);
    }
}

/**
 * The org scripts (deploy, org:create, test:org, package:version) cannot run here (no org), so this
 * proves what can be proven offline: every sf command they run exists and every flag they pass,
 * including the one the user appends (`-- --target-org ALIAS` / `-- --target-dev-hub HUB`), is listed
 * by that command's `--help` in the pinned sf CLI.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ROOT } from '../../lib/files.ts';
import { orgCreateCommands } from '../../org/create.ts';

const scripts = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;
const helpCache = new Map<string, string>();

/** Loads `sf <command> --help` for all the commands at once (each sf start takes seconds). */
async function loadHelp(commands: string[][]): Promise<void> {
    const run = promisify(execFile);
    await Promise.all(
        commands.map(async (command) => {
            const { stdout } = await run(join(ROOT, 'node_modules/.bin/sf'), [...command, '--help'], {
                cwd: ROOT,
                maxBuffer: 8 * 1024 * 1024,
                env: {
                    ...process.env,
                    SF_DISABLE_TELEMETRY: 'true',
                    SF_AUTOUPDATE_DISABLE: 'true',
                    NO_COLOR: '1'
                }
            });
            helpCache.set(command.join(' '), stdout);
        })
    );
}

function help(command: string[]): string {
    const text = helpCache.get(command.join(' '));
    assert.ok(text !== undefined, `no help loaded for sf ${command.join(' ')}`);
    return text;
}

/** Splits `sf a b --x 1 --y` into the command words and the flags. */
function sfInvocation(words: string[]): { command: string[]; flags: string[] } {
    const firstFlag = words.findIndex((w) => w.startsWith('-'));
    const command = words.slice(1, firstFlag < 0 ? undefined : firstFlag);
    const flags = words.filter((w) => w.startsWith('--')).map((w) => w.split('=')[0]!);
    return { command, flags };
}

function assertFlagsExist(words: string[]): void {
    const { command, flags } = sfInvocation(words);
    const text = help(command);
    for (const flag of flags) {
        assert.match(
            text,
            new RegExp(`(^|[\\s,])${flag}(=|\\s|$)`, 'm'),
            `sf ${command.join(' ')} has no ${flag}`
        );
    }
}

/** The sf part of an npm script (after `&&`), with quoted arguments kept whole. */
function sfWordsOf(script: string): string[] {
    const sfPart = script
        .split('&&')
        .map((s) => s.trim())
        .find((s) => s.startsWith('sf '))!;
    return (sfPart.match(/"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^"|"$/g, ''));
}

describe('org scripts use only real sf commands and flags', () => {
    before(() =>
        loadHelp([
            ['project', 'deploy', 'start'],
            ['apex', 'run', 'test'],
            ['package', 'version', 'create'],
            ['org', 'create', 'scratch'],
            ['org', 'assign', 'permset']
        ])
    );

    it('deploy (user adds --target-org)', () => {
        assertFlagsExist([...sfWordsOf(scripts.deploy!), '--target-org', 'ALIAS']);
    });

    it('test:org (user adds --target-org)', () => {
        const words = sfWordsOf(scripts['test:org']!);
        assert.ok(words.includes('--code-coverage'), 'test:org must report code coverage');
        assertFlagsExist([...words, '--target-org', 'ALIAS']);
    });

    it('package:version (user adds --target-dev-hub)', () => {
        const words = sfWordsOf(scripts['package:version']!);
        assert.ok(
            words.includes('--code-coverage'),
            'package:version must compute code coverage (required to promote)'
        );
        assertFlagsExist([...words, '--target-dev-hub', 'HUB']);
    });

    it('org:create (scratch org, deploy, permission sets)', () => {
        const commands = orgCreateCommands(['--target-dev-hub', 'HUB', '--alias', 'tp']);
        const sf = commands.filter((c) => c[0] === 'sf');
        assert.deepEqual(
            sf.map((c) => sfInvocation(c).command.join(' ')),
            ['org create scratch', 'project deploy start', 'org assign permset']
        );
        for (const words of sf) assertFlagsExist(words);
    });
});

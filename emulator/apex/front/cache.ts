/**
 * On-disk cache of lowered syntax trees, so that loading the package does not re-parse unchanged files.
 *
 * Key: SHA-256 of (runtime version, kind, file path as shown, source text). The runtime version is the hash of
 * the front end's own sources (parse.ts, lower.ts, ast.ts, this file) and the pinned apex-parser version, so
 * any change to how trees are produced invalidates every entry. Entries are written with v8.serialize (plain
 * objects, Map, Set, bigint) via a temporary file and a rename; an unreadable entry is ignored and rewritten.
 * The ANTLR subtree of SOQL/SOSL nodes (`tree`, `bindIndex`) is only used while lowering, so it is dropped
 * from every unit (cached or not: a cold and a warm load give the same tree).
 * Location: `node_modules/.cache/apex-runtime` of the repository (git-ignored); `APEX_CACHE=off` disables it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { CompilationUnit } from './ast.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CACHE_DIR = join(HERE, '..', '..', '..', 'node_modules', '.cache', 'apex-runtime');

let version: string | undefined;
function runtimeVersion(): string {
    if (version === undefined) {
        const h = createHash('sha256');
        for (const f of ['parse.ts', 'lower.ts', 'ast.ts', 'cache.ts']) h.update(readFileSync(join(HERE, f)));
        const pkg = join(
            HERE,
            '..',
            '..',
            '..',
            'node_modules',
            '@apexdevtools',
            'apex-parser',
            'package.json'
        );
        h.update((JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version);
        version = h.digest('hex');
    }
    return version;
}

/** Removes the ANTLR parse tree kept on SOQL/SOSL nodes (not serialisable, unused after lowering). */
function stripParseTrees(node: unknown, seen = new Set<object>()): void {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (node instanceof Map) {
        for (const v of node.values()) stripParseTrees(v, seen);
        return;
    }
    if (node instanceof Set) return;
    const o = node as Record<string, unknown>;
    if ((o.kind === 'soql' || o.kind === 'sosl') && 'tree' in o) {
        o.tree = null;
        o.bindIndex = new Map();
    }
    for (const v of Object.values(o)) stripParseTrees(v, seen);
}

/** Lowers `source` with `lower`, or returns the cached tree of an identical earlier input. */
export function cachedLower(
    kind: string,
    file: string,
    source: string,
    lower: (file: string, source: string) => CompilationUnit
): CompilationUnit {
    const off = process.env.APEX_CACHE === 'off';
    const key = off
        ? ''
        : createHash('sha256').update(`${runtimeVersion()}\0${kind}\0${file}\0`).update(source).digest('hex');
    const path = join(CACHE_DIR, `${key}.bin`);
    if (!off) {
        try {
            return deserialize(readFileSync(path)) as CompilationUnit;
        } catch {
            // Missing or unreadable entry: lower and (re)write it.
        }
    }
    const unit = lower(file, source);
    stripParseTrees(unit);
    if (!off) {
        try {
            mkdirSync(CACHE_DIR, { recursive: true });
            const tmp = `${path}.${process.pid}.tmp`;
            writeFileSync(tmp, serialize(unit));
            renameSync(tmp, path);
        } catch {
            // A read-only or full disk only costs the cache.
        }
    }
    return unit;
}

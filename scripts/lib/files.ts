/** File discovery shared by the build and the gates. Paths returned are relative to the repository root. */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const SKIP_DIRS = new Set(['node_modules', '.git', '.sf', '.sfdx', 'coverage', 'out']);

/** Every file under `dir` (absolute or root-relative) whose root-relative path passes `accept`. */
export function walk(dir: string, accept: (rel: string) => boolean = () => true): string[] {
    const base = dir.startsWith('/') ? dir : join(ROOT, dir);
    const out: string[] = [];
    const visit = (abs: string): void => {
        let entries: string[];
        try {
            entries = readdirSync(abs);
        } catch {
            return;
        }
        for (const name of entries.sort()) {
            if (SKIP_DIRS.has(name)) continue;
            const child = join(abs, name);
            if (statSync(child).isDirectory()) {
                visit(child);
            } else {
                const rel = relative(ROOT, child).split(sep).join('/');
                if (accept(rel)) out.push(rel);
            }
        }
    };
    visit(base);
    return out;
}

export interface LwcBundle {
    /** Component name, e.g. `starRating` (imported as `c/starRating`). */
    name: string;
    /** Root-relative bundle folder, e.g. `force-app/main/app/lwc/starRating`. */
    dir: string;
}

/** Every LWC bundle (a folder directly under an `lwc/` folder) below `root`. */
export function lwcBundles(root = 'force-app'): LwcBundle[] {
    const dirs = new Set<string>();
    for (const file of walk(root, (rel) => /\/lwc\/[^/]+\/[^/]+$/.test(rel))) {
        dirs.add(file.slice(0, file.lastIndexOf('/')));
    }
    return [...dirs].sort().map((dir) => ({ name: dir.slice(dir.lastIndexOf('/') + 1), dir }));
}

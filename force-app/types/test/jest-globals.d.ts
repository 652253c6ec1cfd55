/**
 * The jest globals (describe, it, expect, jest, ...) as sfdx-lwc-jest provides them at run time,
 * typed from `@jest/globals` (jest 29, installed with sfdx-lwc-jest) so tests type-check strictly.
 * Only the test type-check (tsconfig.test.json) includes this file.
 */
import type * as JestGlobals from '@jest/globals';

declare global {
    const describe: typeof JestGlobals.describe;
    const it: typeof JestGlobals.it;
    const test: typeof JestGlobals.test;
    const expect: typeof JestGlobals.expect;
    const jest: typeof JestGlobals.jest;
    const beforeEach: typeof JestGlobals.beforeEach;
    const afterEach: typeof JestGlobals.afterEach;
    const beforeAll: typeof JestGlobals.beforeAll;
    const afterAll: typeof JestGlobals.afterAll;
}

// sa11y's matcher, registered in scripts/jest/setup-sa11y.cjs.
declare module 'expect' {
    interface Matchers<R extends void | Promise<void>, T = unknown> {
        toBeAccessible(config?: Record<string, unknown>): Promise<R>;
    }
}

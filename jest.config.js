// LWC unit tests (npm run gate:jest): sfdx-lwc-jest's preset, TypeScript sources, sa11y checks and a
// 90 % line-coverage floor over the TypeScript of every LWC bundle.
import { jestConfig } from '@salesforce/sfdx-lwc-jest/config.js';
import { fileURLToPath } from 'node:url';

/** @type {import('@jest/types').Config.InitialOptions} */
export default {
    ...jestConfig,
    // sfdx-lwc-jest lacks these lightning/* stubs; the jest-mocks folder holds ours.
    moduleNameMapper: {
        '^lightning/modal$': '<rootDir>/force-app/tests/jest-mocks/lightning/modal',
        '^lightning/logger$': '<rootDir>/force-app/tests/jest-mocks/lightning/logger'
    },
    setupFilesAfterEnv: [
        ...(jestConfig.setupFilesAfterEnv ?? []),
        fileURLToPath(new URL('./scripts/jest/setup-sa11y.cjs', import.meta.url))
    ],
    // axe (sa11y) checks are slow on a loaded 2-core machine; jest's default 5 s per test is too tight.
    testTimeout: 30000,
    testMatch: ['<rootDir>/force-app/**/lwc/**/__tests__/**/*.test.{ts,js}'],
    testPathIgnorePatterns: [...jestConfig.testPathIgnorePatterns, '<rootDir>/samples/'],
    modulePathIgnorePatterns: ['<rootDir>/samples/', '<rootDir>/emulator/', '<rootDir>/.preview/'],
    // Coverage is measured on the TypeScript sources (jest reads x.ts before the generated x.js).
    collectCoverageFrom: ['force-app/**/lwc/**/*.ts', '!**/__tests__/**', '!**/*.d.ts'],
    coverageDirectory: '<rootDir>/coverage/lwc',
    coverageReporters: ['text-summary', 'lcov'],
    coverageThreshold: {
        global: { lines: 90 }
    }
};

/**
 * Types for the test wire adapters that `@salesforce/sfdx-lwc-jest` re-exports from
 * `@salesforce/wire-service-jest-util` (the package ships JavaScript only).
 */
declare module '@salesforce/sfdx-lwc-jest' {
    export interface TestWireAdapter {
        /** Provisions a value to every wired property or method. */
        emit(value: unknown): void;
        /** Provisions an error `{ body, status, statusText }` (Apex and LDS adapters). */
        error(body?: unknown, status?: number, statusText?: string): void;
        /** The resolved config of the last wiring. */
        getLastConfig(): Record<string, unknown>;
    }
    export function createApexTestWireAdapter(fn?: unknown): TestWireAdapter;
    export function createLdsTestWireAdapter(fn?: unknown): TestWireAdapter;
    export function createTestWireAdapter(fn?: unknown): TestWireAdapter;
}

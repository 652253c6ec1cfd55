/**
 * A recording replacement for `lightning/navigation` (the sfdx-lwc-jest stub drops every call).
 * Use in a test with
 * `jest.mock('lightning/navigation', () => jest.requireActual('<relative path>/jest-mocks/lightning/navigation'))`
 * and read the page references with `navigateCalls()`.
 */
import { createTestWireAdapter } from '@salesforce/sfdx-lwc-jest';

export interface PageReference {
    type: string;
    attributes?: Record<string, unknown>;
    state?: Record<string, unknown>;
}

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');
const calls: PageReference[] = [];

export const CurrentPageReference = createTestWireAdapter(jest.fn());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeScript's mixin pattern requires any[] here
type Constructor = new (...args: any[]) => object;

export function NavigationMixin<T extends Constructor>(Base: T): T {
    return class extends Base {
        [Navigate](pageReference: PageReference): void {
            calls.push(pageReference);
        }
        [GenerateUrl](pageReference: PageReference): Promise<string> {
            return Promise.resolve(
                `https://example.test/${String(pageReference.attributes?.recordId ?? '')}`
            );
        }
    };
}
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

/** Every page reference navigated to since the last `resetNavigation()`. */
export function navigateCalls(): PageReference[] {
    return [...calls];
}

export function resetNavigation(): void {
    calls.length = 0;
}

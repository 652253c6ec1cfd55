/**
 * Ambient types for the `@salesforce/*` scoped modules that LWCs import and that
 * `@salesforce/lightning-types` does not declare. The platform resolves these at compile time;
 * in jest they are mocked (sfdx-lwc-jest) and in the local preview they are served by the emulator.
 *
 * Reference: https://developer.salesforce.com/docs/platform/lwc/guide/reference-salesforce-modules.html
 */

/** `import method from '@salesforce/apex/Class.method'` — an imperative Apex call that resolves with the method's return value. */
declare module '@salesforce/apex/*' {
    const apexMethod: {
        <T = unknown>(params?: Record<string, unknown>): Promise<T>;
        /** Wire adapter identity: `@wire(apexMethod, { ... })` (typed so the `@wire` decorator accepts it). */
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        readonly adapter: import('lwc').WireAdapterConstructor<any, any, any>;
    };
    export default apexMethod;
}

/** `import { refreshApex, getSObjectValue } from '@salesforce/apex'`. */
declare module '@salesforce/apex' {
    export function refreshApex(wiredValue: unknown): Promise<void>;
    export function getSObjectValue(record: unknown, field: unknown): unknown;
}

/** `import FIELD from '@salesforce/schema/Object__c.Field__c'` — an object or field reference. */
declare module '@salesforce/schema/*' {
    const reference: { objectApiName: string; fieldApiName?: string };
    export default reference;
}

/** `import LABEL from '@salesforce/label/c.Name'` — the label's text in the user's language. */
declare module '@salesforce/label/*' {
    const label: string;
    export default label;
}

/** `import CAN_MANAGE from '@salesforce/customPermission/Name'` — true when the user has it. */
declare module '@salesforce/customPermission/*' {
    const hasPermission: boolean;
    export default hasPermission;
}

/** `import HAS_PERM from '@salesforce/userPermission/Name'`. */
declare module '@salesforce/userPermission/*' {
    const hasPermission: boolean;
    export default hasPermission;
}

/** `import URL from '@salesforce/resourceUrl/Name'`. */
declare module '@salesforce/resourceUrl/*' {
    const url: string;
    export default url;
}

/** `import LOCALE from '@salesforce/i18n/locale'` and the other i18n properties (all strings here). */
declare module '@salesforce/i18n/*' {
    const value: string;
    export default value;
}

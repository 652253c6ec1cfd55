/**
 * Ambient types for the `lightning/*` JavaScript modules (wire adapters, navigation, events) that
 * `@salesforce/lightning-types` does not declare — only the parts this package uses or is likely to.
 *
 * References:
 * - https://developer.salesforce.com/docs/platform/lwc/guide/reference-lightning-ui-api-record.html
 * - https://developer.salesforce.com/docs/platform/lwc/guide/reference-lightning-ui-api-object-info.html
 * - https://developer.salesforce.com/docs/platform/lwc/guide/use-navigate.html
 * - https://developer.salesforce.com/docs/platform/lwc/guide/use-toast.html
 */

declare module 'lightning/uiRecordApi' {
    import type { WireAdapterConstructor } from 'lwc';
    export interface FieldValue {
        value: unknown;
        displayValue: string | null;
    }
    export interface RecordRepresentation {
        id: string;
        apiName: string;
        fields: Record<string, FieldValue>;
    }
    export type FieldReference = { objectApiName: string; fieldApiName?: string } | string;
    export const getRecord: WireAdapterConstructor;
    export const getRecords: WireAdapterConstructor;
    export function getFieldValue(record: unknown, field: FieldReference): unknown;
    export function getFieldDisplayValue(record: unknown, field: FieldReference): unknown;
    export function updateRecord(recordInput: {
        fields: Record<string, unknown>;
    }): Promise<RecordRepresentation>;
    export function createRecord(recordInput: {
        apiName: string;
        fields: Record<string, unknown>;
    }): Promise<RecordRepresentation>;
    export function deleteRecord(recordId: string): Promise<void>;
    export function notifyRecordUpdateAvailable(items: { recordId: string }[]): Promise<void>;
}

declare module 'lightning/uiObjectInfoApi' {
    import type { WireAdapterConstructor } from 'lwc';
    export interface PicklistValue {
        label: string;
        value: string;
        validFor: number[];
        attributes: Record<string, unknown> | null;
    }
    export interface PicklistValues {
        defaultValue: PicklistValue | null;
        values: PicklistValue[];
        controllerValues: Record<string, number>;
    }
    export interface ObjectInfo {
        apiName: string;
        label: string;
        labelPlural: string;
        defaultRecordTypeId: string;
        fields: Record<string, { apiName: string; label: string; dataType: string; updateable: boolean }>;
    }
    export const getObjectInfo: WireAdapterConstructor;
    export const getObjectInfos: WireAdapterConstructor;
    export const getPicklistValues: WireAdapterConstructor;
    export const getPicklistValuesByRecordType: WireAdapterConstructor;
}

declare module 'lightning/navigation' {
    import type { LightningElement, WireAdapterConstructor } from 'lwc';
    export interface PageReference {
        type: string;
        attributes?: Record<string, unknown>;
        state?: Record<string, unknown>;
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type Constructor<T> = new (...args: any[]) => T;
    const Navigate: unique symbol;
    const GenerateUrl: unique symbol;
    /** What the mixin adds to a component class. */
    export interface NavigationCapable {
        [Navigate](pageReference: PageReference, replace?: boolean): void;
        [GenerateUrl](pageReference: PageReference): Promise<string>;
    }
    export const CurrentPageReference: WireAdapterConstructor;
    export const NavigationMixin: {
        <T extends Constructor<LightningElement>>(base: T): T & Constructor<NavigationCapable>;
        readonly Navigate: typeof Navigate;
        readonly GenerateUrl: typeof GenerateUrl;
    };
}

declare module 'lightning/platformShowToastEvent' {
    export interface ShowToastEventDetail {
        title?: string;
        message: string;
        messageData?: (string | { url: string; label: string })[];
        variant?: 'info' | 'success' | 'warning' | 'error';
        mode?: 'dismissible' | 'pester' | 'sticky';
    }
    export class ShowToastEvent extends CustomEvent<ShowToastEventDetail> {
        constructor(detail: ShowToastEventDetail);
    }
}

declare module 'lightning/refresh' {
    export class RefreshEvent extends CustomEvent<null> {
        constructor();
    }
}

declare module 'lightning/actions' {
    export class CloseActionScreenEvent extends CustomEvent<null> {
        constructor();
    }
}

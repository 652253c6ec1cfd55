/** `@salesforce/apex`: refreshApex and getSObjectValue. */
import { wiredValues } from './client.js';

export function refreshApex(wiredValue) {
    const adapter = wiredValue && wiredValues.get(wiredValue);
    return adapter ? adapter.fetch() : Promise.resolve();
}

export function getSObjectValue(record, field) {
    const path = typeof field === 'string' ? field : field?.fieldApiName;
    return path?.split('.').reduce((value, key) => (value == null ? undefined : value[key]), record);
}

/**
 * `lightning/uiRecordApi` for the preview: records are read and written through the preview server,
 * which runs the DML in the local Apex runtime (so triggers fire) and answers from its database.
 */
import { makeWireAdapter, post } from './client.js';

const fieldNames = (list) =>
    (list ?? []).map((f) => (typeof f === 'string' ? f : `${f.objectApiName}.${f.fieldApiName}`));
const flatten = (config) => [].concat(config.fields ?? [], config.optionalFields ?? []);

const adapters = new Set();

function fetchRecord(config) {
    return post('/api/ui/getRecord', {
        recordId: config.recordId,
        fields: fieldNames([].concat(config.fields ?? [])),
        optionalFields: fieldNames([].concat(config.optionalFields ?? [])),
        layoutTypes: config.layoutTypes ?? []
    });
}

const BaseRecordAdapter = makeWireAdapter(
    fetchRecord,
    (config) => Boolean(config.recordId) && (flatten(config).length > 0 || config.layoutTypes)
);

/** Wire adapter for one record. */
export class getRecord extends BaseRecordAdapter {
    connect() {
        adapters.add(this);
        super.connect();
    }
    disconnect() {
        adapters.delete(this);
        super.disconnect();
    }
}

function refetch(recordIds) {
    window.dispatchEvent(new CustomEvent('preview:recordschanged'));
    const ids = new Set(recordIds);
    return Promise.all(
        [...adapters].filter((a) => !ids.size || ids.has(a.config?.recordId)).map((a) => a.fetch())
    );
}

/** The field entry `{value, displayValue}` at a field path (`Object.Field` or `Parent__r.Name`). */
function fieldEntry(record, field) {
    const path = typeof field === 'string' ? field.split('.').slice(1) : field.fieldApiName.split('.');
    let node = record;
    for (let i = 0; i < path.length; i++) {
        const f = node?.fields?.[path[i]];
        if (f === undefined || i === path.length - 1) return f;
        node = f.value;
    }
    return undefined;
}

export function getFieldValue(record, field) {
    return fieldEntry(record, field)?.value;
}

export function getFieldDisplayValue(record, field) {
    const f = fieldEntry(record, field);
    return f === undefined ? undefined : (f.displayValue ?? f.value);
}

export async function updateRecord(recordInput) {
    const record = await post('/api/ui/updateRecord', { fields: recordInput.fields });
    await refetch([recordInput.fields.Id]);
    return record;
}

export async function createRecord(recordInput) {
    return post('/api/ui/createRecord', { apiName: recordInput.apiName, fields: recordInput.fields });
}

export async function deleteRecord(recordId) {
    await post('/api/ui/deleteRecord', { recordId });
    await refetch([recordId]);
}

export function generateRecordInputForCreate(record) {
    return {
        apiName: record.apiName,
        fields: Object.fromEntries(Object.entries(record.fields ?? {}).map(([k, v]) => [k, v.value]))
    };
}

export function generateRecordInputForUpdate(record) {
    return { fields: { Id: record.id, ...generateRecordInputForCreate(record).fields } };
}

/** Tells wired getRecord adapters that records changed on the server. */
export function notifyRecordUpdateAvailable(items) {
    return refetch((items ?? []).map((i) => i.recordId));
}

export const getRecordNotifyChange = notifyRecordUpdateAvailable;

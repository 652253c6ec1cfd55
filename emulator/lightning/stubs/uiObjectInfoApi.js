/** `lightning/uiObjectInfoApi` for the preview: answered from the local runtime's schema. */
import { makeWireAdapter, post } from './client.js';

const objectName = (o) => (typeof o === 'string' ? o : o?.objectApiName);
const fieldName = (f) => (typeof f === 'string' ? f : `${f?.objectApiName}.${f?.fieldApiName}`);

export const getObjectInfo = makeWireAdapter(
    (config) => post('/api/ui/objectInfo', { objectApiName: objectName(config.objectApiName) }),
    (config) => Boolean(objectName(config.objectApiName))
);

export const getObjectInfos = makeWireAdapter(
    (config) =>
        Promise.all(
            (config.objectApiNames ?? []).map((o) =>
                post('/api/ui/objectInfo', { objectApiName: objectName(o) })
            )
        ).then((results) => ({
            results: results.map((result) => ({ statusCode: 200, result }))
        })),
    (config) => Array.isArray(config.objectApiNames)
);

export const getPicklistValues = makeWireAdapter(
    (config) => post('/api/ui/picklistValues', { field: fieldName(config.fieldApiName) }),
    (config) => Boolean(config.fieldApiName) && config.recordTypeId !== undefined
);

export const getPicklistValuesByRecordType = makeWireAdapter(
    (config) =>
        post('/api/ui/picklistValuesByRecordType', { objectApiName: objectName(config.objectApiName) }),
    (config) => Boolean(objectName(config.objectApiName)) && config.recordTypeId !== undefined
);

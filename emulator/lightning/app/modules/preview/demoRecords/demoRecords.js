import { LightningElement } from 'lwc';
import { post } from 'preview/client';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';

/** The demo org's Opportunities, Orders and Cases, with their stage or status editable. */
export default class DemoRecords extends LightningElement {
    data;
    error;
    edits = {};

    connectedCallback() {
        this.load();
    }

    load() {
        post('/api/preview/demoRecords', {}).then(
            (data) => {
                this.data = data;
                this.error = undefined;
            },
            (e) => {
                this.error = e.body?.message ?? e.message;
            }
        );
    }

    get sections() {
        return (this.data?.sections ?? []).map((s) => ({
            ...s,
            records: s.records.map((r) => {
                const value = this.edits[r.id] ?? r.value;
                return {
                    ...r,
                    value,
                    unchanged: value === r.value,
                    comboLabel: `${s.fieldLabel} of ${r.name}`
                };
            })
        }));
    }

    change(event) {
        this.edits = { ...this.edits, [event.target.dataset.id]: event.detail.value };
    }

    async save(event) {
        const { id, object, field } = event.target.dataset;
        const value = this.edits[id];
        try {
            await post('/api/ui/updateRecord', { fields: { Id: id, [field]: value } });
            const rest = { ...this.edits };
            delete rest[id];
            this.edits = rest;
            this.dispatchEvent(
                new ShowToastEvent({
                    title: `${object} saved`,
                    message: `${field} is now ${value}.`,
                    variant: 'success'
                })
            );
            this.load();
        } catch (e) {
            this.dispatchEvent(
                new ShowToastEvent({
                    title: `${object} not saved`,
                    message: e.body?.message ?? e.message,
                    variant: 'error'
                })
            );
        }
    }
}

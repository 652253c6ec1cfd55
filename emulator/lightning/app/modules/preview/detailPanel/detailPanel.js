import { LightningElement, api } from 'lwc';
import { post } from 'preview/client';

/**
 * Stands in for the platform's force:highlightsPanel / force:detailPanel: the record's fields as the
 * local runtime's database holds them, as text (never as markup).
 */
export default class DetailPanel extends LightningElement {
    @api variant = 'detail';
    record;
    error;
    _recordId;

    @api
    get recordId() {
        return this._recordId;
    }
    set recordId(value) {
        this._recordId = value;
        this.load();
    }

    connectedCallback() {
        this.onChange = () => this.load();
        window.addEventListener('preview:recordschanged', this.onChange);
    }

    disconnectedCallback() {
        window.removeEventListener('preview:recordschanged', this.onChange);
    }

    load() {
        if (!this._recordId) return;
        post('/api/ui/recordDetail', { recordId: this._recordId }).then(
            (record) => {
                this.record = record;
                this.error = undefined;
            },
            (e) => {
                this.error = e.body?.message ?? e.message;
            }
        );
    }

    get isHighlights() {
        return this.variant === 'highlights' && Boolean(this.record);
    }
}

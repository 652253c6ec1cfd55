import { LightningElement, api } from 'lwc';
import pages from 'preview/pages';
import { post } from 'preview/client';

/** A record page: the object's flexipage (Lightning record page), or highlights and details when it has none. */
export default class RecordPage extends LightningElement {
    @api objectApiName;
    resolvedObject;
    error;
    _recordId;

    @api
    get recordId() {
        return this._recordId;
    }
    set recordId(value) {
        this._recordId = value;
        this.resolve();
    }

    resolve() {
        this.error = undefined;
        if (this.objectApiName) {
            this.resolvedObject = this.objectApiName;
            return;
        }
        this.resolvedObject = undefined;
        post('/api/ui/recordDetail', { recordId: this._recordId }).then(
            (r) => {
                this.resolvedObject = r.apiName;
            },
            (e) => {
                this.error = e.body?.message ?? e.message;
            }
        );
    }

    get page() {
        return this.resolvedObject ? (pages.recordPages[this.resolvedObject] ?? null) : null;
    }

    get fallback() {
        return Boolean(this.resolvedObject) && !this.page;
    }
}

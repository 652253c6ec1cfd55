import { LightningElement, api } from 'lwc';
import { post } from 'preview/client';
import { navigate } from 'lightning/navigation';

/** An object's list views (from the package's listView metadata), queried through the local runtime. */
export default class ListView extends LightningElement {
    @api listViews = [];
    result;
    error;
    _object;
    _filter = 'All';

    @api
    get objectApiName() {
        return this._object;
    }
    set objectApiName(value) {
        this._object = value;
        this.load();
    }

    @api
    get filterName() {
        return this._filter;
    }
    set filterName(value) {
        this._filter = value || 'All';
        this.load();
    }

    load() {
        if (!this._object) return;
        this.result = undefined;
        this.error = undefined;
        post('/api/preview/listView', { objectApiName: this._object, listView: this._filter }).then(
            (result) => {
                this.result = result;
            },
            (e) => {
                this.error = e.body?.message ?? e.message;
            }
        );
    }

    get objectLabel() {
        return this.result?.objectLabel ?? this._object;
    }

    get viewOptions() {
        return this.listViews.map((v) => ({ label: v.label, value: v.name }));
    }

    get tableLabel() {
        const view = this.listViews.find((v) => v.name === this._filter);
        return `${this.objectLabel}: ${view?.label ?? this._filter}`;
    }

    get countText() {
        const n = this.result?.rows.length ?? 0;
        return `${n}${this.result?.truncated ? '+' : ''} item${n === 1 ? '' : 's'}`;
    }

    get rows() {
        return (this.result?.rows ?? []).map((row) => ({
            id: row.id,
            cells: this.result.columns.map((col, i) => ({
                key: `${row.id}-${col.fieldName}`,
                value: row.values[i] ?? '',
                href:
                    i === 0
                        ? `#/r/${encodeURIComponent(this._object)}/${encodeURIComponent(row.id)}/view`
                        : null
            }))
        }));
    }

    changeView(event) {
        navigate({
            type: 'standard__objectPage',
            attributes: { objectApiName: this._object, actionName: 'list' },
            state: { filterName: event.detail.value }
        });
    }
}

// Known-bad sample for gate:typecheck: strict mode rejects an implicit any and a possibly-null access.
import { LightningElement } from 'lwc';

export function double(value) {
    return value * 2;
}

export default class BadTypes extends LightningElement {
    get heading(): string {
        return this.template.querySelector('h1').textContent ?? '';
    }
}

/**
 * Jest stub of `lightning/modal` (sfdx-lwc-jest ships none). A modal component extends this class;
 * tests replace `open` with `jest.spyOn(MyModal, 'open')` and listen for the `close` event that
 * `close(result)` dispatches here, instead of the platform closing the overlay.
 */
import { LightningElement, api } from 'lwc';

export default class LightningModal extends LightningElement {
    static open() {
        return Promise.resolve(undefined);
    }

    @api label;
    @api size;
    @api description;
    @api disableClose;

    @api
    close(result) {
        this.dispatchEvent(new CustomEvent('close', { detail: result }));
        return Promise.resolve();
    }
}

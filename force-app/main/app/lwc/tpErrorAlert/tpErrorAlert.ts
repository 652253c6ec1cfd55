import { LightningElement, api } from 'lwc';

/**
 * The package's inline error: an SLDS error alert that screen readers announce (`role="alert"`).
 * The parent decides when it shows (`lwc:if`) and places it with a class on this element, e.g.
 * `<c-tp-error-alert class="slds-var-m-top_small save-error" message={saveError}>`.
 */
export default class TpErrorAlert extends LightningElement {
    /** The text the user reads; already a translated label or a server message. */
    @api message?: string;
}

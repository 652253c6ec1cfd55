// Known-bad sample for gate:lint (LWC rules): writes innerHTML and reassigns a public property.
import { LightningElement, api } from 'lwc';

export default class BadLint extends LightningElement {
    @api message = '';

    renderedCallback(): void {
        this.template.querySelector('div')!.innerHTML = this.message;
    }

    handleClick(): void {
        this.message = 'clicked';
    }
}

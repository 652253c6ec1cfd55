/** `lightning/platformShowToastEvent`: the app shell listens for this event and shows the toast. */
export class ShowToastEvent extends CustomEvent {
    constructor(config) {
        super('lightning__showtoast', {
            bubbles: true,
            composed: true,
            cancelable: true,
            detail: config ?? {}
        });
    }
}

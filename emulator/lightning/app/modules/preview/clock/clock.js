import { LightningElement } from 'lwc';
import { post } from 'preview/client';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { RefreshEvent } from 'lightning/refresh';

/**
 * The org's clock. Advancing it moves the local runtime's time (and the simulator's), then runs the
 * async jobs that are due: how "send 3 days after the stage changed" can be watched in minutes.
 */
export default class Clock extends LightningElement {
    iso;
    busy = false;

    connectedCallback() {
        this.onCall = () => this.read();
        window.addEventListener('preview:recordschanged', this.onCall);
        this.read();
    }

    disconnectedCallback() {
        window.removeEventListener('preview:recordschanged', this.onCall);
    }

    read() {
        post('/api/preview/clock', {}).then(
            (r) => {
                this.iso = r.now;
            },
            () => {
                this.iso = undefined;
            }
        );
    }

    get display() {
        if (!this.iso) return '—';
        return (
            new Date(this.iso).toLocaleString('en-US', {
                dateStyle: 'medium',
                timeStyle: 'short',
                timeZone: 'UTC'
            }) + ' UTC'
        );
    }

    async advance(event) {
        if (this.busy) return;
        this.busy = true;
        try {
            const r = await post('/api/preview/clock', { advanceMs: Number(event.currentTarget.dataset.ms) });
            this.iso = r.now;
            this.dispatchEvent(
                new ShowToastEvent({
                    title: 'Clock',
                    message: `Now ${this.display}. Jobs run: ${r.jobsRun}.`,
                    variant: 'info'
                })
            );
            this.dispatchEvent(new RefreshEvent());
            // The page components read their data once, as in an org where the user reloads after time
            // passes; the app shell re-opens the current page so the jobs' results show.
            window.dispatchEvent(new CustomEvent('preview:clockadvanced'));
        } catch (e) {
            this.dispatchEvent(
                new ShowToastEvent({
                    title: 'Clock',
                    message: e.body?.message ?? e.message,
                    variant: 'error'
                })
            );
        } finally {
            this.busy = false;
        }
    }
}

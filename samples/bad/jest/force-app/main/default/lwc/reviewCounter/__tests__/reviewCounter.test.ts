import { createElement } from 'lwc';
import ReviewCounter from 'c/reviewCounter';

describe('c-review-counter (known-bad sample)', () => {
    it('counts an empty list as two reviews', () => {
        const element = createElement('c-review-counter', { is: ReviewCounter });
        document.body.appendChild(element);
        expect(element.shadowRoot!.querySelector('span')!.textContent).toBe('2');
    });
});

import { createElement } from 'lwc';
import StarRating, { normalizeRating } from 'c/starRating';

jest.mock(
    '@salesforce/label/c.TP_Star_Rating_Assistive_Text',
    () => ({ __esModule: true, default: '{0} out of {1} stars' }),
    { virtual: true }
);

function render(value: unknown, size?: string): HTMLElement {
    const element = createElement('c-star-rating', { is: StarRating });
    Object.assign(element, { value });
    if (size !== undefined) {
        Object.assign(element, { size });
    }
    document.body.appendChild(element);
    return element;
}

function fills(element: HTMLElement): (string | undefined)[] {
    return Array.from(element.shadowRoot!.querySelectorAll<HTMLElement>('.star')).map((s) => s.dataset.fill);
}

describe('c-star-rating', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('fills as many stars as the rating and colours them by its band', () => {
        const element = render(4);
        expect(fills(element)).toEqual(['full', 'full', 'full', 'full', 'empty']);
        const first = element.shadowRoot!.querySelector('.star')!;
        expect(first.classList.contains('star_band-4')).toBe(true);
    });

    it('shows a half star for TrustScore averages', () => {
        const element = render(3.5);
        expect(fills(element)).toEqual(['full', 'full', 'full', 'half', 'empty']);
    });

    it('exposes one text alternative and hides the star images from screen readers', async () => {
        const element = render(2.5);
        const container = element.shadowRoot!.querySelector('[role="img"]')!;
        expect(container.getAttribute('aria-label')).toBe('2.5 out of 5 stars');
        element.shadowRoot!.querySelectorAll('.star').forEach((star) => {
            expect(star.getAttribute('aria-hidden')).toBe('true');
        });
        await expect(element).toBeAccessible();
    });

    it('shows no filled star when there is no rating', () => {
        expect(fills(render(null))).toEqual(['empty', 'empty', 'empty', 'empty', 'empty']);
    });

    it('switches size through its class', async () => {
        const element = render(5, 'medium');
        expect(element.shadowRoot!.querySelector('.rating_medium')).not.toBeNull();
        Object.assign(element, { size: 'small' });
        await Promise.resolve();
        expect(element.shadowRoot!.querySelector('.rating_small')).not.toBeNull();
    });

    it('re-renders when the value changes', async () => {
        const element = render(1);
        Object.assign(element, { value: 5 });
        await Promise.resolve();
        expect(fills(element)).toEqual(['full', 'full', 'full', 'full', 'full']);
    });
});

describe('normalizeRating', () => {
    it.each([
        [4.2, 4],
        [4.3, 4.5],
        [4.8, 5],
        [7, 5],
        [-1, 0],
        ['3', 3],
        ['', 0],
        ['abc', 0],
        [Number.NaN, 0],
        [undefined, 0],
        [null, 0]
    ])('normalizes %p to %p', (input, expected) => {
        expect(normalizeRating(input)).toBe(expected);
    });
});

import { createElement } from 'lwc';
import TpErrorAlert from 'c/tpErrorAlert';
import { find, resetDom, setProps } from '../../../../../tests/jest-mocks/testing';

function render(message: string): HTMLElement {
    const element = createElement('c-tp-error-alert', { is: TpErrorAlert });
    setProps(element, { message });
    document.body.appendChild(element);
    return element;
}

describe('c-tp-error-alert', () => {
    afterEach(resetDom);

    it('shows the message in an SLDS error alert that screen readers announce', async () => {
        const element = render('Trustpilot answered 429 Too Many Requests');
        const alert = find(element, '[role="alert"]');
        expect(alert.classList.contains('slds-alert_error')).toBe(true);
        expect(alert.textContent).toBe('Trustpilot answered 429 Too Many Requests');
        await expect(element).toBeAccessible();
    });

    it('renders a message that looks like HTML as text', () => {
        const element = render('<img src=x onerror=alert(1)>');
        expect(find(element, '.message').textContent).toBe('<img src=x onerror=alert(1)>');
        expect(element.shadowRoot!.querySelector('img')).toBeNull();
    });

    it('follows a changed message', async () => {
        const element = render('first');
        setProps(element, { message: 'second' });
        await Promise.resolve();
        expect(find(element, '.message').textContent).toBe('second');
    });
});

// Entry of the preview bundle: synthetic shadow first (as in Lightning Experience), then the app shell.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import App from 'preview/app';

document.body.appendChild(createElement('preview-app', { is: App }));

import { LightningElement } from 'lwc';

export default class BadTemplate extends LightningElement {
    label = 'Save';
}

import { LightningElement } from 'lwc';
import TITLE from '@salesforce/label/c.TP_Widget_Title';
import SIZE_FIELD from '@salesforce/schema/Widget__c.Size__c';
import OWNER_EMAIL from '@salesforce/schema/Widget__c.Account__r.Owner.Email';

export default class WidgetBadge extends LightningElement {
    title = TITLE;
    fields = [SIZE_FIELD, OWNER_EMAIL];
}

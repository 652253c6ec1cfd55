trigger OpportunityTrigger on Opportunity(after insert, after update) {
    TriggerDispatcher.run(new InvitationTriggerHandler());
}

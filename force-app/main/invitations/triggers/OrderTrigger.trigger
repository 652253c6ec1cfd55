trigger OrderTrigger on Order(after insert, after update) {
    TriggerDispatcher.run(new InvitationTriggerHandler());
}

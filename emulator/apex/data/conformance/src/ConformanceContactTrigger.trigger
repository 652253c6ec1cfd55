trigger ConformanceContactTrigger on Contact(before insert, after insert, before update, after update) {
    // A local variable declared directly in the trigger body (the trigger's code block), not in a method.
    Integer batchSize = Trigger.size;
    ConformanceLog.lastContactBatchSize = batchSize;
    ConformanceLog.onContact();
}

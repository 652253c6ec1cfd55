trigger ConformanceContactTrigger on Contact(before insert, after insert, before update, after update) {
    ConformanceLog.onContact();
}

trigger ConformanceContactTrigger on Contact(before insert, after insert, before update, after update) {
    ConformanceLog.log(
        'contact ' +
            (Trigger.isBefore ? 'before ' : 'after ') +
            (Trigger.isInsert ? 'insert' : 'update') +
            ' ' +
            Trigger.size
    );
    if (Trigger.isBefore && Trigger.isUpdate) {
        for (Contact c : Trigger.new) {
            Contact old = (Contact) Trigger.oldMap.get(c.Id);
            if (old.LastName != c.LastName) {
                ConformanceLog.log('renamed ' + old.LastName + ' -> ' + c.LastName);
            }
        }
    }
}

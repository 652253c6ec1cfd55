trigger ConformanceAccountTrigger on Account(
    before insert,
    before update,
    before delete,
    after insert,
    after update,
    after delete,
    after undelete
) {
    String event =
        (Trigger.isBefore ? 'before ' : 'after ') +
        (Trigger.isInsert
            ? 'insert'
            : Trigger.isUpdate ? 'update' : Trigger.isDelete ? 'delete' : 'undelete');
    ConformanceLog.log(event + ' ' + Trigger.size + ' ' + Trigger.operationType);
    if (Trigger.isBefore && !Trigger.isDelete) {
        for (Account a : Trigger.new) {
            if (ConformanceLog.stamp != null) {
                a.Description = ConformanceLog.stamp;
            }
            if (a.Name == ConformanceLog.failName) {
                a.addError('blocked by trigger');
            }
        }
    }
    if (Trigger.isBefore && Trigger.isDelete) {
        for (Account a : Trigger.old) {
            if (a.Name == ConformanceLog.failName) {
                a.addError('cannot delete');
            }
        }
    }
    if (Trigger.isAfter && !Trigger.isDelete) {
        for (Account a : Trigger.new) {
            if (a.Name == ConformanceLog.failAfterName) {
                a.addError('blocked after save');
            }
        }
        if (ConformanceLog.writeInAfter) {
            Trigger.new[0].Description = 'late';
        }
    }
    if (Trigger.isAfter && Trigger.isInsert && ConformanceLog.cascade) {
        List<Contact> cs = new List<Contact>();
        for (Account a : Trigger.new) {
            cs.add(new Contact(LastName = a.Name, AccountId = a.Id));
        }
        insert cs;
    }
}

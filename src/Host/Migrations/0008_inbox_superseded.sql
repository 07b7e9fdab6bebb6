-- 'superseded': a delivery whose record (subject) at that version or a later one was already taken through a finished
-- run by every flow that wanted it (flows that read the record again from the store; see InboxDispatcher).
ALTER TABLE integration.inbox DROP CONSTRAINT inbox_status_check;
ALTER TABLE integration.inbox ADD CONSTRAINT inbox_status_check
    CHECK (status IN ('received', 'poisoned', 'processing', 'done', 'failed', 'ignored', 'superseded'));

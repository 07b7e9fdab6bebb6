-- 'superseded': a delivery whose record (subject) every flow that wanted it had already read again from the store in
-- a finished run (earlier in the same batch, or for a later version; flows with onlyNewerVersions, see InboxDispatcher).
ALTER TABLE integration.inbox DROP CONSTRAINT inbox_status_check;
ALTER TABLE integration.inbox ADD CONSTRAINT inbox_status_check
    CHECK (status IN ('received', 'poisoned', 'processing', 'done', 'failed', 'ignored', 'superseded'));

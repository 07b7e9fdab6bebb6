-- A promotion may be ended early (POST /api/erp/promotions/{id}/end); ended before its first day it is withdrawn, kept
-- as its last day being the day before its first, so it never applies and its event and history stay.
ALTER TABLE erp.promotion DROP CONSTRAINT promotion_check;
ALTER TABLE erp.promotion ADD CONSTRAINT promotion_days CHECK (valid_to >= valid_from - 1);

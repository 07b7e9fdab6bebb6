-- The trace of the run that issued a receipt, continued by the events of its fate (valid, invalid, late).
ALTER TABLE eta.receipt ADD COLUMN trace_parent text;

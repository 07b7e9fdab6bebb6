-- The two late alerts are told apart: "not submitted" (Draft or Submitting near the end of ETA's window) and "no verdict"
-- (Submitted long after the portal would have judged it). With one marker, a receipt alerted while held back by an
-- outage was never alerted again when the portal then gave it no verdict. An alert raised after the receipt was
-- submitted was a verdict alert.
ALTER TABLE eta.receipt ADD COLUMN verdict_late_alerted_at timestamptz;
UPDATE eta.receipt SET verdict_late_alerted_at = late_alerted_at
WHERE late_alerted_at IS NOT NULL AND submitted_at IS NOT NULL AND late_alerted_at >= submitted_at;

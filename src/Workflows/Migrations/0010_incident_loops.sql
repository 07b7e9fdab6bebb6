-- Flow runtime: for an incident in a loop's body, the item each loop around it was at ({"loopId": index}), so a retry
-- goes on with the next item rather than leaving the loop (or the flow after it) unfinished.
ALTER TABLE flows.incident ADD COLUMN loops jsonb;

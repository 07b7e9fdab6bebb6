-- The dispatcher's claim (status = 'received' ORDER BY id LIMIT n FOR UPDATE SKIP LOCKED) by an index of the waiting
-- deliveries alone. With only inbox_by_status (status, id), statistics taken while a burst waited made the planner walk
-- the primary key and filter every handled delivery: 4 to 100 ms per claim in the loop bench with Shopify's echoes,
-- against 0.2 ms. The id column of this index follows the table's order, so the planner prefers it whatever the counts.
CREATE INDEX inbox_received ON integration.inbox (id) WHERE status = 'received';

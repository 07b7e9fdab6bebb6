-- Changes of different records reach the flows side by side, those of one record in order. Records whose changes must
-- stay in order together (an item's variants and its template: one store product) share an ordering key; without
-- one, a change is ordered with the others of its entity_key.
ALTER TABLE integration.outbox ADD COLUMN ordering_key text;

-- A receipt the portal refused in its answer to the submission (rejectedDocuments): it never held it, so it is no link
-- of the device's chain. Receipts refused before this column existed stay links, as they were treated then.
ALTER TABLE eta.receipt ADD COLUMN refused_on_arrival boolean NOT NULL DEFAULT false;

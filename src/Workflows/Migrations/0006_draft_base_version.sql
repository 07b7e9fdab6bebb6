-- A draft remembers the version in service it was started from: when the file changes on disk (a git pull, an
-- editor) and a newer version is published, the draft is stale and the designer no longer offers it as the latest.
ALTER TABLE flows.draft ADD COLUMN base_version integer;

-- SessionGrid's artifacts (uploaded files, screenshots, PDFs), grouped by scope (a session or task id) and unique by
-- name within it. ExpiresAt is Unix ms: expired rows read as absent and the sweeper deletes them.

CREATE TABLE IF NOT EXISTS Artifacts
(
    Scope       TEXT    NOT NULL,
    Name        TEXT    NOT NULL,
    ContentType TEXT    NOT NULL,
    Size        INTEGER NOT NULL,
    Content     BLOB    NOT NULL,
    CreatedAt   INTEGER NOT NULL,
    ExpiresAt   INTEGER NOT NULL,
    PRIMARY KEY (Scope, Name)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS IX_Artifacts_ExpiresAt ON Artifacts (ExpiresAt);

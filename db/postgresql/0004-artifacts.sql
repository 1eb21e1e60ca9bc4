-- SessionGrid's artifacts (uploaded files, screenshots, PDFs), grouped by scope (a session or task id) and unique by
-- name within it. ExpiresAt is Unix ms: expired rows read as absent and the sweeper deletes them.

CREATE TABLE IF NOT EXISTS Artifacts
(
    Scope       text   NOT NULL,
    Name        text   NOT NULL,
    ContentType text   NOT NULL,
    Size        bigint NOT NULL,
    Content     bytea  NOT NULL,
    CreatedAt   bigint NOT NULL,
    ExpiresAt   bigint NOT NULL,
    PRIMARY KEY (Scope, Name)
);

CREATE INDEX IF NOT EXISTS IX_Artifacts_ExpiresAt ON Artifacts (ExpiresAt);

-- Issue 14: the users of "rmf serve" and their sessions.
--
-- users: one row per person who logs in. role is officer (everything),
-- partner (uploads and sees the indicators whose responsible is theirs) or
-- viewer (reads). password_hash is a bcrypt hash (never the password).
-- sessions: a logged-in browser. The cookie holds a random token; only its
-- SHA-256 is stored, so that a copy of the database opens no session. csrf
-- is the token every form of the session must send back.
-- web_uploads: who uploaded the file of an import through the browser.

CREATE TABLE users (
	name          TEXT PRIMARY KEY CHECK (name <> ''),
	role          TEXT NOT NULL CHECK (role IN ('officer', 'partner', 'viewer')),
	responsible   TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL CHECK (password_hash <> ''),
	created_at    TEXT NOT NULL,
	CHECK (role <> 'partner' OR responsible <> '')
);

CREATE TABLE sessions (
	token_sha256 TEXT PRIMARY KEY,
	user         TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
	csrf         TEXT NOT NULL,
	expires_at   TEXT NOT NULL -- RFC 3339, UTC
);

CREATE INDEX sessions_user ON sessions (user);

CREATE TABLE web_uploads (
	batch_id INTEGER PRIMARY KEY, -- imports.id
	user     TEXT NOT NULL
);

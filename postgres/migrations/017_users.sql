-- PostgreSQL's copy of sqlite/migrations/017_users.sql, table by table the same
-- (names, columns, meaning): integers are bigint, REAL double precision,
-- texts compare byte by byte (COLLATE "C", as SQLite's BINARY), integer
-- ids are identities BY DEFAULT (a copy may insert the same ids), foreign
-- keys are DEFERRABLE (INITIALLY IMMEDIATE unless SQLite's are deferred),
-- the append-only logs are kept so by trigger functions raising an error.

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
	name          text COLLATE "C" PRIMARY KEY CHECK (name <> ''),
	role          text COLLATE "C" NOT NULL CHECK (role IN ('officer', 'partner', 'viewer')),
	responsible   text COLLATE "C" NOT NULL DEFAULT '',
	password_hash text COLLATE "C" NOT NULL CHECK (password_hash <> ''),
	created_at    text COLLATE "C" NOT NULL,
	CHECK (role <> 'partner' OR responsible <> '')
);

CREATE TABLE sessions (
	token_sha256 text COLLATE "C" PRIMARY KEY,
	"user"         text COLLATE "C" NOT NULL REFERENCES users (name) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
	csrf         text COLLATE "C" NOT NULL,
	expires_at   text COLLATE "C" NOT NULL -- RFC 3339, UTC
);

CREATE INDEX sessions_user ON sessions ("user");

CREATE TABLE web_uploads (
	batch_id bigint PRIMARY KEY, -- imports.id
	"user"     text COLLATE "C" NOT NULL
);

package sqlstore

// The users and sessions of "rmf serve" (issue 14): stored here, checked by
// package web (passwords are hashed there; this file never sees one);
// DB implements engine.Users.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/indicators"
)

// User is engine.User (a person who logs in to rmf serve).
type User = engine.User

// ErrNoUser is engine.ErrNoUser.
var ErrNoUser = engine.ErrNoUser

var _ engine.Users = Store{}

// AddUser stores a new user with its password hash. A user of that name
// already is an ErrDuplicate error.
func (db *DB) AddUser(ctx context.Context, u User, hash string) error {
	err := db.Tx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO users (name, role, responsible, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
			u.Name, u.Role, u.Responsible, hash, db.Now().UTC().Format(time.RFC3339))
		return err
	})
	if errors.Is(err, indicators.ErrDuplicate) {
		return fmt.Errorf("user %q already exists (rmf user remove %s first to replace it)", u.Name, u.Name)
	}
	if err != nil {
		return fmt.Errorf("add user %s: %w", u.Name, err)
	}
	return nil
}

// Users lists the users by name.
func (db *DB) Users(ctx context.Context) ([]User, error) {
	var out []User
	err := db.ReadTx(ctx, func(tx *Tx) error {
		return each(ctx, tx, `SELECT name, role, responsible, created_at FROM users ORDER BY name`, func(r *sql.Rows) error {
			var u User
			var at string
			if err := r.Scan(&u.Name, &u.Role, &u.Responsible, &at); err != nil {
				return err
			}
			u.Created, _ = time.Parse(time.RFC3339, at)
			out = append(out, u)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

// RemoveUser deletes a user and its sessions.
func (db *DB) RemoveUser(ctx context.Context, name string) error {
	err := db.Tx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM users WHERE name = ?`, name)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w %q", ErrNoUser, name)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("remove user: %w", err)
	}
	return nil
}

// UserPassword returns the user called name and its password hash
// (ErrNoUser when there is none).
func (db *DB) UserPassword(ctx context.Context, name string) (User, string, error) {
	var u User
	var hash, at string
	err := db.ReadTx(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT name, role, responsible, password_hash, created_at FROM users WHERE name = ?`, name).
			Scan(&u.Name, &u.Role, &u.Responsible, &hash, &at)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, "", ErrNoUser
	}
	if err != nil {
		return User{}, "", fmt.Errorf("look up user: %w", err)
	}
	u.Created, _ = time.Parse(time.RFC3339, at)
	return u, hash, nil
}

// SaveSession stores a session of user: the SHA-256 of its token, its
// CSRF token and when it expires. Expired sessions are deleted on the way.
func (db *DB) SaveSession(ctx context.Context, tokenSHA256, user, csrf string, expires time.Time) error {
	return db.Tx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ?`, db.Now().UTC().Format(time.RFC3339)); err != nil {
			return fmt.Errorf("delete expired sessions: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_sha256, "user", csrf, expires_at) VALUES (?, ?, ?, ?)`,
			tokenSHA256, user, csrf, expires.UTC().Format(time.RFC3339))
		if err != nil {
			return fmt.Errorf("save session: %w", err)
		}
		return nil
	})
}

// Session returns the user, CSRF token and expiry of the session whose
// token has this SHA-256 (ErrNoUser when there is none). The caller
// checks the expiry.
func (db *DB) Session(ctx context.Context, tokenSHA256 string) (User, string, time.Time, error) {
	var u User
	var csrf, exp string
	err := db.ReadTx(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT u.name, u.role, u.responsible, s.csrf, s.expires_at
			FROM sessions s JOIN users u ON u.name = s."user" WHERE s.token_sha256 = ?`, tokenSHA256).
			Scan(&u.Name, &u.Role, &u.Responsible, &csrf, &exp)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, "", time.Time{}, ErrNoUser
	}
	if err != nil {
		return User{}, "", time.Time{}, fmt.Errorf("look up session: %w", err)
	}
	t, err := time.Parse(time.RFC3339, exp)
	if err != nil {
		return User{}, "", time.Time{}, fmt.Errorf("session expiry %q: %w", exp, err)
	}
	return u, csrf, t, nil
}

// DeleteSession ends a session (logging out); an unknown one is no error.
func (db *DB) DeleteSession(ctx context.Context, tokenSHA256 string) error {
	return db.Tx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_sha256 = ?`, tokenSHA256)
		return err
	})
}

// RecordUpload notes that user uploaded the file of import batchID.
func (db *DB) RecordUpload(ctx context.Context, batchID int64, user string) error {
	return db.Tx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO web_uploads (batch_id, "user") VALUES (?, ?) ON CONFLICT (batch_id) DO UPDATE SET "user" = excluded."user"`, batchID, strings.TrimSpace(user))
		return err
	})
}

// Uploaders maps the imports uploaded through rmf serve to who uploaded them.
func (db *DB) Uploaders(ctx context.Context) (map[int64]string, error) {
	out := map[int64]string{}
	err := db.ReadTx(ctx, func(tx *Tx) error {
		return each(ctx, tx, `SELECT batch_id, "user" FROM web_uploads`, func(r *sql.Rows) error {
			var id int64
			var u string
			if err := r.Scan(&id, &u); err != nil {
				return err
			}
			out[id] = u
			return nil
		})
	})
	return out, err
}

// Stamp is a stamp of everything the pages of rmf serve read (the
// dialect's Stamp: in SQLite the largest rowid of every table but the
// users' and sessions'). Every change to the framework, figures, reviews,
// actions or expenditures inserts a row (a new revision, version, log
// entry or import), so a new stamp means a new state.
func (db *DB) Stamp(ctx context.Context) (string, error) {
	var st string
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		st, err = db.d.Stamp(ctx, tx)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("state of the database: %w", err)
	}
	return st, nil
}

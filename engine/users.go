package engine

// The users and sessions of "rmf serve" (issue 14): a small port beside
// Store, and the use cases over it. Passwords are hashed by the caller
// (package web); the engine and the store only ever see the hash.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// User is a person who logs in to rmf serve.
type User struct {
	Name        string
	Role        string // officer, partner or viewer
	Responsible string // a partner's name as indicators' responsible field says it
	Created     time.Time
}

// ErrNoUser is returned for a user or session that does not exist.
var ErrNoUser = errors.New("no such user")

// Users is the storage port of rmf serve's users, sessions and uploads,
// each method one transaction. A store that keeps users implements it
// beside Store (sqlite.Store does); Engine finds it on the store.
type Users interface {
	// AddUser stores a new user with its password hash; a user of that
	// name already is an error naming it.
	AddUser(ctx context.Context, u User, hash string) error
	// Users lists the users by name.
	Users(ctx context.Context) ([]User, error)
	// RemoveUser deletes a user and its sessions (ErrNoUser when none).
	RemoveUser(ctx context.Context, name string) error
	// UserPassword is the user called name and its password hash
	// (ErrNoUser when none).
	UserPassword(ctx context.Context, name string) (User, string, error)
	// SaveSession stores a session: the SHA-256 of its token, its CSRF
	// token and its expiry; expired sessions are deleted on the way.
	SaveSession(ctx context.Context, tokenSHA256, user, csrf string, expires time.Time) error
	// Session is the user, CSRF token and expiry of a session (ErrNoUser
	// when none); the caller checks the expiry.
	Session(ctx context.Context, tokenSHA256 string) (User, string, time.Time, error)
	// DeleteSession ends a session; an unknown one is no error.
	DeleteSession(ctx context.Context, tokenSHA256 string) error
	// RecordUpload notes that user uploaded the file of import batchID.
	RecordUpload(ctx context.Context, batchID int64, user string) error
	// Uploaders maps the imports uploaded through rmf serve to who
	// uploaded them.
	Uploaders(ctx context.Context) (map[int64]string, error)
	// Stamp changes whenever the framework, figures, reviews, actions or
	// expenditures change (not users or sessions): caches keyed by it
	// are current.
	Stamp(ctx context.Context) (string, error)
}

// Roles of rmf serve's users.
const (
	RoleOfficer = "officer"
	RolePartner = "partner"
	RoleViewer  = "viewer"
)

// users is the store's Users port, or an error when it keeps none.
func (e *Engine) users() (Users, error) {
	u, ok := e.db.(Users)
	if !ok {
		return nil, fmt.Errorf("the store %s keeps no users (rmf serve needs one that does)", e.db.Path())
	}
	return u, nil
}

// AddUser adds a user of rmf serve with its password hash (CheckUser). The role must be
// officer, partner or viewer; a partner's Responsible must be one that an
// indicator of the framework names (compared without case or surrounding
// spaces), and only a partner has one.
func (e *Engine) AddUser(ctx context.Context, u User, hash string) error {
	us, err := e.users()
	if err != nil {
		return err
	}
	u.Responsible = strings.TrimSpace(u.Responsible)
	if err := e.CheckUser(ctx, u); err != nil {
		return err
	}
	return us.AddUser(ctx, u, hash)
}

// CheckUser checks a user AddUser would add, before a password is asked.
func (e *Engine) CheckUser(ctx context.Context, u User) error {
	u.Responsible = strings.TrimSpace(u.Responsible)
	switch u.Role {
	case RoleOfficer, RoleViewer:
		if u.Responsible != "" {
			return &ArgError{Arg: "responsible", Err: errors.New("is for partners only")}
		}
	case RolePartner:
		if u.Responsible == "" {
			return &ArgError{Arg: "responsible", Err: errors.New("a partner needs the name their indicators give as responsible")}
		}
		fw, _, err := loadFramework(ctx, e.db)
		if err != nil {
			return err
		}
		var known []string
		found := false
		seen := map[string]bool{}
		for _, ind := range fw.Indicators {
			if strings.EqualFold(strings.TrimSpace(ind.Responsible), u.Responsible) {
				found = true
			}
			if ind.Responsible != "" && !seen[ind.Responsible] {
				seen[ind.Responsible] = true
				known = append(known, ind.Responsible)
			}
		}
		if !found {
			return &UnknownResponsibleError{Responsible: u.Responsible, Known: known}
		}
	default:
		return &ArgError{Arg: "role", Err: fmt.Errorf("unknown role %q: expected officer, partner or viewer", u.Role)}
	}
	return nil
}

// Users lists the users of rmf serve by name.
func (e *Engine) Users(ctx context.Context) ([]User, error) {
	us, err := e.users()
	if err != nil {
		return nil, err
	}
	return us.Users(ctx)
}

// RemoveUser removes a user of rmf serve and ends their sessions.
func (e *Engine) RemoveUser(ctx context.Context, name string) error {
	us, err := e.users()
	if err != nil {
		return err
	}
	return us.RemoveUser(ctx, name)
}

// UnknownResponsibleError is a partner's responsible that no indicator of
// the framework names.
type UnknownResponsibleError struct {
	Responsible string
	Known       []string // the responsible the framework names, in framework order
}

func (e *UnknownResponsibleError) Error() string {
	return fmt.Sprintf("responsible %q: no indicator of the framework names it; the framework names: %s", e.Responsible, strings.Join(e.Known, "; "))
}

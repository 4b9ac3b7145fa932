package engine

import (
	"time"
)

// ConfirmMode is how a tier asks before a destructive statement.
type ConfirmMode int

const (
	// ConfirmWarn only warns (development and local by default).
	ConfirmWarn ConfirmMode = iota
	// ConfirmYesNo asks yes or no (staging).
	ConfirmYesNo
	// ConfirmWord wants the environment's word typed (production).
	ConfirmWord
)

// Policy is what an environment asks of the session. psql's own
// behaviour is Autocommit with ConfirmWarn and AllowShell, in the "local"
// tier: every statement runs as psql would run it.
type Policy struct {
	Env, Label, Tier, Color string
	Unknown                 bool // no configured environment matched

	ReadOnly    bool // transactions start READ ONLY until \write
	Autocommit  bool // no implicit transaction: each statement commits
	Confirm     ConfirmMode
	ConfirmWord string // the word ConfirmWord wants ("production")
	// CountAbove: a destructive statement that changes more rows than
	// this is confirmed by typing the number of rows too (after the word
	// or yes). 0 is DefaultCountAbove.
	CountAbove int64
	AllowShell bool

	StatementTimeout  time.Duration // SET LOCAL in every transaction; 0 leaves it
	LockTimeout       time.Duration // for statements that lock more than ROW EXCLUSIVE (production: 2s)
	IdleInTxTimeout   time.Duration // idle_in_transaction_session_timeout
	DryRunTimeout     time.Duration // the dry run's statement_timeout (5s)
	DryRunLockTimeout time.Duration // the dry run's lock_timeout (1s)
	TxWarnAfter       time.Duration // an open transaction older than this is flagged

	// AuditRequired: a failed audit write stops the statement (production).
	AuditRequired bool
}

// DefaultCountAbove is CountAbove when the environment sets none.
const DefaultCountAbove = 1000

func (p Policy) countAbove() int64 {
	if p.CountAbove <= 0 {
		return DefaultCountAbove
	}
	return p.CountAbove
}

// asks reports whether destructive statements need an answer.
func (p Policy) asks() bool { return p.Confirm != ConfirmWarn }

// ConfirmFor is how an environment asks before a destructive statement:
// its confirm_word, in any tier, is typed; without one, production and
// staging ask yes or no, development and local only warn.
func ConfirmFor(tier, word string) ConfirmMode {
	switch {
	case word != "":
		return ConfirmWord
	case tier == "production" || tier == "staging":
		return ConfirmYesNo
	}
	return ConfirmWarn
}

// Grants are the command line's answers for a run nobody can be asked in:
// --write, --confirm WORD and --commit.
type Grants struct {
	Write       bool
	ConfirmWord string
	Commit      bool
}

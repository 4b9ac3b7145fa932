package frontend

import (
	"context"
	"errors"
	"time"

	"github.com/safesql/safesql/theme"
)

// ErrNoPrompt is what a Confirmer returns when nobody can answer (no
// terminal): the session treats it as a refusal.
var ErrNoPrompt = errors.New("nobody can answer: no terminal")

// AskKind says what kind of answer a ConfirmRequest wants.
type AskKind int

const (
	// AskWord wants Word typed exactly; anything else declines.
	AskWord AskKind = iota
	// AskYesNo wants y or yes; anything else, an empty line included, declines.
	AskYesNo
	// AskCommitRollback is the leaving question: commit or rollback;
	// an empty line, EOF or Ctrl-C mean rollback.
	AskCommitRollback
	// AskCount wants the number in Word typed: the rows a statement
	// changes, asked after the word when they are many (thousands
	// separators may be typed: 249,981 is 249981).
	AskCount
)

// Answer is the person's answer.
type Answer int

const (
	Declined Answer = iota // wrong word, no, empty line, Esc, Ctrl-C, EOF
	Accepted               // the word typed exactly, or yes
	Commit                 // AskCommitRollback: commit
	Rollback               // AskCommitRollback: roll back
)

// ConfirmRequest is everything a front end shows before asking.
type ConfirmRequest struct {
	Kind AskKind
	// Title is one line: "DELETE on public.orders", "COMMIT",
	// "Leaving with an open transaction".
	Title string
	// Statement is the SQL the question is about ("" for leaving).
	Statement string
	// Reasons are the analyzer's reasons, loudest first (no-where and
	// tautology on top).
	Reasons []string
	// Loud marks the first reason as one that must stand out: every row of
	// a table (no WHERE, a tautology, TRUNCATE ... CASCADE; analyze.Verdict.Loud).
	Loud bool
	// Impact is the dry run's (or the commit review's) plain lines.
	Impact []string
	// Question is the line that asks ("Type production to run it:").
	Question string
	// Word is what AskWord wants typed, or the number AskCount wants.
	Word string
	Env  string // environment name
	Tier string
}

// Confirmer asks the person at the keyboard. The TUI, the line editor,
// /dev/tty for scripts and tests each implement it.
type Confirmer interface {
	Confirm(ctx context.Context, req ConfirmRequest) (Answer, error)
}

// TxState is where the session's transaction stands.
type TxState int

const (
	TxNone   TxState = iota // no transaction open
	TxOpen                  // a transaction is open
	TxFailed                // the open transaction failed (only ROLLBACK helps)
	TxLost                  // the connection was lost; the server rolled back
)

// State is what the front ends show about the session: the prompt, the
// frame and the status line read it after every statement.
type State struct {
	Env, Label, Tier, Color string
	User, Host, Database    string
	Superuser               bool

	Tx           TxState
	TxSince      time.Time // when the open transaction began
	TxStatements int       // statements run in it
	TxTables     []string  // tables it changed, qualified, sorted
	TxLong       bool      // open longer than the warning time

	ReadOnly bool // the environment is read-only by default
	Writes   bool // \write turned writes on

	LastDuration time.Duration // the last statement's time, 0 when none

	// Buffered: psql's query buffer holds text from an earlier entry
	// (typed before a backslash command), so the prompt is psql's
	// continuation ('-').
	Buffered bool
	// TxWarnAfter is the environment's transaction_warning: a front end
	// flags an open transaction older than this while it waits at the
	// prompt (TxLong says it as of when the state was read). 0: none.
	TxWarnAfter time.Duration
	// IdleTxTimeout is the server's idle_in_transaction_session_timeout
	// for the open transaction: the server ends the session when the
	// transaction stays idle this long. 0: none or unknown.
	IdleTxTimeout time.Duration
	// IdleSince is when the last statement ended (the server's idle
	// clock starts there); zero: the front end counts from when the
	// prompt was shown.
	IdleSince time.Time
}

// PromptInfo is the theme's view of the state.
func (st State) PromptInfo() theme.Info {
	info := theme.Info{
		Label: st.Label, Tier: st.Tier, Color: st.Color,
		User: st.User, Host: st.Host, Database: st.Database,
		Superuser: st.Superuser, Write: st.ReadOnly && st.Writes, ReadWrite: !st.ReadOnly,
	}
	switch st.Tx {
	case TxOpen:
		info.Tx = theme.TxOpen
	case TxFailed:
		info.Tx = theme.TxFailed
	case TxLost:
		info.Tx = theme.TxUnknown
	}
	return info
}

// LineReader is a front end's input: one complete entry (a statement, or
// a backslash command line) per call. io.EOF means Ctrl-D on an empty
// input; ErrInterrupt a Ctrl-C that cleared the input.
type LineReader interface {
	ReadLine(ctx context.Context, st State) (string, error)
	AddHistory(entry string) error
	Close() error
}

// ErrInterrupt is what a LineReader returns for Ctrl-C while editing.
var ErrInterrupt = errors.New("interrupted")

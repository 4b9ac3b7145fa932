package pg

import (
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// State is where a connection's transaction stands, as the server said in
// its last ReadyForQuery message.
type State int

const (
	Gone   State = iota // no connection, or it was closed or lost
	Idle                // connected, no transaction open
	InTx                // a transaction is open
	Failed              // the open transaction failed: only ROLLBACK helps
)

// StateOf reads c's state; a nil or closed connection is Gone.
func StateOf(c *pgconn.PgConn) State {
	if c == nil || c.IsClosed() {
		return Gone
	}
	switch c.TxStatus() {
	case 'I':
		return Idle
	case 'E':
		return Failed
	default:
		return InTx
	}
}

// Open reports whether a transaction is open (failed or not).
func (s State) Open() bool { return s == InTx || s == Failed }

func (s State) String() string {
	switch s {
	case Idle:
		return "idle"
	case InTx:
		return "in a transaction"
	case Failed:
		return "in a failed transaction"
	}
	return "no connection"
}

// ConnectionLostError says the server went away; nothing uncommitted
// survived.
type ConnectionLostError struct{ Err error }

func (e *ConnectionLostError) Error() string {
	return "connection to server was lost: " + e.Err.Error()
}

func (e *ConnectionLostError) Unwrap() error { return e.Err }

// ServerVersionNum is server_version_num (150018 for "15.18 (Debian
// ...)"), which servers do not report on their own; 0 when unknown.
func ServerVersionNum(c *pgconn.PgConn) int {
	if c == nil {
		return 0
	}
	v := c.ParameterStatus("server_version")
	if i := strings.IndexAny(v, " ("); i >= 0 {
		v = v[:i]
	}
	major, minor, _ := strings.Cut(v, ".")
	ma, err := strconv.Atoi(major)
	if err != nil {
		return 0
	}
	mi, _ := strconv.Atoi(minor)
	if ma < 10 { // 9.6.24 -> 90624
		rest := strings.SplitN(v, ".", 3)
		if len(rest) == 3 {
			patch, _ := strconv.Atoi(rest[2])
			return ma*10000 + mi*100 + patch
		}
		return ma*10000 + mi*100
	}
	return ma*10000 + mi
}

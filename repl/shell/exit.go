package shell

import (
	"errors"

	"github.com/safesql/safesql/repl/engine"
	"github.com/safesql/safesql/repl/pg"
)

// psql's exit statuses, and the one place that maps how something ended
// to them (engine.Status names the numbers):
//
//	0  it went well; or a statement of a script failed and the script goes on
//	1  a failure of safesql's own (a file that is not there), or a -c
//	   argument that failed (psql exits 1 for it)
//	2  the connection to the server was lost (or could not be made)
//	3  a script stopped: ON_ERROR_STOP was set, or a safety rule refused a
//	   statement (or its question went unanswered) where nobody was typing;
//	   also a run that went well but had something refused on the way (a
//	   start-up file, \gexec, the editor)
//
// exitStatus maps an error to a status; Stops and ExitStatus are the
// run's view of those statuses, for the composition root.

// exitStatus is psql's exit status for err, what a statement or command
// returned, and whether the input stops there. command: err ends a -c
// argument, where any failure is psql's exit status 1; in a script (a
// file, standard input, what a person typed) a failure goes on unless
// ON_ERROR_STOP.
func (s *Session) exitStatus(err error, command bool) (engine.Status, bool) {
	var lost *pg.ConnectionLostError
	switch {
	case err == nil:
		return engine.StatusOK, false
	case errors.As(err, &lost):
		return engine.StatusConnection, true
	case !s.Interactive && (errors.Is(err, engine.ErrRefused) || errors.Is(err, engine.ErrAborted)):
		// a safety rule stopped a script: psql's status for a failed
		// script
		return engine.StatusScript, true
	case command:
		return engine.StatusFatal, true
	case s.Vars.Bool("ON_ERROR_STOP"):
		return engine.StatusScript, true
	default:
		return engine.StatusOK, false
	}
}

// Stops reports whether an input (a -c argument, a -f file, standard
// input) that ended with status ends the run: a lost connection does, and
// any failure under ON_ERROR_STOP.
func (s *Session) Stops(status engine.Status) bool {
	return status == engine.StatusConnection || (status != engine.StatusOK && s.Vars.Bool("ON_ERROR_STOP"))
}

// ExitStatus is a run's exit status when its last input ended with
// status: a safety rule that refused something wherever it came from (a
// start-up file, \gexec, the editor) fails a run that otherwise went
// well, with psql's status for a failed script.
func (s *Session) ExitStatus(status engine.Status) engine.Status {
	if status == engine.StatusOK && s.Refusals() > 0 {
		return engine.StatusScript
	}
	return status
}

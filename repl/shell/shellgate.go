package shell

import "fmt"

// ShellRefusedError is the refusal of one thing that would have started a
// program on this host: What names it (`\o |gzip > out.gz`), Why says
// which rule refused it and how to allow it.
type ShellRefusedError struct {
	What string
	Why  string
}

func (e *ShellRefusedError) Error() string { return e.What + ": " + e.Why }

// shellGate is the one gate every program safesql would start on this host
// passes first: \!, backquotes, \o |cmd, \g |cmd, \w |cmd, \copy ...
// program, the editor and the pager, and \setenv of the variables that
// name them. It answers before anything starts; what names the thing
// asked for, as the refusal shows it.
func (s *Session) shellGate(what string) error {
	if why := s.shellRefused(); why != "" {
		return &ShellRefusedError{What: what, Why: why}
	}
	return nil
}

// shellRefused says why no program may start here ("" when one may): the
// environment's own answer (Deps.ShellRefused) when one was given,
// else the policy's allow_shell. A session with no policy set is psql's.
func (s *Session) shellRefused() string {
	if s.ShellRefused != nil {
		return s.ShellRefused()
	}
	p := s.Policy()
	if p.Tier == "" || p.AllowShell {
		return ""
	}
	if p.Unknown {
		return fmt.Sprintf("shell commands are refused in %s: this connection matches no configured environment, so it counts as %s; define an environment for it (allow_shell = true allows them outside production)", p.Tier, p.Tier)
	}
	return fmt.Sprintf("shell commands are refused in %s (environment %q); set allow_shell = true for it in the config to allow them", p.Tier, p.Env)
}

// namesProgram reports whether the environment variable name chooses a
// program safesql starts (the pager, the editor, \!'s shell): setting it
// is starting that program later, so \setenv of it passes the shell gate.
func namesProgram(name string) bool {
	switch name {
	case "PAGER", "PSQL_PAGER", "PSQL_WATCH_PAGER", "EDITOR", "PSQL_EDITOR", "VISUAL", "SHELL":
		return true
	}
	return false
}

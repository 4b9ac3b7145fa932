// Package audit writes safesql's audit log: one JSON line per statement and
// per decision, with secrets redacted from the statement, to a private file
// (and to syslog when asked), and says which OS user and SSH client are at
// the keyboard. Deciding what to run, talking to the server and knowing the
// environments do not belong here: the session fills an Entry and acts on
// the error Write returns (in production, a failed write stops the
// statement).
package audit

// Package audit writes safesql's audit log: one JSON line per statement and
// per decision, with secrets redacted from the statement, to a private file
// (and to syslog when asked), and says which OS user and SSH client are at
// the keyboard. Deciding what to run, talking to the server and knowing the
// environments do not belong here: the session fills an Entry and acts on
// the error Write returns.
//
// The file is a security boundary: Open refuses a symbolic link, a hard
// link, someone else's file, a file others may read, or one in a directory
// others can write, naming the rule and the way out.
//
// The session opens the log once (Open), names the person once (Who, and
// ApplicationName for the connection's application_name), and writes an
// Entry for every statement and every decision: refused and aborted
// statements, the confirmation before a destructive one runs, \write and
// \read, COMMIT and ROLLBACK. Write redacts Entry.Statement itself (Redact),
// so the caller passes the text as typed. In production a failed Write must
// stop the statement: write the line before anything is committed (a
// statement runs under its savepoint, so when the line after it cannot be
// written, roll back to the savepoint and show the error; for COMMIT, write
// first). The error names the file and the fix.
//
// It must not import the engine, the shell or the connection: the session
// fills an Entry and hands it over.
package audit

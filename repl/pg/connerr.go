package pg

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/repl/audit"
)

// DescribeConnectError words a failed connection as psql 15 does.
func DescribeConnectError(cfg *pgconn.Config, err error) string {
	where := fmt.Sprintf("connection to server at \"%s\", port %d failed: ", cfg.Host, cfg.Port)
	socket := strings.HasPrefix(cfg.Host, "/")
	if socket {
		where = fmt.Sprintf("connection to server on socket \"%s/.s.PGSQL.%d\" failed: ", cfg.Host, cfg.Port)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		if pgErr.Code == "28P01" && cfg.Password == "" {
			// pgx answers a password request with an empty password; libpq
			// says it had none.
			return where + "fe_sendauth: no password supplied"
		}
		return where + pgErr.Severity + ":  " + pgErr.Message
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return fmt.Sprintf("could not translate host name \"%s\" to address: %s", cfg.Host, "Name or service not known")
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		msg := errno.Error()
		msg = strings.ToUpper(msg[:1]) + msg[1:]
		switch {
		case socket && (errno == syscall.ENOENT || errno == syscall.ECONNREFUSED):
			return where + msg + "\n\tIs the server running locally and accepting connections on that socket?"
		case errno == syscall.ECONNREFUSED:
			return where + msg + "\n\tIs the server running on that host and accepting TCP/IP connections?"
		}
		return where + msg
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return where + "timeout expired"
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) && ce.Unwrap() != nil {
		return where + Redact(ce.Unwrap().Error())
	}
	return where + Redact(err.Error())
}

// Redact removes anything that looks like a password from a message: the
// audit log's redaction of free text (audit.RedactText).
func Redact(msg string) string { return audit.RedactText(msg) }

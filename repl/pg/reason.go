package pg

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// A server that ends a session (idle_in_transaction_session_timeout,
// pg_terminate_backend, a shutdown) first sends its reason, a FATAL
// ErrorResponse, and closes the socket. The client is waiting at the
// prompt and does not read it; the next statement's write then fails (on
// a unix socket at once: broken pipe) and pgx closes the connection with
// the reason still unread in the socket. KeepReason's connections read
// what the server left when a write fails, so that the person is told the
// server's reason, not that it "terminated abnormally".

// KeepReason makes cfg's connections keep the server's reason for ending
// them (Reason). It wraps cfg.DialFunc: call it once per config.
func KeepReason(cfg *pgconn.Config) {
	if cfg == nil || cfg.DialFunc == nil {
		return
	}
	dial := cfg.DialFunc
	cfg.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &reasonConn{Conn: c}, nil
	}
}

// reasonConn is a connection that, when a write fails, reads what the
// server sent before it closed its side.
type reasonConn struct {
	net.Conn
	mu     sync.Mutex
	reason *pgconn.PgError
}

func (c *reasonConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if err != nil {
		c.readReason()
	}
	return n, err
}

// readReason reads, briefly, what is left to read, and keeps a FATAL
// ErrorResponse found in it.
func (c *reasonConn) readReason() {
	_ = c.Conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	buf := make([]byte, 0, 4096)
	tmp := make([]byte, 4096)
	for len(buf) < 64*1024 {
		n, err := c.Conn.Read(tmp)
		buf = append(buf, tmp[:n]...)
		if err != nil || n == 0 {
			break
		}
	}
	if e := fatalIn(buf); e != nil {
		c.mu.Lock()
		c.reason = e
		c.mu.Unlock()
	}
}

// fatalIn finds a FATAL (or PANIC) ErrorResponse among the protocol
// messages in b; anything that is not a well-formed message stops it.
func fatalIn(b []byte) *pgconn.PgError {
	for len(b) >= 5 {
		typ, size := b[0], int(binary.BigEndian.Uint32(b[1:5]))
		if size < 4 || len(b) < 1+size {
			return nil
		}
		body := b[5 : 1+size]
		b = b[1+size:]
		if typ != 'E' {
			continue
		}
		e := &pgconn.PgError{}
		for len(body) > 1 {
			code := body[0]
			end := strings.IndexByte(string(body[1:]), 0)
			if end < 0 {
				break
			}
			v := string(body[1 : 1+end])
			body = body[2+end:]
			switch code {
			case 'S':
				e.Severity = v
			case 'V':
				e.SeverityUnlocalized = v
			case 'C':
				e.Code = v
			case 'M':
				e.Message = v
			}
		}
		sev := e.SeverityUnlocalized
		if sev == "" {
			sev = e.Severity
		}
		if (sev == "FATAL" || sev == "PANIC") && e.Message != "" {
			return e
		}
	}
	return nil
}

// Reason is the server's own error for ending the connection c, found in
// err (a FATAL error pgx read) or left unread on c's socket; nil when the
// server said none.
func Reason(c *pgconn.PgConn, err error) *pgconn.PgError {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Severity == "FATAL" || pgErr.Severity == "PANIC") {
		return pgErr
	}
	if c == nil {
		return nil
	}
	if rc, ok := c.Conn().(*reasonConn); ok {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		return rc.reason
	}
	return nil
}

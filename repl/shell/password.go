package shell

import (
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/safesql/safesql/analyze"
)

// scramIterations is the iteration count libpq uses for a new verifier.
const scramIterations = 4096

// changePassword is \password: the new password asked twice on the
// terminal without echo, encrypted here (the server and its logs never
// see it in clear), then ALTER USER through the session's rules.
func (s *Session) changePassword(ctx context.Context, user string) metaResult {
	if user == "" {
		_, rows, err := s.Query(ctx, "SELECT CURRENT_USER")
		if err != nil {
			return metaResult{err: s.report("SELECT CURRENT_USER", err)}
		}
		if len(rows) != 1 || rows[0][0] == nil {
			return s.metaErr("could not get the current user name")
		}
		user = string(rows[0][0])
	}
	if s.streams.TTY == nil {
		return s.metaErr(`\password: no terminal to ask for the password on`)
	}
	first, err := s.streams.ReadSecret(fmt.Sprintf("Enter new password for user \"%s\": ", user))
	if err != nil {
		return s.metaErr(fmt.Sprintf(`\password: %v`, err))
	}
	again, err := s.streams.ReadSecret("Enter it again: ")
	if err != nil {
		return s.metaErr(fmt.Sprintf(`\password: %v`, err))
	}
	if first != again {
		return s.metaErr("Passwords didn't match.")
	}
	_, rows, err := s.Query(ctx, "SHOW password_encryption")
	if err != nil {
		return metaResult{err: s.report("SHOW password_encryption", err)}
	}
	method := "scram-sha-256"
	if len(rows) == 1 && rows[0][0] != nil {
		method = strings.ToLower(string(rows[0][0]))
	}
	var encrypted string
	switch method {
	case "scram-sha-256":
		encrypted, err = scramVerifier(first)
		if err != nil {
			return s.metaErr(fmt.Sprintf("could not encrypt password: %v", err))
		}
	case "md5", "on":
		sum := md5.Sum([]byte(first + user))
		encrypted = "md5" + hex.EncodeToString(sum[:])
	default:
		return s.metaErr(fmt.Sprintf(`could not encrypt password: unrecognized password encryption algorithm "%s"`, method))
	}
	// psql says nothing on success: the command tag is not printed.
	return metaResult{err: s.quietly(func() error {
		return s.Exec(ctx, "ALTER USER "+analyze.QuoteIdent(user)+" PASSWORD "+analyze.QuoteLiteral(encrypted), nil)
	})}
}

// scramVerifier is the SCRAM-SHA-256 verifier PostgreSQL stores for
// password (RFC 5802, RFC 7677): a random salt, 4096 iterations.
func scramVerifier(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("make a salt: %w", err)
	}
	return scramVerifierSalted(password, salt, scramIterations)
}

// scramVerifierSalted is scramVerifier with the salt and iterations given.
func scramVerifierSalted(password string, salt []byte, iterations int) (string, error) {
	salted, err := pbkdf2.Key(sha256.New, password, salt, iterations, sha256.Size)
	if err != nil {
		return "", fmt.Errorf("derive the key: %w", err)
	}
	mac := func(key []byte, msg string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(msg))
		return h.Sum(nil)
	}
	stored := sha256.Sum256(mac(salted, "Client Key"))
	server := mac(salted, "Server Key")
	b64 := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("SCRAM-SHA-256$%d:%s$%s:%s", iterations, b64(salt), b64(stored[:]), b64(server)), nil
}

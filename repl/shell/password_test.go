package shell

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/safesql/safesql/repl/internal/pgtest"
)

// The verifier \password sends is the one the server itself makes for
// the same password, salt and iterations.
func TestSCRAMVerifierMatchesTheServers(t *testing.T) {
	p := pgtest.DB(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, p.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for i, password := range []string{"pencil", "s3cret with spaces", "x"} {
		role := "scram_check_" + strconv.Itoa(i)
		if _, err := conn.Exec(ctx, "SET password_encryption = 'scram-sha-256'; CREATE ROLE "+role+" PASSWORD '"+password+"'"); err != nil {
			t.Fatal(err)
		}
		var stored string
		if err := conn.QueryRow(ctx, "SELECT rolpassword FROM pg_authid WHERE rolname = $1", role).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		// SCRAM-SHA-256$<iterations>:<salt>$<stored key>:<server key>
		head, _, _ := strings.Cut(strings.TrimPrefix(stored, "SCRAM-SHA-256$"), "$")
		iter, salt64, _ := strings.Cut(head, ":")
		iterations, err := strconv.Atoi(iter)
		if err != nil {
			t.Fatalf("verifier %q: %v", stored, err)
		}
		salt, err := base64.StdEncoding.DecodeString(salt64)
		if err != nil {
			t.Fatalf("verifier %q: %v", stored, err)
		}
		got, err := scramVerifierSalted(password, salt, iterations)
		if err != nil {
			t.Fatal(err)
		}
		if got != stored {
			t.Errorf("password %q:\n got %s\nwant %s", password, got, stored)
		}
	}
	v, err := scramVerifier("pencil")
	if err != nil || !strings.HasPrefix(v, "SCRAM-SHA-256$4096:") {
		t.Errorf("scramVerifier: %q, %v", v, err)
	}
}

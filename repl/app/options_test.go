package app

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseArgs(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    Options
		wantErr string
	}{
		{name: "positional dbname and user", args: []string{"shop", "alice"}, want: Options{Positional: []string{"shop", "alice"}}},
		{name: "bundled switches", args: []string{"-At"}, want: Options{Psets: []Setting{{"format", "unaligned", true}, {"tuples_only", "on", true}}}},
		{name: "attached argument", args: []string{"-cselect 1"}, want: Options{Actions: []Action{{Command: "select 1"}}}},
		{name: "bundle ending in option with argument", args: []string{"-tc", "select 1"}, want: Options{Psets: []Setting{{"tuples_only", "on", true}}, Actions: []Action{{Command: "select 1"}}}},
		{name: "-c and -f keep their order", args: []string{"-f", "a.sql", "-c", "select 1", "-f", "-"}, want: Options{Actions: []Action{{Kind: FileAction, Command: "a.sql"}, {Command: "select 1"}, {Kind: FileAction, Command: "-"}}}},
		{name: "long with equals", args: []string{"--host=db", "--port=6432", "--username=bob", "--dbname=app"}, want: Options{Host: "db", Port: "6432", User: "bob", DBName: "app"}},
		{name: "long with separate value", args: []string{"--command", "select 1"}, want: Options{Actions: []Action{{Command: "select 1"}}}},
		{name: "unique long prefix", args: []string{"--single-t"}, want: Options{SingleTxn: true}},
		{name: "psql's own prefix wins over safesql's options", args: []string{"--comm", "select 1"}, want: Options{Actions: []Action{{Command: "select 1"}}}},
		{name: "safesql's own options by their full name", args: []string{"--commit", "--confirm", "production", "--write"}, want: Options{Commit: true, Confirm: "production", Write: true}},
		{name: "ambiguous long prefix", args: []string{"--single"}, wantErr: "option '--single' is ambiguous; possibilities: '--single-transaction' '--single-step' '--single-line'"},
		{name: "variables", args: []string{"-v", "ON_ERROR_STOP=1", "--set=a=b=c", "--variable", "x=y"}, want: Options{Vars: []Setting{{"ON_ERROR_STOP", "1", true}, {"a", "b=c", true}, {"x", "y", true}}}},
		{name: "pset with and without value", args: []string{"-P", "null=NULL", "-P", "footer"}, want: Options{Psets: []Setting{{"null", "NULL", true}, {Name: "footer"}}}},
		{name: "separators and csv", args: []string{"-F", ";", "-R", "#", "--csv", "-x", "-z", "-0"}, want: Options{Psets: []Setting{{"fieldsep", ";", true}, {"recordsep", "#", true}, {"format", "csv", true}, {"expanded", "on", true}, {"fieldsep_zero", "on", true}, {"recordsep_zero", "on", true}}}},
		{name: "password flags", args: []string{"-w", "-W"}, want: Options{NoPassword: true, ForcePassword: true}},
		{name: "quiet output single", args: []string{"-q", "-o", "out.txt", "-1", "-X"}, want: Options{Quiet: true, Output: "out.txt", SingleTxn: true, NoPsqlrc: true}},
		{name: "double dash ends options", args: []string{"--", "-c"}, want: Options{Positional: []string{"-c"}}},
		{name: "options after positional", args: []string{"app", "-c", "select 1"}, want: Options{Positional: []string{"app"}, Actions: []Action{{Command: "select 1"}}}},
		{name: "help and version", args: []string{"-?", "-V"}, want: Options{Help: true, Version: true}},
		{name: "unknown short", args: []string{"-k"}, wantErr: "invalid option -- 'k'"},
		{name: "unknown long", args: []string{"--bogus"}, wantErr: "unrecognized option '--bogus'"},
		{name: "missing argument", args: []string{"-c"}, wantErr: "option requires an argument -- 'c'"},
		{name: "missing long argument", args: []string{"--file"}, wantErr: "option '--file' requires an argument"},
		{name: "switch with value", args: []string{"--quiet=yes"}, wantErr: "option '--quiet' doesn't allow an argument"},
		{name: "empty variable name", args: []string{"-v", "=1"}, wantErr: `invalid variable assignment "=1": expected NAME=VALUE`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseArgs(tt.args)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestConnConfigFromArguments(t *testing.T) {
	t.Setenv("PGHOST", "")
	t.Setenv("PGPORT", "")
	t.Setenv("PGUSER", "envuser")
	t.Setenv("PGDATABASE", "")
	t.Setenv("PGSERVICEFILE", "/nonexistent")
	t.Setenv("PGPASSFILE", "/nonexistent")
	tests := []struct {
		name           string
		args           []string
		host, user, db string
		port           uint16
	}{
		{"env user, db defaults to user", []string{"-h", "/tmp"}, "/tmp", "envuser", "envuser", 5432},
		{"positional db and user", []string{"-h", "h1", "shop", "bob"}, "h1", "bob", "shop", 5432},
		{"flags", []string{"-h", "h2", "-p", "6000", "-U", "carol", "-d", "app"}, "h2", "carol", "app", 6000},
		{"conninfo as dbname wins over flags", []string{"-h", "ignored", "-d", "host=h3 port=7000 dbname=x user=dave"}, "h3", "dave", "x", 7000},
		{"URI as dbname", []string{"postgresql://erin@h4:7001/y?sslmode=disable"}, "h4", "erin", "y", 7001},
		{"URI with flags", []string{"-U", "ignored", "-d", "postgres://frank@h5/z"}, "h5", "frank", "z", 5432},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := ParseArgs(tt.args)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := connConfig(o, nil, "")
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Host != tt.host || cfg.User != tt.user || cfg.Database != tt.db || cfg.Port != tt.port {
				t.Errorf("got host=%s port=%d user=%s db=%s", cfg.Host, cfg.Port, cfg.User, cfg.Database)
			}
		})
	}
}

func TestBadConninfoDoesNotPrintPassword(t *testing.T) {
	o, _ := ParseArgs([]string{"-d", "postgres://u:s3cret@h:notaport/db"})
	_, err := connConfig(o, nil, "")
	if err == nil {
		t.Fatal("want an error for a bad port")
	}
	if contains(err.Error(), "s3cret") {
		t.Errorf("error shows the password: %v", err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

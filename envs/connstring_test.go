package envs

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestConnString(t *testing.T) {
	tests := []struct {
		name string
		env  Env
		want string
	}{
		{name: "no passfile", env: Env{DSN: "service=prod"}, want: "service=prod"},
		{name: "conninfo", env: Env{DSN: "host=db dbname=x", Passfile: "/home/a/.pgpass-prod"}, want: "host=db dbname=x passfile=/home/a/.pgpass-prod"},
		{name: "conninfo, path with a space", env: Env{DSN: "service=prod", Passfile: "/my files/pw"}, want: "service=prod passfile='/my files/pw'"},
		{name: "URI", env: Env{DSN: "postgres://app@db/x?sslmode=require", Passfile: "/p"}, want: "postgres://app@db/x?passfile=%2Fp&sslmode=require"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.env.ConnString(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDemo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, Demo("/tmp/safesql demo", 5433, "me"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(Paths{User: path, UserExplicit: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Names(); !slices.Equal(got, []string{"dev", "staging", "prod"}) {
		t.Fatalf("names %q", got)
	}
	c.Resolve(pgconn.ParseConfig)
	for name, want := range map[string]Tier{"dev": Development, "staging": Staging, "prod": Production} {
		e, _ := c.Lookup(name)
		if e.Tier != want || e.ResolveErr() != nil {
			t.Errorf("%s: tier %s, resolve error %v", name, e.Tier, e.ResolveErr())
		}
		if e.Host() != "/tmp/safesql demo" || e.Port() != 5433 || e.Database() != "shop_"+name {
			t.Errorf("%s: resolved to %v", name, e.Addrs())
		}
		if w := c.Warnings(e); len(w) != 0 {
			t.Errorf("%s: warnings %q", name, w)
		}
	}
	if e := c.Match("/tmp/safesql demo", 5433, "shop_prod"); e == nil || e.Name != "prod" {
		t.Errorf("Match shop_prod = %v", e)
	}
}

package app

import (
	"runtime/debug"
	"testing"
)

func TestVersionNeverReadsLikeAnEnvironment(t *testing.T) {
	vcs := func(mod, rev, modified string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/safesql/safesql", Version: mod}}
		if rev != "" {
			bi.Settings = []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
		}
		return bi
	}
	tests := []struct {
		name         string
		linked       string
		bi           *debug.BuildInfo
		banner, long string
	}{
		{"goreleaser", "0.3.0", vcs("(devel)", "", ""), "safesql 0.3.0", "safesql (PostgreSQL-compatible) 0.3.0"},
		{"linked with a v", "v0.3.0", nil, "safesql 0.3.0", "safesql (PostgreSQL-compatible) 0.3.0"},
		{"go install @tag", "", vcs("v0.3.0", "", ""), "safesql 0.3.0", "safesql (PostgreSQL-compatible) 0.3.0"},
		{"a checkout", "", vcs("v0.0.0-20261207203748-141ad459635b", "141ad459635b1c27d730c69aa7c918a2c0c91f5a", "false"),
			"safesql (built from 141ad45)", "safesql (PostgreSQL-compatible) built from 141ad45"},
		{"a changed checkout", "", vcs("v0.0.0-20261207203748-141ad459635b+dirty", "141ad459635b1c27d730c69aa7c918a2c0c91f5a", "true"),
			"safesql (built from 141ad45+dirty)", "safesql (PostgreSQL-compatible) built from 141ad45+dirty"},
		{"a changed checkout of a tag", "", vcs("v0.3.0+dirty", "141ad459635b1c27d730c69aa7c918a2c0c91f5a", "true"),
			"safesql (built from 141ad45+dirty)", "safesql (PostgreSQL-compatible) built from 141ad45+dirty"},
		{"go install @commit", "", vcs("v0.3.1-0.20261207203748-141ad459635b", "", ""),
			"safesql (built from 141ad45)", "safesql (PostgreSQL-compatible) built from 141ad45"},
		{"no vcs stamp", "", vcs("(devel)", "", ""), "safesql (development build)", "safesql (PostgreSQL-compatible) development build"},
		{"no build info", "", nil, "safesql (development build)", "safesql (PostgreSQL-compatible) development build"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := versionOf(tt.linked, tt.bi)
			if got := v.Banner(); got != tt.banner {
				t.Errorf("banner %q, want %q", got, tt.banner)
			}
			if got := v.Long(); got != tt.long {
				t.Errorf("--version %q, want %q", got, tt.long)
			}
		})
	}
}

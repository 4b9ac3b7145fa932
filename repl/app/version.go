package app

import (
	"runtime/debug"
	"strings"
)

// Version is set at link time, without a leading "v", by goreleaser and
// `make build` on a tagged commit:
//
//	-ldflags "-X github.com/safesql/safesql/repl/app.Version=0.3.0"
var Version = ""

// buildVersion says which safesql this is, in words that cannot be read
// as an environment's name: a release number ("0.3.0"), else the commit
// it was built from ("built from abc1234", "+dirty" when the tree had
// changes), else "development build".
type buildVersion struct {
	number string // "0.3.0"; empty when not a release
	about  string // "built from abc1234" or "development build" when number is empty
}

// currentVersion is this binary's version.
func currentVersion() buildVersion {
	bi, _ := debug.ReadBuildInfo()
	return versionOf(Version, bi)
}

// versionOf is the version a binary linked with linked (the -X value)
// and carrying bi (nil when it has none) reports.
func versionOf(linked string, bi *debug.BuildInfo) buildVersion {
	if v := strings.TrimPrefix(strings.TrimSpace(linked), "v"); v != "" {
		return buildVersion{number: v}
	}
	if bi == nil {
		return buildVersion{about: "development build"}
	}
	// `go install github.com/safesql/safesql@v0.3.0`: the module's tag.
	mv := bi.Main.Version
	if mv != "" && mv != "(devel)" && !isPseudoVersion(mv) && !strings.Contains(mv, "+") {
		return buildVersion{number: strings.TrimPrefix(mv, "v")}
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" && isPseudoVersion(mv) {
		// From the module proxy: the commit is the pseudo-version's tail.
		base := strings.TrimSuffix(mv, "+dirty")
		dirty = dirty || base != mv
		rev = base[strings.LastIndexByte(base, '-')+1:]
	}
	if rev == "" {
		return buildVersion{about: "development build"}
	}
	if len(rev) > 7 {
		rev = rev[:7]
	}
	if dirty {
		rev += "+dirty"
	}
	return buildVersion{about: "built from " + rev}
}

// isPseudoVersion reports whether v is a Go pseudo-version
// (v0.0.0-20261207203748-141ad459635b, v0.3.1-0.2026...-abc, with an
// optional +dirty): a commit, not a release.
func isPseudoVersion(v string) bool {
	v = strings.TrimSuffix(v, "+dirty")
	i := strings.LastIndexByte(v, '-')
	if i < 0 || len(v)-i-1 != 12 {
		return false
	}
	stamp := v[:i]
	j := strings.LastIndexAny(stamp, "-.")
	if j < 0 || len(stamp)-j-1 != 14 {
		return false
	}
	for _, r := range stamp[j+1:] + v[i+1:] {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}

// Banner is the start-up banner's name and version: "safesql 0.3.0",
// "safesql (built from abc1234)" or "safesql (development build)".
func (v buildVersion) Banner() string {
	if v.number != "" {
		return "safesql " + v.number
	}
	return "safesql (" + v.about + ")"
}

// Long is what --version prints, psql's form ("psql (PostgreSQL) 15.18"):
// "safesql (PostgreSQL-compatible) 0.3.0", or with the commit or
// "development build" in place of the number.
func (v buildVersion) Long() string {
	if v.number != "" {
		return "safesql (PostgreSQL-compatible) " + v.number
	}
	return "safesql (PostgreSQL-compatible) " + v.about
}

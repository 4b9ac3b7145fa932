package theme

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var profiles = []struct {
	name string
	p    colorprofile.Profile
}{
	{"truecolor", colorprofile.TrueColor},
	{"256", colorprofile.ANSI256},
	{"16", colorprofile.ANSI},
	{"none", colorprofile.NoTTY},
}

var tierInfos = []Info{
	{Label: "PROD", Tier: Production, User: "app", Host: "prod-db.internal", Database: "orders"},
	{Label: "STAGING", Tier: Staging, User: "app", Host: "staging-db.internal", Database: "orders"},
	{Label: "DEV", Tier: Development, User: "me", Host: "localhost", Database: "shop_dev"},
	{Label: "LAPTOP", Tier: Local, User: "me", Host: "/tmp", Database: "scratch"},
	{Label: "db.example.com", Tier: "", User: "app", Host: "db.example.com", Database: "x"}, // unknown: drawn as production
	{Label: "ORDERS", Tier: Production, Color: "#5f00af", User: "app", Host: "db", Database: "orders"},
}

// golden compares got with testdata/name, writing it with -update. Each
// case is one %q-quoted line so every escape sequence is visible in review.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs at line %d:\n got %s\nwant %s", path, i+1, g, w)
			}
		}
	}
}

func tierName(i Info) string {
	if i.Color != "" {
		return i.Tier + "+color"
	}
	if i.Tier == "" {
		return "unknown"
	}
	return i.Tier
}

func TestPromptGolden(t *testing.T) {
	var buf bytes.Buffer
	for _, pr := range profiles {
		th := Default(pr.p)
		for _, base := range tierInfos {
			cases := []struct {
				name string
				edit func(*Info)
				cont rune
			}{
				{"idle", func(*Info) {}, 0},
				{"in transaction", func(i *Info) { i.Tx = TxOpen }, 0},
				{"failed transaction", func(i *Info) { i.Tx = TxFailed }, 0},
				{"connection lost", func(i *Info) { i.Tx = TxUnknown }, 0},
				{"write mode", func(i *Info) { i.Write = true; i.Tx = TxOpen }, 0},
				{"continuation", func(*Info) {}, '-'},
				{"inside a quote", func(i *Info) { i.Tx = TxOpen }, '\''},
				{"superuser", func(i *Info) { i.Superuser = true }, 0},
			}
			for _, c := range cases {
				i := base
				c.edit(&i)
				fmt.Fprintf(&buf, "%s/%s/%s: %q\n", pr.name, tierName(base), c.name, th.Prompt(i, c.cont))
			}
		}
	}
	golden(t, "prompt.golden", buf.Bytes())
}

func TestFrameGolden(t *testing.T) {
	var buf bytes.Buffer
	for _, pr := range profiles {
		th := Default(pr.p)
		for _, base := range tierInfos {
			for _, c := range []struct {
				name  string
				edit  func(*Info)
				width int
			}{
				{"idle", func(*Info) {}, 60},
				{"write, in transaction", func(i *Info) { i.Write = true; i.Tx = TxOpen }, 60},
				{"narrow", func(i *Info) { i.Tx = TxFailed }, 24},
			} {
				i := base
				c.edit(&i)
				fmt.Fprintf(&buf, "%s/%s/%s:\n", pr.name, tierName(base), c.name)
				for _, l := range strings.Split(th.Frame(i, "SELECT *\n  FROM orders;", c.width), "\n") {
					fmt.Fprintf(&buf, "  %q\n", l)
				}
				fmt.Fprintf(&buf, "  status %q\n", th.StatusLine(i, c.width))
			}
		}
	}
	golden(t, "frame.golden", buf.Bytes())
}

// The contract lines, spelt out here as well as in the golden files.
func TestPromptExact(t *testing.T) {
	prod := Info{Label: "PROD", Tier: Production, User: "app", Database: "orders"}
	tx := prod
	tx.Tx = TxOpen
	failed := prod
	failed.Tx = TxFailed
	tests := []struct {
		name string
		p    colorprofile.Profile
		info Info
		want string
	}{
		{"production truecolor", colorprofile.TrueColor, prod, "\x1b[1;38;2;215;0;0mPROD\x1b[m app@orders=> "},
		{"production 256", colorprofile.ANSI256, prod, "\x1b[1;38;5;160mPROD\x1b[m app@orders=> "},
		{"production 16", colorprofile.ANSI, prod, "\x1b[1;91mPROD\x1b[m app@orders=> "},
		{"production, no colour", colorprofile.NoTTY, prod, "[PRODUCTION] PROD app@orders=> "},
		{"NO_COLOR (ascii profile) is plain too", colorprofile.ASCII, prod, "[PRODUCTION] PROD app@orders=> "},
		{"in a transaction, no colour", colorprofile.NoTTY, tx, "[PRODUCTION] PROD app@orders=*> "},
		{"failed transaction, no colour", colorprofile.NoTTY, failed, "[PRODUCTION] PROD app@orders=!> "},
		{"failed transaction, 16", colorprofile.ANSI, failed, "\x1b[1;91mPROD\x1b[m app@orders=\x1b[1;91m!\x1b[m> "},
		{"staging 16 is yellow, not red", colorprofile.ANSI, Info{Label: "STG", Tier: Staging, User: "app", Database: "orders"},
			"\x1b[1;93mSTG\x1b[m app@orders=> "},
		{"staging, no colour", colorprofile.NoTTY, Info{Label: "STG", Tier: Staging, User: "app", Database: "orders"},
			"[STAGING] STG app@orders=> "},
		{"colour override degrades", colorprofile.ANSI256, Info{Label: "X", Tier: Production, Color: "#5f00af", Database: "d"},
			"\x1b[1;38;5;55mX\x1b[m d=> "},
		{"invalid override falls back to the tier", colorprofile.ANSI, Info{Label: "X", Tier: Development, Color: "chartreuse", Database: "d"},
			"\x1b[1;92mX\x1b[m d=> "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Default(tt.p).Prompt(tt.info, 0); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

var anyEscape = regexp.MustCompile(`[\x1b\x9b\x07]`)

// NO_COLOR (and --no-color) output carries no escape sequence at all, not
// even bold: the tier is said in words instead.
func TestNoColorHasNoEscapes(t *testing.T) {
	tests := []struct {
		name string
		th   *Theme
	}{
		{"NO_COLOR", Default(Detect(&bytes.Buffer{}, []string{"TERM=xterm-256color", "COLORTERM=truecolor", "CLICOLOR_FORCE=1", "NO_COLOR=1"}, false))},
		{"--no-color", Default(Detect(&bytes.Buffer{}, []string{"TERM=xterm-256color", "COLORTERM=truecolor", "CLICOLOR_FORCE=1"}, true))},
		{"TERM=dumb", Default(Detect(&bytes.Buffer{}, []string{"TERM=dumb"}, false))},
		{"Plain", Plain()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.th.Colorful() {
				t.Fatalf("profile %v draws colours", tt.th.Profile())
			}
			for _, base := range tierInfos {
				i := base
				i.Tx, i.Write = TxFailed, true
				out := []string{
					tt.th.Prompt(i, 0), tt.th.Prompt(i, '('),
					tt.th.Frame(i, "SELECT 1;", 60), tt.th.StatusLine(i, 60),
					tt.th.Swatch(i.Tier, i.Color),
					tt.th.Destructive.Render("DELETE 12 rows"), tt.th.Warning.Render("w"), tt.th.Error.Render("e"),
					tt.th.Success.Render("s"), tt.th.Muted.Render("m"), tt.th.Emphasis.Render("production"),
				}
				for _, s := range out {
					if anyEscape.MatchString(s) {
						t.Errorf("%s: escape in %q", tierName(base), s)
					}
				}
				want := "[" + TierName(i.Tier) + "]"
				if !strings.Contains(out[0], want) || !strings.Contains(out[2], want) || !strings.Contains(out[3], want) {
					t.Errorf("%s: tier %s missing from prompt, frame or status line", tierName(base), want)
				}
			}
		})
	}
	t.Run("colour detected", func(t *testing.T) {
		th := Default(Detect(&bytes.Buffer{}, []string{"TERM=xterm-256color", "CLICOLOR_FORCE=1"}, false))
		if !th.Colorful() || !anyEscape.MatchString(th.Prompt(tierInfos[0], 0)) {
			t.Errorf("profile %v: want colours", th.Profile())
		}
	})
}

// Every frame line is exactly as wide as asked, whatever the profile,
// tier, width and body.
func TestFrameWidth(t *testing.T) {
	bodies := []string{"", "SELECT 1;", "a very long line of SQL that will not fit in a narrow frame at all, not even close", "\x1b[7mx\x1b[m"}
	for _, pr := range profiles {
		th := Default(pr.p)
		for _, i := range tierInfos {
			for _, w := range []int{12, 13, 20, 24, 40, 80, 200} {
				for _, b := range bodies {
					for n, l := range strings.Split(th.Frame(i, b, w), "\n") {
						if got := lipgloss.Width(l); got != w {
							t.Errorf("%s/%s width %d body %q line %d: width %d: %q", pr.name, tierName(i), w, b, n, got, l)
						}
					}
					if got := lipgloss.Width(th.StatusLine(i, w)); got > w || (pr.p != colorprofile.NoTTY && got != w) {
						t.Errorf("%s/%s status width %d: %d", pr.name, tierName(i), w, got)
					}
				}
			}
		}
	}
}

func TestFrameSaysProductionInWords(t *testing.T) {
	for _, pr := range profiles {
		for _, w := range []int{12, 24, 60} {
			i := Info{Label: "a-very-long-label-indeed", Tier: Production, User: "app", Host: "h", Database: "d"}
			f := Default(pr.p).Frame(i, "", w)
			plain := stripANSI(f)
			if !strings.Contains(plain, "PRODU") {
				t.Errorf("%s width %d: no tier in %q", pr.name, w, plain)
			}
			if w >= 24 && !strings.Contains(plain, "PRODUCTION") {
				t.Errorf("%s width %d: PRODUCTION not spelt out in %q", pr.name, w, plain)
			}
		}
	}
}

var ansiSeq = regexp.MustCompile(`\x1b\[[0-9;]*m`)

func stripANSI(s string) string { return ansiSeq.ReplaceAllString(s, "") }

func TestSwatch(t *testing.T) {
	tests := []struct {
		name     string
		p        colorprofile.Profile
		tier, cl string
		want     string
	}{
		{"production truecolor", colorprofile.TrueColor, Production, "", "\x1b[38;2;215;0;0m██\x1b[m"},
		{"staging 256", colorprofile.ANSI256, Staging, "", "\x1b[38;5;208m██\x1b[m"},
		{"development 16", colorprofile.ANSI, Development, "", "\x1b[92m██\x1b[m"},
		{"local 16", colorprofile.ANSI, Local, "", "\x1b[90m██\x1b[m"},
		{"override", colorprofile.TrueColor, Local, "#123456", "\x1b[38;2;18;52;86m██\x1b[m"},
		{"ANSI number override", colorprofile.ANSI256, Local, "33", "\x1b[38;5;33m██\x1b[m"},
		{"no colour", colorprofile.NoTTY, Production, "#d70000", "  "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Default(tt.p).Swatch(tt.tier, tt.cl); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTerminalSequences(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"title", SetTitle("[PRODUCTION] PROD app@db/orders"), "\x1b]0;[PRODUCTION] PROD app@db/orders\a"},
		{"title drops control characters", SetTitle("evil\x1b]0;x\a\x9bname\n"), "\x1b]0;evil]0;xname\a"},
		{"title text", TitleText(Info{Label: "PROD", Tier: Production, User: "app", Host: "db", Database: "orders"}), "[PRODUCTION] PROD app@db/orders"},
		{"title text, unknown tier", TitleText(Info{Host: "db", Database: "x"}), "[PRODUCTION] db/x"},
		{"tint production, dark", Tint(Production, "", true), "\x1b]11;rgb:2b/00/00\a"},
		{"tint production, light", Tint(Production, "", false), "\x1b]11;rgb:ff/e4/e4\a"},
		{"tint override, dark", Tint(Production, "#5f00af", true), "\x1b]11;rgb:13/00/23\a"},
		{"tint override, light", Tint(Production, "#5f00af", false), "\x1b]11;rgb:ec/e1/f6\a"},
		{"tint unknown tier fails closed", Tint("prod", "", true), "\x1b]11;rgb:2b/00/00\a"},
		{"no tint for staging", Tint(Staging, "", true), ""},
		{"no tint for local", Tint(Local, "#ff0000", true), ""},
		{"reset tint", ResetTint, "\x1b]111\a"},
		{"push title", PushTitle, "\x1b[22;0t"},
		{"pop title", PopTitle, "\x1b[23;0t"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestTierName(t *testing.T) {
	for in, want := range map[string]string{Production: "PRODUCTION", Staging: "STAGING", Development: "DEVELOPMENT", Local: "LOCAL", "": "PRODUCTION", "prod": "PRODUCTION"} {
		if got := TierName(in); got != want {
			t.Errorf("TierName(%q) = %q, want %q", in, got, want)
		}
	}
}

// The frame's bottom names the session's mode as the status line does.
func TestFrameNamesTheMode(t *testing.T) {
	for _, c := range []struct {
		name string
		info Info
		want string
	}{
		{"production, read-only", Info{Tier: Production}, "╰─ read-only ─"},
		{"production after \\write", Info{Tier: Production, Write: true, Tx: TxOpen}, "╰─ WRITE · in transaction ─"},
		{"staging", Info{Tier: Staging, ReadWrite: true}, "╰─ read-write ─"},
	} {
		got := stripANSI(Default(profiles[0].p).Frame(c.info, "", 60))
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: want %q in\n%s", c.name, c.want, got)
		}
	}
}

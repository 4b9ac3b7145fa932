package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/user"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/safesql/safesql/envs"
	sterm "github.com/safesql/safesql/repl/term"
	"github.com/safesql/safesql/theme"
)

// runEnvs is `safesql envs`: every environment with its tier, colour,
// address and the file that defined it, and the warnings about it. It never
// shows a password. `safesql envs --init` writes a commented config.
func runEnvs(ctx context.Context, args []string, streams *sterm.IOStreams, paths envs.Paths) int {
	noColor, doInit := false, false
	for _, a := range args {
		switch a {
		case "--no-color":
			noColor = true
		case "--init":
			doInit = true
		default:
			fmt.Fprintf(streams.Err, "safesql envs: unknown argument %q\nusage: safesql envs [--no-color] | safesql envs --init\n", a)
			return 1
		}
	}
	if doInit {
		if err := initConfig(streams.Out, paths.User); err != nil {
			fmt.Fprintf(streams.Err, "safesql envs --init: %v\n", err)
			return 1
		}
		return 0
	}
	cfg, err := envs.LoadContext(ctx, paths)
	if err == nil {
		err = resolveEnvs(ctx, cfg, streams)
	}
	if err != nil {
		fmt.Fprintf(streams.Err, "safesql: error: %v\n", err)
		return 1
	}
	printEnvs(streams.Out, cfg, paths, streams.OutTTY, noColor)
	return 0
}

// resolveEnvs resolves every environment's own address: its DSN, service
// files and libpq's defaults, never the caller's PG* variables, which say
// where this connection goes, not where an environment is. It stops when
// ctx is done (SIGTERM).
func resolveEnvs(ctx context.Context, cfg *envs.Config, streams *sterm.IOStreams) error {
	name := ""
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return cfg.ResolveContext(ctx, envs.LibpqDefaults(streams.Getenv, name).Parse)
}

// printEnvs writes the environment table of `safesql envs` and \envs.
func printEnvs(out io.Writer, cfg *envs.Config, paths envs.Paths, tty, noColor bool) {
	if len(cfg.Envs()) == 0 {
		fmt.Fprintf(out, "No environments defined. Add them to %s (or the file SAFESQL_CONFIG names).\n", orNone(paths.User))
		fmt.Fprintf(out, "Connections that match no environment are treated as %s.\n", cfg.UnknownTier)
		return
	}
	th := theme.Plain()
	if tty {
		th = theme.Default(theme.Detect(out, os.Environ(), noColor))
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTIER\tHOST\tPORT\tDATABASE\tDEFINED IN")
	for _, e := range cfg.Envs() {
		tier := string(e.Tier)
		if th.Colorful() {
			tier = th.Swatch(string(e.Tier), e.Color) + " " + tier
		}
		source := e.Source
		if e.OverriddenBy != "" {
			source += " (changed in " + e.OverriddenBy + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", e.Name, tier, e.Host(), e.Port(), e.Database(), source)
	}
	tw.Flush()
	var warnings []string
	for _, e := range cfg.Envs() {
		for _, w := range cfg.Warnings(e) {
			warnings = append(warnings, fmt.Sprintf("%s: %s", e.Name, w))
		}
	}
	if len(warnings) > 0 {
		fmt.Fprintln(out)
		for _, w := range dedupe(warnings) {
			fmt.Fprintf(out, "warning: %s\n", w)
		}
	}
	fmt.Fprintf(out, "\nConnections that match no environment are treated as %s.\n", cfg.UnknownTier)
}

func orNone(s string) string {
	if s == "" {
		return "~/.config/safesql/config.toml"
	}
	return s
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if k := strings.TrimSpace(s); !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	return out
}

// triedAsDatabase is the word of `safesql WORD` that named no environment
// and was then taken as a database name, as psql takes it; "" when the
// command line named an environment, a database (-d), a conninfo string
// or a URI.
func triedAsDatabase(opts *Options, named *envs.Env) string {
	if named != nil || opts.DBName != "" || len(opts.Positional) == 0 {
		return ""
	}
	word := opts.Positional[0]
	if word == "" || strings.Contains(word, "=") || strings.Contains(word, "://") {
		return ""
	}
	return word
}

// notAnEnvironment says, before a failed connection's error, that word
// names no environment, which ones there are and where they are defined:
// `safesql prod` with no environment called prod is most often a typo or
// a missing config, not a database called prod.
func notAnEnvironment(w io.Writer, cfg *envs.Config, paths envs.Paths, word string) {
	names := cfg.Names()
	if len(names) == 0 {
		fmt.Fprintf(w, "safesql: no environment is named %q: none are defined (add them to %s, or write a commented one with safesql envs --init)\n", word, orNone(paths.User))
	} else {
		var sources []string
		for _, e := range cfg.Envs() {
			if !slices.Contains(sources, e.Source) {
				sources = append(sources, e.Source)
			}
		}
		typo := ""
		if s := envs.Suggest(word, names); s != "" {
			typo = fmt.Sprintf(" (did you mean %q?)", s)
		}
		fmt.Fprintf(w, "safesql: no environment is named %q%s; the known ones are %s, defined in %s (safesql envs lists them)\n",
			word, typo, strings.Join(names, ", "), strings.Join(sources, " and "))
	}
	fmt.Fprintf(w, "safesql: %q was then tried as a database name:\n", word)
}

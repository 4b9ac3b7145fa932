package describe

import (
	"context"
	"io"
	"strings"

	"github.com/safesql/safesql/repl/render"
)

// Querier reads the catalogue.
type Querier = render.Querier

// Config is what psql's describing commands read from the session.
type Config struct {
	// Print are the session's \pset settings; psql honours them for
	// describing output too (except null, which it never shows there).
	Print render.Options
	// ServerVersion is the server's version number, e.g. 150004
	// (server_version_num). Zero means 150000.
	ServerVersion int
	// Quiet is psql's QUIET variable: an empty list is printed as an empty
	// table instead of "Did not find any relation named ...".
	Quiet bool
	// HideTableAM is psql's HIDE_TABLEAM variable.
	HideTableAM bool
}

// Error is a message psql prints on stderr for a describing command, one
// line without prefix (a caller running a script adds psql's
// "psql:FILE:LINE: " location).
type Error struct {
	Msg string
	// Failed says psql counts the command as failed: ON_ERROR_STOP stops
	// and -c exits with status 1. When false, the message is all there is
	// (psql's \dt with nothing to show) and the command succeeded.
	Failed bool
}

func (e *Error) Error() string { return e.Msg }

func failf(msg string) error { return &Error{Msg: msg, Failed: true} }

// Run executes one describing command the way psql 15 does and prints its
// output to w. cmd is the command name without the backslash ("d", "d+",
// "dtS+", "l+", "z", ...); args are the arguments as psql's OT_NORMAL
// scanning gives them (double quotes kept, single quotes removed, variables
// interpolated). psql reads only the first argument, except \df, which
// takes the others as argument-type patterns ("-" for no such argument);
// for every other command the caller warns about the extra ones
// (`\dt: extra argument "b" ignored`), as psql's dispatcher does.
//
// The error is a *Error for what psql reports itself, a server error as the
// Querier returned it, or a write error.
func Run(ctx context.Context, q Querier, w io.Writer, cfg Config, cmd string, args []string) error {
	if cfg.ServerVersion == 0 {
		cfg.ServerVersion = 150000
	}
	d := &describer{ctx: ctx, q: q, w: w, cfg: cfg}
	return d.run(cmd, args)
}

// Commands lists the commands Run handles, with psql 15's help for each:
// Name is the syntax without the backslash, Help the description. psql's
// \? prints "  \" + Name padded to 25 columns, then Help; when the syntax
// is too long for that (\df, \do), Help goes on the next line after 25
// spaces. Five long lines are exceptions that psql keeps on one line: the
// \dA[cfop] syntaxes are padded to 28 columns ("  \dAo[+] [AMPTRN
// [OPFPTRN]]   list ...") and \drds has one space before its Help.
func Commands() []struct{ Name, Help string } {
	return []struct{ Name, Help string }{
		{`d[S+]`, `list tables, views, and sequences`},
		{`d[S+]  NAME`, `describe table, view, sequence, or index`},
		{`da[S]  [PATTERN]`, `list aggregates`},
		{`dA[+]  [PATTERN]`, `list access methods`},
		{`dAc[+] [AMPTRN [TYPEPTRN]]`, `list operator classes`},
		{`dAf[+] [AMPTRN [TYPEPTRN]]`, `list operator families`},
		{`dAo[+] [AMPTRN [OPFPTRN]]`, `list operators of operator families`},
		{`dAp[+] [AMPTRN [OPFPTRN]]`, `list support functions of operator families`},
		{`db[+]  [PATTERN]`, `list tablespaces`},
		{`dc[S+] [PATTERN]`, `list conversions`},
		{`dconfig[+] [PATTERN]`, `list configuration parameters`},
		{`dC[+]  [PATTERN]`, `list casts`},
		{`dd[S]  [PATTERN]`, `show object descriptions not displayed elsewhere`},
		{`dD[S+] [PATTERN]`, `list domains`},
		{`ddp    [PATTERN]`, `list default privileges`},
		{`dE[S+] [PATTERN]`, `list foreign tables`},
		{`des[+] [PATTERN]`, `list foreign servers`},
		{`det[+] [PATTERN]`, `list foreign tables`},
		{`deu[+] [PATTERN]`, `list user mappings`},
		{`dew[+] [PATTERN]`, `list foreign-data wrappers`},
		{`df[anptw][S+] [FUNCPTRN [TYPEPTRN ...]]`, `list [only agg/normal/procedure/trigger/window] functions`},
		{`dF[+]  [PATTERN]`, `list text search configurations`},
		{`dFd[+] [PATTERN]`, `list text search dictionaries`},
		{`dFp[+] [PATTERN]`, `list text search parsers`},
		{`dFt[+] [PATTERN]`, `list text search templates`},
		{`dg[S+] [PATTERN]`, `list roles`},
		{`di[S+] [PATTERN]`, `list indexes`},
		{`dl[+]`, `list large objects, same as \lo_list`},
		{`dL[S+] [PATTERN]`, `list procedural languages`},
		{`dm[S+] [PATTERN]`, `list materialized views`},
		{`dn[S+] [PATTERN]`, `list schemas`},
		{`do[S+] [OPPTRN [TYPEPTRN [TYPEPTRN]]]`, `list operators`},
		{`dO[S+] [PATTERN]`, `list collations`},
		{`dp     [PATTERN]`, `list table, view, and sequence access privileges`},
		{`dP[itn+] [PATTERN]`, `list [only index/table] partitioned relations [n=nested]`},
		{`drds [ROLEPTRN [DBPTRN]]`, `list per-database role settings`},
		{`dRp[+] [PATTERN]`, `list replication publications`},
		{`dRs[+] [PATTERN]`, `list replication subscriptions`},
		{`ds[S+] [PATTERN]`, `list sequences`},
		{`dt[S+] [PATTERN]`, `list tables`},
		{`dT[S+] [PATTERN]`, `list data types`},
		{`du[S+] [PATTERN]`, `list roles`},
		{`dv[S+] [PATTERN]`, `list views`},
		{`dx[+]  [PATTERN]`, `list extensions`},
		{`dX     [PATTERN]`, `list extended statistics`},
		{`dy[+]  [PATTERN]`, `list event triggers`},
		{`l[+]   [PATTERN]`, `list databases`},
		{`z      [PATTERN]`, `same as \dp`},
	}
}

// Handles reports whether Run knows command cmd (without the backslash),
// with psql 15's rules for what follows the command letters: "\dtx" is
// \dt, "\dfz" is an invalid command. Describing commands psql has and Run
// does not are not handled either.
func Handles(cmd string) bool {
	switch cmd {
	case "l", "l+", "list", "list+", "z", "lo_list", "lo_list+":
		return true
	}
	if !strings.HasPrefix(cmd, "d") {
		return false
	}
	if len(cmd) == 1 {
		return true
	}
	switch cmd[1] {
	case '+', 'S', 't', 'v', 'm', 'i', 's', 'E', 'n', 'T', 'u', 'g', 'x', 'p',
		'D', 'b', 'd', 'o', 'y', 'c', 'C', 'L', 'X', 'a', 'l', 'O':
		return true
	case 'P':
		return len(cmd) == 2 || strings.IndexByte("+tin", cmd[2]) >= 0
	case 'F':
		return len(cmd) == 2 || strings.IndexByte("+pdt", cmd[2]) >= 0
	case 'e':
		return len(cmd) > 2 && strings.IndexByte("sutw", cmd[2]) >= 0
	case 'R':
		return len(cmd) > 2 && (cmd[2] == 'p' || cmd[2] == 's')
	case 'A':
		return len(cmd) == 2 || strings.IndexByte("+cfop", cmd[2]) >= 0
	case 'r':
		return strings.HasPrefix(cmd, "drds")
	case 'f':
		return len(cmd) == 2 || strings.IndexByte("+Sanptw", cmd[2]) >= 0
	}
	return false
}

// MaxArgs is how many arguments psql reads for command cmd (as Handles
// takes it); it warns about the others (`\dt: extra argument "b"
// ignored`). -1 means all of them: \df and \do take argument-type
// patterns after the name pattern, and never warn.
func MaxArgs(cmd string) int {
	switch {
	case strings.HasPrefix(cmd, "df"), strings.HasPrefix(cmd, "do"):
		return -1
	case strings.HasPrefix(cmd, "drds"):
		return 2
	case strings.HasPrefix(cmd, "dA") && len(cmd) > 2 && strings.IndexByte("cfop", cmd[2]) >= 0:
		return 2
	case strings.HasPrefix(cmd, "lo_list"):
		// psql's \lo_ commands read two arguments; \lo_list uses none.
		return 2
	}
	return 1
}

type describer struct {
	ctx context.Context
	q   Querier
	w   io.Writer
	cfg Config
}

func (d *describer) run(cmd string, args []string) error {
	if !Handles(cmd) {
		return failf(`invalid command \` + cmd)
	}
	var pattern *string
	if len(args) > 0 {
		p := args[0]
		pattern = &p
	}
	switch cmd {
	case "l", "l+", "list", "list+":
		return d.listDatabases(pattern, strings.HasSuffix(cmd, "+"))
	case "z":
		return d.permissions(pattern)
	case "lo_list", "lo_list+":
		return d.listLargeObjects(strings.HasSuffix(cmd, "+"))
	}
	if !strings.HasPrefix(cmd, "d") {
		return failf(`invalid command \` + cmd)
	}
	verbose := strings.Contains(cmd, "+")
	system := strings.Contains(cmd, "S")
	sub := cmd[1:]
	if sub == "" || sub[0] == '+' || sub[0] == 'S' {
		if pattern == nil {
			return d.listTables("tvmsE", nil, verbose, system)
		}
		return d.describeTables(*pattern, verbose, system)
	}
	switch sub[0] {
	case 't', 'v', 'm', 'i', 's', 'E':
		return d.listTables(sub, pattern, verbose, system)
	case 'A':
		var pattern2 *string
		if len(args) > 1 {
			pattern2 = &args[1]
		}
		var kind byte
		if len(sub) > 1 {
			kind = sub[1]
		}
		switch kind {
		case 'c':
			return d.listOpClasses(pattern, pattern2, verbose)
		case 'f':
			return d.listOpFamilies(pattern, pattern2, verbose)
		case 'o':
			return d.listOpFamilyOperators(pattern, pattern2, verbose)
		case 'p':
			return d.listOpFamilyFunctions(pattern, pattern2, verbose)
		}
		return d.listAccessMethods(pattern, verbose)
	case 'R':
		if sub[1] == 's' {
			return d.listSubscriptions(pattern, verbose)
		}
		if verbose {
			return d.describePublications(pattern)
		}
		return d.listPublications(pattern)
	case 'r':
		var pattern2 *string
		if len(args) > 1 {
			pattern2 = &args[1]
		}
		return d.listDbRoleSettings(pattern, pattern2)
	case 'e':
		switch sub[1] {
		case 's':
			return d.listForeignServers(pattern, verbose)
		case 'u':
			return d.listUserMappings(pattern, verbose)
		case 't':
			return d.listForeignTables(pattern, verbose)
		case 'w':
			return d.listForeignDataWrappers(pattern, verbose)
		}
	case 'n':
		return d.listSchemas(pattern, verbose, system)
	case 'f':
		var argTypes []string
		if pattern != nil {
			argTypes = args[1:]
		}
		return d.listFunctions(sub[1:], pattern, argTypes, verbose, system)
	case 'T':
		return d.listTypes(pattern, verbose, system)
	case 'u', 'g':
		return d.listRoles(pattern, verbose, system)
	case 'x':
		if verbose {
			return d.extensionContents(pattern)
		}
		return d.listExtensions(pattern)
	case 'p':
		return d.permissions(pattern)
	case 'D':
		return d.listDomains(pattern, verbose, system)
	case 'b':
		return d.listTablespaces(pattern, verbose)
	case 'd':
		if strings.HasPrefix(sub, "dp") {
			return d.listDefaultACLs(pattern)
		}
		return d.objectDescriptions(pattern, system)
	case 'o':
		var argTypes []string
		if pattern != nil {
			argTypes = args[1:]
		}
		return d.listOperators(pattern, argTypes, verbose, system)
	case 'y':
		return d.listEventTriggers(pattern, verbose)
	case 'c':
		if strings.HasPrefix(sub, "config") {
			return d.listConfig(pattern, verbose)
		}
		return d.listConversions(pattern, verbose, system)
	case 'P':
		return d.listPartitioned(sub[1:], pattern, verbose)
	case 'C':
		return d.listCasts(pattern, verbose)
	case 'F':
		var kind byte
		if len(sub) > 1 {
			kind = sub[1]
		}
		switch kind {
		case 'p':
			return d.listTSParsers(pattern, verbose)
		case 'd':
			return d.listTSDictionaries(pattern, verbose)
		case 't':
			return d.listTSTemplates(pattern, verbose)
		}
		return d.listTSConfigs(pattern, verbose)
	case 'L':
		return d.listLanguages(pattern, verbose, system)
	case 'X':
		return d.listExtendedStats(pattern)
	case 'a':
		return d.listAggregates(pattern, system)
	case 'l':
		return d.listLargeObjects(verbose)
	case 'O':
		return d.listCollations(pattern, verbose, system)
	}
	return failf(`invalid command \` + cmd)
}

// query runs sql through the Querier.
func (d *describer) query(sql string) ([]render.Column, [][][]byte, error) {
	return d.q.Query(d.ctx, sql)
}

// opts are the print options of one describing output: the session's, with
// psql's nullPrint = NULL and the given title.
func (d *describer) opts(title string) render.Options {
	o := d.cfg.Print
	o.Null = ""
	o.Title, o.TitleSet = title, false
	o.Footers = nil
	return o
}

// printQuery is psql's printQuery with myopt.title set.
func (d *describer) printQuery(title string, cols []render.Column, rows [][][]byte, footers []string, defaultFooter bool) error {
	o := d.opts(title)
	o.Footers = footers
	if !defaultFooter {
		o.Footer = false
	}
	return d.printWith(o, cols, rows)
}

// printWith prints one result with options o.
func (d *describer) printWith(o render.Options, cols []render.Column, rows [][][]byte) error {
	t := render.NewTable(d.w, o, cols)
	for _, r := range rows {
		if err := t.Row(r); err != nil {
			return err
		}
	}
	return t.Close()
}

// printTable is psql's printTable over cells the client built: every
// column left-aligned, no default footer.
func (d *describer) printTable(title string, headers []string, rows [][]string, footers []string) error {
	cols := make([]render.Column, len(headers))
	for i, h := range headers {
		cols[i] = render.Column{Name: h, TypeOID: 25}
	}
	bs := make([][][]byte, len(rows))
	for i, r := range rows {
		bs[i] = make([][]byte, len(r))
		for j, c := range r {
			bs[i][j] = []byte(c)
		}
	}
	return d.printQuery(title, cols, bs, footers, false)
}

// list runs a list query and prints it with psql's default footer.
func (d *describer) list(title, sql string) error {
	cols, rows, err := d.query(sql)
	if err != nil {
		return err
	}
	return d.printQuery(title, cols, rows, nil, true)
}

func str(v []byte) string { return string(v) }

package analyze

import (
	"strings"

	"github.com/safesql/safesql/analyze/lex"
)

// Place is what kind of word is being typed at a point of a statement,
// for completion.
type Place int

// The places completion tells apart.
const (
	// PlaceNone: nothing to offer (a new name after AS or CREATE TABLE,
	// inside a string or a comment).
	PlaceNone Place = iota
	// PlaceStart: a statement's first word, a command.
	PlaceStart
	// PlaceKeyword: after a complete name or value, the clause words that
	// may follow it (Clause says which clause).
	PlaceKeyword
	// PlaceRelation: a table or view (after FROM, JOIN, UPDATE, INTO...).
	PlaceRelation
	// PlaceColumn: an expression (after SELECT, WHERE, SET, BY, an
	// operator...): the statement's columns and functions.
	PlaceColumn
	// PlaceJoinCondition: right after ON (or AND/OR in an ON clause).
	PlaceJoinCondition
	// PlaceMeta: a backslash command's name.
	PlaceMeta
	// PlaceSchema: a schema's name (\dn's argument).
	PlaceSchema
	// PlaceFunction: a function's name (\df's argument).
	PlaceFunction
)

// TableRef is a relation a statement names, with its alias. Names are as
// the server folds them (unquoted lower-cased, quoted kept).
type TableRef struct {
	Schema, Name, Alias string
}

// Ref is how the statement refers to t: its alias, else its name.
func (t TableRef) Ref() string {
	if t.Alias != "" {
		return t.Alias
	}
	return t.Name
}

// CompletionPoint describes the word that ends at a cursor.
type CompletionPoint struct {
	Place Place
	// Clause is the lower-cased keyword that governs the place ("from",
	// "where", "select", "order by"...); "" at a statement's start.
	Clause string
	// Start is the byte offset where the word being completed starts
	// (after its qualifier and dot); Word is text[Start:cursor].
	Start int
	Word  string
	// Qualifier is what stands before the word's last dot, folded ("o" in
	// "o.sta", "public" in "public.or"); "" for none.
	Qualifier string
	// Join: right after a JOIN keyword (a join clause may be offered).
	Join bool
	// Tables are the relations the statement names, in order, without
	// the word being typed.
	Tables []TableRef
	// Locals are the statement's common table expressions (WITH).
	Locals []LocalTable
}

// LocalTable is a common table expression: its name, the columns its
// query names, and the relations whose columns its "*" stands for.
type LocalTable struct {
	Name    string
	Columns []string
	Star    []TableRef
}

// ctoken is a token of the completion tokenizer.
type ctoken struct {
	kind       byte // 'w' word, 'q' quoted identifier, 'v' value (string, number, parameter), 'p' punctuation or operator
	text       string
	start, end int
}

func (t ctoken) lower() string {
	if t.kind == 'w' {
		return strings.ToLower(t.text)
	}
	return t.text
}

// name is the identifier as the server folds it.
func (t ctoken) name() string {
	if t.kind == 'q' {
		return strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(t.text, `"`), `"`), `""`, `"`)
	}
	return strings.ToLower(t.text)
}

// ctokens splits text into tokens (analyze/lex's, folded into the four
// kinds completion tells apart: operators are one token per run, a
// backslash command's name is one). Spaces and comments are left out.
// inside reports whether end falls in a string, a dollar quote or a
// comment (a quoted identifier still open at the cursor is the word typed).
func ctokens(text string, end int) (toks []ctoken, inside bool) {
	const ops = "+-*/<>=~!@#%^&|`?:"
	add := func(kind byte, start, i int) {
		toks = append(toks, ctoken{kind, text[start:i], start, i})
	}
	lx := lex.NewLexer(text, lex.State{}, lex.Options{JoinJunk: true})
	for {
		t, ok := lx.Next()
		if !ok {
			return toks, inside
		}
		start, i := t.Start, t.End
		open := start < end && (end < i || !t.Closed && end == i)
		switch t.Kind {
		case lex.Space, lex.Newline:
		case lex.LineComment:
			inside = inside || start < end && end <= i
		case lex.Comment:
			inside = inside || open
		case lex.String, lex.EString, lex.UString, lex.Dollar:
			inside = inside || open
			add('v', start, i)
		case lex.QuotedIdent:
			add('q', start, i)
		case lex.UIdent:
			add('p', start, start+2)
			add('q', start+2, i)
		case lex.Word:
			add('w', start, i)
		case lex.Number, lex.Param, lex.Variable:
			add('v', start, i)
		case lex.Cast:
			add('p', start, i)
		case lex.DotDot:
			add('p', start, start+1)
			add('p', start+1, i)
		case lex.Backslash:
			for i < len(text) && !lex.IsSpace(text[i]) && text[i] != '\\' {
				i++
			}
			lx.Seek(i)
			add('p', start, i)
		default:
			switch c := text[start]; {
			case c == '$':
				// a dollar quote's tag being typed
				for i < len(text) && lex.IsVarChar(text[i]) {
					i++
				}
				lx.Seek(i)
				add('v', start, i)
			case lex.IsIdentStart(c): // the "u" of "u&" without a quote
				add('w', start, i)
			case strings.IndexByte(ops, c) >= 0:
				for i < len(text) && strings.IndexByte(ops, text[i]) >= 0 {
					i++
				}
				lx.Seek(i)
				add('p', start, i)
			default:
				add('p', start, i)
			}
		}
	}
}

// CompletionAt says what the word that ends at cursor (a byte offset in
// text, which may hold several statements) is: a command, a relation, a
// column, a join condition... and which relations its statement names.
// It reads text as typed so far, so it expects unfinished SQL.
func CompletionAt(text string, cursor int) CompletionPoint {
	cursor = min(max(cursor, 0), len(text))
	toks, inside := ctokens(text, cursor)
	if inside {
		return CompletionPoint{Place: PlaceNone, Start: cursor}
	}
	// The statement around the cursor.
	first, last := 0, len(toks)
	meta := ""
	for i, t := range toks {
		if t.kind == 'p' && t.text == ";" {
			if t.end <= cursor {
				first, meta = i+1, ""
			} else if i < last {
				last = i
				break
			}
		}
		if t.kind == 'p' && strings.HasPrefix(t.text, `\`) && t.end < cursor {
			// A backslash command ends the statement before it; its
			// arguments run to the end of its line.
			first, meta = i+1, t.text
			if strings.ContainsAny(text[t.end:cursor], "\n") {
				meta = ""
			}
		}
	}
	stmt := toks[first:last]
	if meta != "" {
		return metaArgument(text, cursor, meta, stmt)
	}

	// The word being typed: the tokens that end at the cursor, joined by
	// dots.
	wi := len(stmt)
	for i, t := range stmt {
		if t.end >= cursor {
			wi = i
			break
		}
	}
	pt := CompletionPoint{Start: cursor}
	before := stmt[:wi]
	if wi < len(stmt) && stmt[wi].start < cursor {
		w := stmt[wi]
		if w.kind == 'p' && strings.HasPrefix(w.text, `\`) {
			pt.Place, pt.Start, pt.Word = PlaceMeta, w.start, text[w.start:cursor]
			return pt
		}
		if w.kind == 'w' || w.kind == 'q' {
			pt.Start, pt.Word = w.start, text[w.start:cursor]
		} else {
			before = stmt[:wi+1]
		}
	}
	// A qualifier: name "." before the word.
	if n := len(before); n >= 2 && before[n-1].kind == 'p' && before[n-1].text == "." && before[n-1].end == max(pt.Start, cursor-len(pt.Word)) {
		var parts []string
		j := n - 1
		for j >= 1 && before[j].kind == 'p' && before[j].text == "." && (before[j-1].kind == 'w' || before[j-1].kind == 'q') {
			parts = append([]string{before[j-1].name()}, parts...)
			j -= 2
		}
		if len(parts) > 0 {
			pt.Qualifier = strings.Join(parts, ".")
			before = before[:j+1]
		}
	}
	wordStart := pt.Start
	if n := len(before); n < len(stmt) && n < wi {
		wordStart = stmt[n].start
	}
	pt.Tables = tableRefs(stmt, wordStart, cursor)
	pt.Locals = localTables(stmt)
	decide(&pt, before, stmt)
	return pt
}

// decide sets pt's Place and Clause from the tokens before the word.
func decide(pt *CompletionPoint, before, stmt []ctoken) {
	if len(before) == 0 {
		if pt.Qualifier != "" {
			pt.Place = PlaceNone
			return
		}
		pt.Place = PlaceStart
		return
	}
	command := ""
	if stmt[0].kind == 'w' {
		command = stmt[0].lower()
	}
	lastTok := before[len(before)-1]
	switch {
	case lastTok.kind == 'w' && clauseWord(lastTok.lower()):
		// handled below
	case lastTok.kind == 'p' && lastTok.text == ",":
		clause, _ := governing(before[:len(before)-1])
		pt.Clause = clause
		switch clause {
		case "from":
			pt.Place = PlaceRelation
		case "select", "by", "set", "returning", "using(", "(", "where", "having", "on":
			pt.Place = PlaceColumn
		default:
			pt.Place = PlaceNone
		}
		return
	case lastTok.kind == 'p' && lastTok.text == "(":
		prev := ""
		if len(before) >= 2 {
			prev = before[len(before)-2].lower()
		}
		clause, _ := governing(before[:len(before)-1])
		pt.Clause = clause
		switch {
		case prev == "exists" || prev == "from" || prev == "join" || prev == "in" && pt.Word != "" && strings.HasPrefix("select", strings.ToLower(pt.Word)):
			pt.Place = PlaceStart
		case prev == "using":
			pt.Place, pt.Clause = PlaceColumn, "using("
		case clause == "into" || clause == "values" || clause == "table" || clause == "as":
			pt.Place = PlaceNone
			if clause == "into" && len(before) >= 2 && (before[len(before)-2].kind == 'w' || before[len(before)-2].kind == 'q') {
				pt.Place = PlaceColumn // insert into t (<columns>)
			}
		default:
			pt.Place = PlaceColumn
		}
		return
	case lastTok.kind == 'p' && lastTok.text != ")" && lastTok.text != "*" && lastTok.text != "]" && lastTok.text != "::":
		// An operator: an operand comes next.
		clause, _ := governing(before)
		pt.Clause = clause
		pt.Place = PlaceColumn
		if clause == "values" {
			pt.Place = PlaceNone
		}
		return
	case lastTok.kind == 'p' && lastTok.text == "::":
		pt.Place = PlaceNone
		return
	default:
		// A name, a value or a closing bracket: clause words follow.
		clause, _ := governing(before)
		pt.Clause = clause
		pt.Place = PlaceKeyword
		if pt.Qualifier != "" {
			pt.Place = PlaceNone
		}
		return
	}

	w := lastTok.lower()
	prev := ""
	if len(before) >= 2 {
		prev = before[len(before)-2].lower()
	}
	pt.Clause = w
	switch w {
	case "from", "update", "into", "truncate", "only", "copy", "describe", "lock":
		pt.Place = PlaceRelation
		if w == "only" {
			pt.Clause = "from"
		}
		if w == "from" && prev == "distinct" {
			pt.Clause, _ = governing(before[:len(before)-1])
			pt.Place = PlaceColumn
		}
	case "join":
		pt.Place = PlaceRelation
		pt.Join = prev != "cross" && prev != "natural"
	case "table", "view":
		pt.Place = PlaceRelation
		if prev == "create" || prev == "temp" || prev == "temporary" || prev == "unlogged" || prev == "materialized" || prev == "replace" {
			pt.Place = PlaceNone
		}
	case "on":
		switch command {
		case "create", "grant", "revoke", "comment", "alter":
			pt.Place = PlaceRelation
		default:
			pt.Place = PlaceJoinCondition
		}
	case "and", "or":
		clause, _ := governing(before[:len(before)-1])
		pt.Clause = clause
		pt.Place = PlaceColumn
		if clause == "on" && command != "create" {
			pt.Place = PlaceJoinCondition
		}
	case "by":
		pt.Place = PlaceColumn
		if prev == "order" || prev == "group" || prev == "partition" {
			pt.Clause = prev + " by"
		} else {
			pt.Place = PlaceNone
		}
	case "set":
		pt.Place = PlaceColumn
		if len(before) == 1 {
			pt.Place = PlaceNone // SET a run-time parameter
		}
	case "select", "where", "having", "distinct", "returning", "when", "then", "else", "case",
		"not", "between", "like", "ilike", "is", "in", "column", "all", "any", "some":
		pt.Place = PlaceColumn
		if w != "select" && w != "where" && w != "having" && w != "returning" && w != "column" {
			clause, _ := governing(before[:len(before)-1])
			pt.Clause = clause
		}
	case "as", "limit", "offset", "values", "index", "schema", "database", "function", "procedure",
		"trigger", "sequence", "type", "extension", "role", "user", "savepoint", "to", "begin",
		"commit", "rollback", "abort", "end", "start", "transaction", "with", "recursive", "exists", "if":
		pt.Place = PlaceNone
		if w == "end" && command != "end" {
			pt.Place = PlaceKeyword
		}
	case "alter", "create", "drop", "explain", "analyze", "verbose", "delete", "insert", "left", "right",
		"full", "inner", "outer", "cross", "natural", "order", "group", "partition", "union", "intersect", "except",
		"or replace", "unique", "temp", "temporary", "materialized", "unlogged":
		pt.Place = PlaceKeyword
		if (w == "explain" || w == "analyze" || w == "verbose") && len(before) <= 3 {
			pt.Place = PlaceStart
		}
		if w == "union" || w == "intersect" || w == "except" {
			pt.Place = PlaceStart
		}
	default:
		pt.Place = PlaceKeyword
	}
}

// governing walks back over toks (skipping bracketed groups) to the
// keyword that governs the clause the end of toks is in.
func governing(toks []ctoken) (string, int) {
	depth := 0
	for i := len(toks) - 1; i >= 0; i-- {
		t := toks[i]
		if t.kind == 'p' {
			switch t.text {
			case ")":
				depth++
			case "(":
				if depth == 0 {
					if i > 0 && toks[i-1].lower() == "using" {
						return "using(", i
					}
					if i > 0 && (toks[i-1].kind == 'w' || toks[i-1].kind == 'q') && i > 1 && toks[i-2].lower() == "into" {
						return "into", i
					}
					return "(", i
				}
				depth--
			}
			continue
		}
		if depth > 0 || t.kind != 'w' {
			continue
		}
		switch w := t.lower(); w {
		case "select", "from", "where", "having", "set", "returning", "on", "values", "into", "update", "limit", "offset", "table", "as", "with":
			if w == "from" && i > 0 && toks[i-1].lower() == "distinct" {
				continue // IS DISTINCT FROM
			}
			return w, i
		case "join":
			return "from", i
		case "by":
			if i > 0 {
				return toks[i-1].lower() + " by", i
			}
		}
	}
	return "", -1
}

// clauseWord: a word decide handles as a keyword when it ends the text
// before the cursor (a name that is also a keyword is then taken as the
// keyword, as psql's completion does).
func clauseWord(w string) bool {
	switch w {
	case "from", "update", "into", "truncate", "only", "copy", "describe", "lock", "join", "table", "view",
		"on", "and", "or", "by", "set", "select", "where", "having", "distinct", "returning", "when", "then",
		"else", "case", "not", "between", "like", "ilike", "is", "in", "column", "all", "any", "some",
		"as", "limit", "offset", "values", "index", "schema", "database", "function", "procedure", "trigger",
		"sequence", "type", "extension", "role", "user", "savepoint", "to", "begin", "commit", "rollback",
		"abort", "end", "start", "transaction", "with", "recursive", "exists", "if",
		"alter", "create", "drop", "explain", "analyze", "verbose", "delete", "insert", "left", "right",
		"full", "inner", "outer", "cross", "natural", "order", "group", "partition", "union", "intersect",
		"except", "unique", "temp", "temporary", "materialized", "unlogged", "asc", "desc", "null", "nulls",
		"first", "last", "true", "false", "using", "cascade", "restrict", "lateral", "do", "nothing",
		"conflict", "default", "over", "filter", "window", "fetch", "for", "returns", "language", "replace", "or replace":
		return true
	}
	return false
}

// tableRefs are the relations stmt names after FROM (and its commas),
// JOIN, UPDATE, INTO, TABLE, USING of DELETE, leaving out the tokens of
// the word being typed (from wordStart to cursor).
func tableRefs(stmt []ctoken, wordStart, cursor int) []TableRef {
	var refs []TableRef
	isName := func(t ctoken) bool {
		return (t.kind == 'w' && !clauseWord(t.lower()) && !reservedAfterName(t.lower()) || t.kind == 'q') &&
			!(t.start >= wordStart && t.start <= cursor && t.end >= wordStart)
	}
	for i := 0; i < len(stmt); i++ {
		w := stmt[i].lower()
		if stmt[i].kind != 'w' {
			continue
		}
		switch w {
		case "from", "join", "update", "into", "table", "using", "only", "truncate":
		default:
			continue
		}
		if w == "table" && (i == 0 || stmt[i-1].lower() == "create" || stmt[i-1].lower() == "temp" || stmt[i-1].lower() == "temporary" || stmt[i-1].lower() == "unlogged") && i != 0 {
			continue
		}
		if w == "using" && (i+1 >= len(stmt) || stmt[i+1].text == "(") {
			continue // JOIN ... USING (cols)
		}
		if w == "from" && i > 0 && stmt[i-1].lower() == "distinct" {
			continue
		}
		j := i + 1
		for {
			if j < len(stmt) && stmt[j].lower() == "only" {
				j++
			}
			if j < len(stmt) && stmt[j].lower() == "lateral" {
				j++
			}
			if j < len(stmt) && stmt[j].text == "(" {
				// A subquery or function: skip it and its alias.
				depth := 0
				for j < len(stmt) {
					if stmt[j].text == "(" {
						depth++
					} else if stmt[j].text == ")" {
						depth--
						if depth == 0 {
							j++
							break
						}
					}
					j++
				}
			} else if j < len(stmt) && isName(stmt[j]) {
				parts := []string{stmt[j].name()}
				j++
				for j+1 < len(stmt) && stmt[j].text == "." && stmt[j].kind == 'p' && isName(stmt[j+1]) {
					parts = append(parts, stmt[j+1].name())
					j += 2
				}
				if j < len(stmt) && stmt[j].text == "(" && w != "into" && w != "table" {
					// A function in FROM: not a relation.
					parts = nil
				}
				var ref TableRef
				if len(parts) > 0 {
					ref.Name = parts[len(parts)-1]
					if len(parts) > 1 {
						ref.Schema = parts[len(parts)-2]
					}
				}
				if j < len(stmt) && stmt[j].lower() == "as" {
					j++
				}
				if j < len(stmt) && isName(stmt[j]) {
					ref.Alias = stmt[j].name()
					j++
				}
				if ref.Name != "" {
					refs = append(refs, ref)
				}
			} else {
				break
			}
			if w != "from" && w != "truncate" || j >= len(stmt) || stmt[j].text != "," {
				break
			}
			j++
		}
		i = j - 1
	}
	return refs
}

// reservedAfterName: words that follow a table and are never its alias.
func reservedAfterName(w string) bool {
	switch w {
	case "natural", "inner", "left", "right", "full", "cross", "join", "where", "group", "order", "having",
		"limit", "offset", "on", "using", "set", "window", "union", "except", "intersect", "returning",
		"values", "default", "fetch", "for", "tablesample", "select", "overriding":
		return true
	}
	return false
}

// metaArgument is the word at cursor as an argument of the backslash
// command meta: a relation for \d and its kin, a schema for \dn, a
// function for \df (pgcli's suggest_special).
func metaArgument(text string, cursor int, meta string, args []ctoken) CompletionPoint {
	pt := CompletionPoint{Place: PlaceNone, Start: cursor, Clause: meta}
	var word []ctoken
	for _, t := range args {
		if t.start < cursor {
			word = append(word, t)
		}
	}
	// Only the first argument, a pattern: name or schema.name.
	if len(word) > 3 {
		return pt
	}
	if n := len(word); n > 0 && (word[n-1].kind == 'w' || word[n-1].kind == 'q') && word[n-1].end == cursor {
		pt.Start, pt.Word = word[n-1].start, text[word[n-1].start:cursor]
		word = word[:n-1]
	}
	switch {
	case len(word) == 0:
	case len(word) == 2 && word[1].text == "." && (word[0].kind == 'w' || word[0].kind == 'q'):
		pt.Qualifier = word[0].name()
	default:
		return pt
	}
	switch strings.TrimRight(meta, "+S") {
	case `\d`, `\dt`, `\dv`, `\dm`, `\dE`, `\dp`, `\z`, `\dP`:
		pt.Place = PlaceRelation
	case `\dn`:
		if pt.Qualifier == "" {
			pt.Place = PlaceSchema
		}
	case `\df`:
		pt.Place = PlaceFunction
	}
	return pt
}

// localTables reads the common table expressions of a statement that
// starts with WITH: name [(columns)] AS [NOT] [MATERIALIZED] (query).
func localTables(stmt []ctoken) []LocalTable {
	if len(stmt) == 0 || stmt[0].lower() != "with" {
		return nil
	}
	var out []LocalTable
	i := 1
	if i < len(stmt) && stmt[i].lower() == "recursive" {
		i++
	}
	for i < len(stmt) && (stmt[i].kind == 'w' || stmt[i].kind == 'q') {
		lt := LocalTable{Name: stmt[i].name()}
		i++
		if i < len(stmt) && stmt[i].text == "(" {
			for i++; i < len(stmt) && stmt[i].text != ")"; i++ {
				if stmt[i].kind == 'w' || stmt[i].kind == 'q' {
					lt.Columns = append(lt.Columns, stmt[i].name())
				}
			}
			i++
		}
		for i < len(stmt) && (stmt[i].lower() == "as" || stmt[i].lower() == "not" || stmt[i].lower() == "materialized") {
			i++
		}
		if i >= len(stmt) || stmt[i].text != "(" {
			break
		}
		// The query, to its closing bracket (or the end of the text).
		depth, start := 0, i+1
		j := i
		for ; j < len(stmt); j++ {
			if stmt[j].text == "(" {
				depth++
			} else if stmt[j].text == ")" {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		body := stmt[start:min(j, len(stmt))]
		if lt.Columns == nil {
			lt.Columns, lt.Star = selectList(body)
		}
		out = append(out, lt)
		i = j + 1
		if i >= len(stmt) || stmt[i].text != "," {
			break
		}
		i++
	}
	return out
}

// selectList names the output columns of a query's first select list
// (an alias, else a column's own name; other expressions have none) and
// the relations a "*" in it stands for.
func selectList(body []ctoken) (cols []string, star []TableRef) {
	i := 0
	for i < len(body) && body[i].lower() != "select" {
		i++
	}
	i++
	if i < len(body) && body[i].lower() == "distinct" {
		i++
	}
	var item []ctoken
	depth := 0
	flush := func() {
		n := len(item)
		switch {
		case n == 0:
		case n >= 2 && (item[n-1].kind == 'w' || item[n-1].kind == 'q') && (item[n-2].lower() == "as" || item[n-2].kind == 'w' || item[n-2].kind == 'q' || item[n-2].text == ")"):
			cols = append(cols, item[n-1].name()) // expr [AS] alias
		case item[n-1].text == "*":
			star = append(star, TableRef{Name: "*"})
			if n == 3 {
				star[len(star)-1].Name = item[0].name() // t.*
			}
		case n == 1 && (item[0].kind == 'w' || item[0].kind == 'q'):
			cols = append(cols, item[0].name())
		case n == 3 && item[1].text == "." && (item[2].kind == 'w' || item[2].kind == 'q'):
			cols = append(cols, item[2].name())
		}
		item = item[:0]
	}
	for ; i < len(body); i++ {
		t := body[i]
		if depth == 0 && t.kind == 'w' && (t.lower() == "from" || t.lower() == "where" || t.lower() == "union" || t.lower() == "group" || t.lower() == "order" || t.lower() == "limit") {
			break
		}
		switch t.text {
		case "(":
			depth++
		case ")":
			depth--
		case ",":
			if depth == 0 {
				flush()
				continue
			}
		}
		item = append(item, t)
	}
	flush()
	if len(star) > 0 {
		refs := tableRefs(body, -1, -1)
		var out []TableRef
		for _, s := range star {
			for _, r := range refs {
				if s.Name == "*" || s.Name == r.Ref() {
					out = append(out, r)
				}
			}
		}
		star = out
	}
	return cols, star
}

package analyze

import (
	"fmt"
	"sort"
	"strings"
)

// Class orders statements by what they can do to persistent state.
type Class int

// The three classes, in increasing order of danger.
const (
	Read Class = iota
	Write
	Destructive
)

// String returns "read", "write" or "destructive".
func (c Class) String() string {
	switch c {
	case Read:
		return "read"
	case Write:
		return "write"
	case Destructive:
		return "destructive"
	}
	return fmt.Sprintf("Class(%d)", int(c))
}

// ParseClass is the inverse of String (case-insensitive).
func ParseClass(s string) (Class, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "read":
		return Read, nil
	case "write":
		return Write, nil
	case "destructive":
		return Destructive, nil
	}
	return Read, fmt.Errorf("unknown class %q: want read, write or destructive", s)
}

// MarshalText makes a Class appear as its name in JSON and text encodings.
func (c Class) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText parses a class name.
func (c *Class) UnmarshalText(b []byte) error {
	v, err := ParseClass(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Flag explains a class or warns about a side effect.
type Flag string

// Flags the analyzer sets (see the analyzer contract).
const (
	FlagNoWhere       Flag = "no-where"
	FlagTautology     Flag = "tautology"
	FlagCascade       Flag = "cascade"
	FlagBlocksReads   Flag = "blocks-reads"
	FlagBlocksWrites  Flag = "blocks-writes"
	FlagRewritesTable Flag = "rewrites-table"
	FlagLocksRows     Flag = "locks-rows"
	FlagOpaque        Flag = "opaque"
	FlagUnparsed      Flag = "unparsed"
	FlagChangesRole   Flag = "changes-role"
	// FlagUntryable marks a statement with effects a rollback does not
	// undo (another session terminated, a session-level advisory lock, a
	// file written on the server, a call the analyzer cannot see into):
	// a dry run must not try it.
	FlagUntryable Flag = "untryable"
)

// Effect is what a statement does to one target.
type Effect string

// Effects used in Target.Effect.
const (
	EffectRead     Effect = "read"
	EffectInsert   Effect = "insert"
	EffectUpdate   Effect = "update"
	EffectUpsert   Effect = "upsert"
	EffectDelete   Effect = "delete"
	EffectMerge    Effect = "merge"
	EffectTruncate Effect = "truncate"
	EffectDrop     Effect = "drop"
	EffectCreate   Effect = "create"
	EffectReplace  Effect = "replace"
	EffectAlter    Effect = "alter"
	EffectRename   Effect = "rename"
	EffectLock     Effect = "lock"
	EffectCopyIn   Effect = "copy-in"
	EffectCopyOut  Effect = "copy-out"
	EffectGrant    Effect = "grant"
	EffectRevoke   Effect = "revoke"
	EffectMaintain Effect = "maintain" // VACUUM, ANALYZE, CLUSTER, REINDEX, REFRESH
	EffectCall     Effect = "call"
)

// Target is one object a statement touches.
type Target struct {
	Schema, Name string // Schema is "" when the name was not qualified
	Kind         string // "table", "index", "view", "function", "schema", "role", "database", ...
	Effect       Effect
	Lock         string // table lock level taken, e.g. "ACCESS EXCLUSIVE"; "" when unknown or none
	Rewrites     bool
}

// Verdict is the analysis of one statement.
type Verdict struct {
	Class   Class
	Flags   []Flag   // sorted, deduplicated
	Reasons []string // most serious first
	Targets []Target
	Calls   []string // functions called that are not PostgreSQL built-ins, qualified as written

	// Statements is the number of top-level statements in the text: 0 for
	// empty or comment-only text. The facts below describe one statement:
	// for text of more than one they are zero (TxControl is TxNone),
	// except NoTransactionBlock, which is true when any statement has it.
	Statements int
	// TxControl is the transaction-control statement this text is, from
	// its parse tree.
	TxControl TxKind
	// Chain is set for COMMIT AND CHAIN and ROLLBACK AND CHAIN.
	Chain bool
	// TxName is the savepoint of SAVEPOINT, RELEASE and ROLLBACK TO, or the
	// transaction identifier of PREPARE TRANSACTION, COMMIT PREPARED and
	// ROLLBACK PREPARED.
	TxName string
	// BeginModes are the modes of a BEGIN or START TRANSACTION.
	BeginModes BeginModes
	// NoTransactionBlock is set for a statement PostgreSQL refuses inside a
	// transaction block (VACUUM, CREATE INDEX CONCURRENTLY, CREATE
	// DATABASE, ALTER SYSTEM, ...).
	NoTransactionBlock bool
	// SafeForm suggests a less blocking form of the statement ("safer:
	// CREATE INDEX CONCURRENTLY ..."), or is "".
	SafeForm string
	// SetsStandardStrings is set when the text sets standard_conforming_strings
	// to a literal value (the last one, for several statements): the
	// splitter and the analyzer should read strings by it from then on. The
	// engine also follows the server's ParameterStatus.
	SetsStandardStrings *bool
	// ParseError is the parser's error for text it rejected (FlagUnparsed),
	// for showing it in psql's layout; nil when the text parsed.
	ParseError *ParseError
	// CopyToClient: the text is one COPY ... TO STDOUT, whose rows the
	// client reads with the COPY protocol.
	CopyToClient bool

	// parts keeps each finding with the call it came from, so that Refine
	// can drop what a resolved function no longer explains.
	parts []part
	// fallback is the reason given when no finding has one (a plain read).
	fallback string
	// lessons are what the statement teaches the analyzer, applied by
	// Analyzer.Learn.
	lessons []lesson
}

// part is one finding: a class contribution with its flags and reason.
// call is set when the finding exists only because an unknown function is
// called.
type part struct {
	class  Class
	flags  flagSet
	reason string
	call   string
}

// ParseError is the parser's own report of text it rejected.
type ParseError struct {
	Message string // e.g. `syntax error at or near "selct"`
	// Cursor is the 1-based character (not byte) position in the text
	// given to the analyzer that the error points at, as the server
	// reports it; 0 when the error points nowhere.
	Cursor int
}

// Has reports whether v carries flag f.
func (v Verdict) Has(f Flag) bool {
	for _, g := range v.Flags {
		if g == f {
			return true
		}
	}
	return false
}

// Loud reports whether the statement's first reason must stand out: it
// changes every row of a table, and says so first. That is an UPDATE or
// DELETE without WHERE or with a WHERE that is always true, and TRUNCATE
// ... CASCADE, which also empties every table that references it.
func (v Verdict) Loud() bool {
	if v.Has(FlagNoWhere) || v.Has(FlagTautology) {
		return true
	}
	if !v.Has(FlagCascade) {
		return false
	}
	for _, t := range v.Targets {
		if t.Effect == EffectTruncate {
			return true
		}
	}
	return false
}

// Refine applies live knowledge of function volatility, keyed by the
// strings in Calls, with pg_proc.provolatile values: 'i' (IMMUTABLE) or 's'
// (STABLE) means the function cannot modify the database, so its call no
// longer raises the class or sets opaque; 'v' or a missing entry keeps the
// offline verdict. Refine returns a new Verdict; v is unchanged.
func (v Verdict) Refine(volatility map[string]byte) Verdict {
	if len(v.Calls) == 0 || len(volatility) == 0 {
		return v
	}
	resolved := func(call string) bool {
		vol, ok := volatility[call]
		return ok && (vol == 'i' || vol == 's')
	}
	parts := make([]part, 0, len(v.parts))
	for _, p := range v.parts {
		if p.call != "" && resolved(p.call) {
			continue
		}
		parts = append(parts, p)
	}
	var calls []string
	for _, c := range v.Calls {
		if !resolved(c) {
			calls = append(calls, c)
		}
	}
	out := finish(parts, v.Targets, calls)
	v.facts().apply(&out)
	if len(out.Reasons) == 0 && v.fallback != "" {
		out.Reasons = []string{v.fallback}
	}
	out.fallback = v.fallback
	out.lessons = v.lessons
	return out
}

// finish computes Class, Flags and Reasons from the parts.
func finish(parts []part, targets []Target, calls []string) Verdict {
	v := Verdict{parts: parts, Targets: targets, Calls: calls}
	var fs flagSet
	for _, p := range parts {
		if p.class > v.Class {
			v.Class = p.class
		}
		fs |= p.flags
	}
	v.Flags = fs.list()
	// Most serious reasons first; within a class, in the order found.
	idx := make([]int, len(parts))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return parts[idx[i]].class > parts[idx[j]].class })
	seen := make(map[string]bool, len(parts))
	for _, i := range idx {
		r := parts[i].reason
		if r == "" || seen[r] {
			continue
		}
		seen[r] = true
		v.Reasons = append(v.Reasons, r)
	}
	if v.Reasons == nil {
		v.Reasons = []string{}
	}
	if v.Flags == nil {
		v.Flags = []Flag{}
	}
	if v.Calls == nil {
		v.Calls = []string{}
	}
	if v.Targets == nil {
		v.Targets = []Target{}
	}
	return v
}

// flagSet is a bit set of flags; allFlags fixes the bit order, which is
// also the sorted order.
type flagSet uint32

var allFlags = [...]Flag{
	FlagBlocksReads, FlagBlocksWrites, FlagCascade, FlagChangesRole, FlagLocksRows,
	FlagNoWhere, FlagOpaque, FlagRewritesTable, FlagTautology, FlagUnparsed, FlagUntryable,
}

func flagsOf(fs ...Flag) flagSet {
	var s flagSet
	for _, f := range fs {
		for i, g := range allFlags {
			if f == g {
				s |= 1 << i
			}
		}
	}
	return s
}

func (s flagSet) list() []Flag {
	var out []Flag
	for i, f := range allFlags {
		if s&(1<<i) != 0 {
			out = append(out, f)
		}
	}
	return out
}

// Opaque returns the verdict for something the caller knows runs code the
// analyzer cannot see (psql's \gexec, \i): destructive, flags opaque and
// untryable.
func Opaque(reason string) Verdict {
	return finish([]part{{class: Destructive, flags: flagsOf(FlagOpaque, FlagUntryable), reason: reason}}, []Target{}, []string{})
}

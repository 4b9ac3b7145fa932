package shell

import (
	"fmt"

	"github.com/safesql/safesql/repl/render"
)

// formatMetaCommands are the commands of psql's other output formats
// (\H, \T).
func formatMetaCommands() []metaCommand {
	return []metaCommand{
		// psql's help says "(currently on)" while the format is html; the
		// help of this table is fixed, and says what a fresh session has.
		{[]string{"H", "html"}, `\H                     toggle HTML output mode`, func(s *Session, e metaEnv) metaResult {
			format := "html"
			if s.Print.Format == render.HTML {
				format = "aligned"
			}
			if err := SetPrintOption(&s.Print, "format", format, true); err != nil {
				return s.metaErr(err.Error())
			}
			s.psetInfo("format", true)
			s.extraArgs(e, 0)
			return metaResult{}
		}},
		{[]string{"T"}, `\T [STRING]            set HTML <table> tag attributes, or unset if none`, func(s *Session, e metaEnv) metaResult {
			r := s.psetArg(e, "tableattr")
			s.extraArgs(e, 1)
			return r
		}},
	}
}

// extraArgs warns, as psql does, of the arguments of e beyond the first
// n, which the command ignores.
func (s *Session) extraArgs(e metaEnv, n int) {
	for _, extra := range e.args[min(len(e.args), n):] {
		s.metaLog("warning", fmt.Sprintf("\\%s: extra argument \"%s\" ignored", e.name, extra))
	}
}

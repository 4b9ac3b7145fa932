package shell

import (
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
			return metaResult{}
		}},
		{[]string{"T"}, `\T [STRING]            set HTML <table> tag attributes, or unset if none`, func(s *Session, e metaEnv) metaResult {
			return s.psetArg(e, "tableattr")
		}},
	}
}

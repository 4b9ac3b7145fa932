package frontend

import (
	"fmt"
	"io"
	"strings"

	"github.com/safesql/safesql/theme"
)

// The request's one printer, in two styles: plain lines for a stream that
// is not a terminal, and styled lines for a terminal's scrollback and the
// full-screen confirmation view.

// WriteRequest prints a request as plain lines (WriteRequestLines), then
// the question without a newline.
func WriteRequest(w io.Writer, req ConfirmRequest) {
	WriteRequestLines(w, req)
	fmt.Fprintf(w, "%s ", req.Question)
}

// WriteRequestLines prints a request as plain lines, for a stream that is
// not a terminal: the title, the statement on one line, the reasons and
// the impact.
func WriteRequestLines(w io.Writer, req ConfirmRequest) {
	if req.Title != "" {
		fmt.Fprintln(w, req.Title)
	}
	if req.Statement != "" {
		fmt.Fprintf(w, "  %s\n", Shorten(req.Statement, 200))
	}
	for _, r := range req.Reasons {
		fmt.Fprintf(w, "  ! %s\n", r)
	}
	for _, l := range req.Impact {
		fmt.Fprintf(w, "  %s\n", l)
	}
}

// RenderRequest is the request as lines for a terminal's scrollback: the
// title, the statement, the reasons (loud ones stand out) and the impact.
func RenderRequest(th *theme.Theme, req ConfirmRequest) string {
	var b strings.Builder
	for _, l := range RequestLines(th, req, 0) {
		b.WriteString(l + "\n")
	}
	return b.String()
}

// RequestLines are the request's lines (statement lines cut to maxStmt
// lines when maxStmt > 0), styled with th.
func RequestLines(th *theme.Theme, req ConfirmRequest, maxStmt int) []string {
	var out []string
	if req.Title != "" {
		out = append(out, th.Destructive.Render(req.Title))
	}
	if s := strings.TrimSpace(req.Statement); s != "" {
		lines := strings.Split(s, "\n")
		if maxStmt > 0 && len(lines) > maxStmt {
			more := len(lines) - maxStmt + 1
			lines = append(lines[:maxStmt-1], fmt.Sprintf("… (%d more lines)", more))
		}
		for _, l := range lines {
			out = append(out, "  "+l)
		}
	}
	for i, reason := range req.Reasons {
		mark := "- "
		st := th.Warning
		if req.Loud && i == 0 {
			mark = "! "
			st = th.Destructive
		}
		if !th.Colorful() && req.Loud && i == 0 {
			reason = strings.ToUpper(reason)
		}
		out = append(out, st.Render(mark+reason))
	}
	for _, l := range req.Impact {
		out = append(out, "  "+l)
	}
	return out
}

// Package lex is the one SQL tokenizer of safesql: PostgreSQL's and psql
// 15's lexical rules for whitespace, comments (nested /* */), literals
// ('...', E'...', B'...', X'...', N'...', U&'...', standard_conforming_strings on
// or off), dollar quotes, quoted identifiers, words, numbers, parameters,
// psql variables and operators. The splitter (analyze/split), the
// highlighter (repl/frontend/syntax), the audit redactor (repl/audit) and analyze's
// completion and psql-variable substitution all lex with it.
//
// Two layers:
//
//   - Next and Body lex a window of a stream (string or []byte) that may
//     end before the input does: they report when they need more bytes.
//     Next lexes one token in plain SQL; a token that opens a literal,
//     quoted identifier, comment or dollar quote sets the State, and Body
//     then lexes its inside, stopping at each newline (psql lexes a line at
//     a time) and at its end. This is what the splitter uses.
//   - Lexer walks a whole string, literals, comments and dollar quotes
//     each one Token with its body, and can start inside one (a State
//     carried over from earlier lines, as the highlighter does).
//
// The tokenizer never fails and never panics: an unterminated literal or
// comment runs to the end of the input.
//
// It imports nothing of safesql (analyze/... may import it, and analyze
// imports nothing of safesql outside analyze/), and knows nothing of
// statements: where they end, COPY data and backslash commands are the
// splitter's business.
package lex

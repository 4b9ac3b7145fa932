// Package split cuts a psql script into the statements and backslash
// commands psql 15 would see, with the exact bytes, lines and query text of
// each, and streams them from readers of any size.
//
// Nothing that needs a server, a file, a terminal or the meaning of a
// statement belongs here: no execution of backslash commands, no \if
// evaluation, no classification of SQL (that is analyze's job).
//
// # How psql splits, and what this package reproduces
//
// psql reads its input line by line and lexes each line with the backend's
// token rules plus a few of its own: a ';' outside quotes, comments, dollar
// quotes and parentheses, and outside the BEGIN ATOMIC ... END body of a
// CREATE [OR REPLACE] FUNCTION/PROCEDURE, ends a statement; a backslash
// outside quotes starts a backslash command that runs to the end of the line
// (or to the next unquoted backslash); "\;" and "\:" put a literal ';' or ':'
// into the query buffer. Leading whitespace and leading "--" comments are
// not put into the query buffer; everything from the first token on is,
// comments included (psql 15 behaviour). Lines are joined with '\n' only
// when another line comes: empty lines outside quotes are skipped, the
// newline before a line that starts with a backslash command is removed,
// and the last line's newline is never sent. A UTF-8 byte-order mark at the
// start is ignored. Item.SQL is that buffer (see below for text carried
// over backslash commands), checked against psql 15 and a server logging
// what it receives (psql_test.go).
//
// # Choices made where psql gives no single answer
//
//   - Bytes: concatenating Item.Text of all items reproduces the input
//     (with streamed COPY data, in the order of Item.Start: see below).
//     Whitespace and comments between two items belong to the following item.
//     Whitespace and "--" comments after the last statement become a final
//     Statement item with SQL == "" and Complete == true; callers skip
//     statements whose SQL is empty. A Statement whose SQL is empty is never
//     emitted for any other reason (streamed COPY data aside, see below);
//     it is Complete unless psql's buffer still holds text from before a
//     backslash command. A lone ';' or a
//     statement of "/* */" comments is sent by psql (the server answers
//     with an empty query), so its SQL is not empty.
//   - A statement interrupted by a backslash command is emitted as a
//     Statement with Complete == false and Terminator == "", immediately
//     followed by the Meta item. psql keeps its query buffer across backslash
//     commands that neither send nor discard it (\echo, \set, \i, ...), so
//     the splitter keeps its lexical state (parentheses, BEGIN ATOMIC depth,
//     COPY detection, whitespace rules) across them; but each Statement's SQL
//     is only the text of its own item. The caller keeps the buffer, as
//     psql does: append each Statement's SQL, joined to text already there
//     with '\n' (with nothing when the Meta between them ended with the "\\"
//     separator); send the buffer when a Statement is Complete, when a Meta
//     SendsQuery, and at the end of input; empty it after sending and when a
//     Meta ResetsQuery. psql_test.go checks that this reproduces what psql
//     15 sends. A sending command with an empty buffer makes psql send its
//     previous query again; that too is the caller's to remember.
//   - EndLine is the line psql reports in "psql:FILE:LINE:": the line of the
//     ';', of the backslash of the command that sent the buffer, or for a
//     statement ended by the end of input the last line of its Text. For a
//     COPY FROM STDIN, and for what follows it on its line, psql has read
//     the data by the time the server answers: EndLine is the "\." line.
//   - Meta.Args is the text after the command name up to the end of the
//     command, trimmed of surrounding whitespace; a trailing "\\" separator
//     is part of Text but not of Args. Commands psql does not know, and
//     \copy, \!, \h, \ef, \ev, \sf, \sv, take the whole rest of the line as
//     psql does. Meta items are always Complete.
//   - COPY ... FROM STDIN (first token COPY, then FROM STDIN at parenthesis
//     depth 0), \copy ... from stdin, and \g or \gx sending such a COPY take
//     the lines that follow as data, up to the line "\." (also "\.\r" and
//     "\." at end of input). The data is in CopyData and in Text, never
//     lexed. When other statements follow the COPY on the same line (psql
//     runs them after the data), the data bytes are in the Text of the item
//     that is open when that line ends, and CopyData is still set on the
//     COPY item. A COPY item whose data was cut off by the end of input has
//     Complete == false.
//   - Streaming COPY data: a Scanner made with WithCopyChunks returns the
//     COPY item (CopyStream set, CopyData nil, Complete, EndLine the line
//     of its ';' or backslash command) as soon as its line is read, then
//     the data as CopyChunk items of at most the given size (whole lines
//     unless a line is longer), the last with CopyLast set and Complete
//     when the "\." line ended the data; that chunk's EndLine is the
//     COPY's error line (the "\." line). Memory then stays bounded by the
//     chunk size, whatever the size of the data. Items come in the order
//     psql runs them: what follows a COPY on its line comes after its
//     data, and the rest of that line becomes a Statement with empty SQL
//     (see WithCopyChunks). CopyReader turns the chunks into an io.Reader.
//     Split, and NewScanner without options, never stream.
//   - Variables (:name) are not expanded while splitting; a variable whose
//     value holds a ';' splits differently in psql. Interpolate expands one
//     statement afterwards. standard_conforming_strings is assumed on.
//
// It imports nothing of safesql outside analyze/.
package split

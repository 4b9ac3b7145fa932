//go:build !unix

package term

import "io"

// PendingInput: elsewhere nothing is read ahead of the editor.
func PendingInput(io.Reader) func() ([]byte, error) { return nil }

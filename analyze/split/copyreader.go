package split

import (
	"io"
	"sync"
)

// CopyReader reads the data of a streamed COPY ... FROM STDIN: the
// CopyData of the CopyChunk items that follow the CopyStream item a
// Scanner has just returned. It scans them from that Scanner and never
// past the last one, so the next Scan after Close returns the item that
// follows the data.
//
// Read may be called from another goroutine than the one that calls Scan
// (pgconn.CopyFrom reads in a goroutine of its own, which may still be in
// Read when CopyFrom returns early): Read and Close are serialised, and
// the Scanner is only used by Read until Close returns. Call Close before
// the next Scan.
type CopyReader struct {
	mu     sync.Mutex
	s      *Scanner
	data   string
	done   bool // the last chunk has been read (or the input failed)
	closed bool
	last   Item
	err    error
}

// CopyReader returns a reader of the data of the COPY item the last Scan
// returned. If that item is not a COPY with CopyStream set, the reader is
// empty.
func (s *Scanner) CopyReader() *CopyReader {
	return &CopyReader{s: s, done: !s.item.CopyStream}
}

// next scans the next chunk.
func (r *CopyReader) next() {
	if !r.s.Scan() {
		// Only a read error ends the input before the last chunk.
		r.done = true
		r.err = r.s.Err()
		return
	}
	it := r.s.Item()
	if it.Kind != CopyChunk {
		panic("split: CopyReader scanned a " + it.Kind.String() + " before the last chunk")
	}
	r.last = it
	if r.s.chunkSeen != nil {
		r.s.chunkSeen(it)
	}
	r.data = *it.CopyData
	r.done = it.CopyLast
}

// Read reads COPY data; it returns io.EOF after the last chunk, whether
// or not the data ended with "\." (see Last), and the Scanner's error if
// reading the input failed.
func (r *CopyReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.data == "" {
		if r.err != nil {
			return 0, r.err
		}
		if r.done || r.closed {
			return 0, io.EOF
		}
		r.next()
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// Close skips the data not read yet (a COPY that failed: its data is not
// SQL and is not run), up to the last chunk, and ends the reader. It
// returns the Scanner's error if reading the input failed.
func (r *CopyReader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	r.data = ""
	for !r.done {
		r.next()
	}
	return r.err
}

// Last returns the last chunk read. After Close it is the COPY's last
// chunk: Complete tells whether the data ended with "\.", EndLine is the
// line psql reports the COPY's errors at. It is the zero Item when the
// reader is empty.
func (r *CopyReader) Last() Item {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last
}

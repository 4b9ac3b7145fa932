package dryrun

import "time"

// DefaultOptions are the defaults the engine runs with when an environment sets none: 5s, 1s and 5 sample rows.
func DefaultOptions() Options {
	return Options{Timeout: 5 * time.Second, LockTimeout: time.Second, SampleRows: 5}
}

package audit

import (
	"errors"
	"fmt"
	"io/fs"
	"log/syslog"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// Open prepares the log at path ("" is DefaultPath). getenv is consulted
// for XDG_STATE_HOME and HOME only.
//
// The file is a security boundary: whoever can read it learns what was run,
// and whoever can change it can hide it. Open refuses, with an *Error whose
// Op is Refuse and whose text names the rule and the way out, a path that
//   - is a symbolic link (the file is opened with O_NOFOLLOW), or anything
//     but a regular file;
//   - sits in a directory others can write: group- or world-writable,
//     sticky ones like /tmp included, or owned by anyone but the user
//     running safesql or root;
//   - belongs to anyone but the user running safesql (the effective uid);
//   - has more than one hard link;
//   - has any group or other permission bit (the error gives the chmod 600
//     to run).
//
// The rules are checked on the opened directory and file (fstat), not on
// the path, so that nothing can be swapped in between. A missing file is
// created with mode 0600 and a missing directory, with any missing
// parents, with 0700. Nothing that exists is ever chmod'ed: a wrong path
// given to a root session would otherwise change /dev or /etc/passwd (a
// test once turned /dev into 0700).
//
// With useSyslog, every line also goes to syslog (facility authpriv, tag
// safesql), and a syslog that cannot be reached is an error.
func Open(path string, getenv func(string) string, useSyslog bool) (*Log, error) {
	if path == "" {
		path = DefaultPath(getenv)
		if path == "" {
			return nil, &Error{Path: "(default)", Op: "open", Err: errors.New("neither XDG_STATE_HOME nor HOME is an absolute path")}
		}
	}
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	l := &Log{path: path, now: time.Now, f: f}
	if useSyslog {
		w, err := syslog.New(syslog.LOG_AUTHPRIV|syslog.LOG_INFO, "safesql")
		if err != nil {
			f.Close()
			return nil, &Error{Path: path, Op: "syslog", Err: err}
		}
		l.sys = w
	}
	return l, nil
}

// elsewhere is the way out of most refusals.
const elsewhere = "point audit.path at a file of your own in a directory only you can write"

func refuse(path, way, format string, args ...any) *Error {
	return &Error{Path: path, Op: Refuse, Err: fmt.Errorf(format, args...), way: way}
}

// openFile opens path for appending after checking its directory, and
// checks the file it opened.
func openFile(path string) (*os.File, error) {
	clean := filepath.Clean(path)
	dir, name := filepath.Dir(clean), filepath.Base(clean)
	dfd, err := openDir(path, dir)
	if err != nil {
		return nil, err
	}
	defer unix.Close(dfd)

	// What the path is now, to name the most telling rule first; what is
	// enforced is O_NOFOLLOW and the fstat of what was opened.
	var st unix.Stat_t
	if err := ignoringEINTR(func() error { return unix.Fstatat(dfd, name, &st, unix.AT_SYMLINK_NOFOLLOW) }); err == nil {
		if err := checkType(path, &st); err != nil {
			return nil, err
		}
	}
	if err := checkDir(path, dir, dfd); err != nil {
		return nil, err
	}
	var fd int
	err = ignoringEINTR(func() error {
		var err error
		// O_NONBLOCK: a named pipe put there meanwhile must not hang the
		// open; it is refused below.
		fd, err = unix.Openat(dfd, name, unix.O_RDWR|unix.O_APPEND|unix.O_CREAT|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0o600)
		return err
	})
	if err != nil {
		// ELOOP (EMLINK on FreeBSD) is how O_NOFOLLOW says symbolic link.
		if errors.Is(err, unix.ELOOP) || errors.Is(err, unix.EMLINK) {
			if unix.Fstatat(dfd, name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK {
				return nil, symlink(path)
			}
		}
		return nil, &Error{Path: path, Op: "open", Err: err}
	}
	if err := checkFile(path, fd); err != nil {
		unix.Close(fd)
		return nil, err
	}
	if err := unix.SetNonblock(fd, false); err != nil {
		unix.Close(fd)
		return nil, &Error{Path: path, Op: "open", Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}

// openDir opens dir, creating it and its missing parents with mode 0700
// when it does not exist.
func openDir(path, dir string) (int, error) {
	created := false
	for {
		var fd int
		err := ignoringEINTR(func() error {
			var err error
			fd, err = unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
			return err
		})
		switch {
		case err == nil:
			return fd, nil
		case errors.Is(err, unix.ENOENT) && !created:
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return -1, &Error{Path: path, Op: "create directory", Err: err}
			}
			created = true
		default:
			return -1, &Error{Path: path, Op: "directory", Err: &fs.PathError{Op: "open", Path: dir, Err: err}}
		}
	}
}

// checkDir refuses a directory others could write into: they could put a
// link, or a file of their own, in place of the log.
func checkDir(path, dir string, dfd int) error {
	var st unix.Stat_t
	if err := unix.Fstat(dfd, &st); err != nil {
		return &Error{Path: path, Op: "directory", Err: &fs.PathError{Op: "stat", Path: dir, Err: err}}
	}
	perm := uint32(st.Mode) & 0o7777
	me := uint32(os.Geteuid())
	switch {
	case perm&0o022 != 0:
		way := elsewhere
		if st.Uid == me && perm&unix.S_ISVTX == 0 {
			way = fmt.Sprintf("run chmod go-w %s, or %s", dir, elsewhere)
		}
		return refuse(path, way, "its directory %s has mode %04o, so others can create files in it and put a link or a file of their own in place of the log", dir, perm)
	case st.Uid != me && st.Uid != 0:
		return refuse(path, elsewhere, "its directory %s belongs to %s, who can put a link or a file of their own in place of the log", dir, account(st.Uid))
	}
	return nil
}

// checkType refuses anything but a regular file.
func checkType(path string, st *unix.Stat_t) error {
	var kind string
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFREG:
		return nil
	case unix.S_IFLNK:
		return symlink(path)
	case unix.S_IFDIR:
		kind = "a directory"
	case unix.S_IFCHR:
		kind = "a character device"
	case unix.S_IFBLK:
		kind = "a block device"
	case unix.S_IFIFO:
		kind = "a named pipe"
	case unix.S_IFSOCK:
		kind = "a socket"
	default:
		kind = "a special file"
	}
	return refuse(path, elsewhere, "it is %s, not a regular file", kind)
}

func symlink(path string) *Error {
	return refuse(path, "point audit.path at a regular file of your own in a directory only you can write", "it is a symbolic link, and lines written through it would go to the file it points to")
}

// checkFile checks the file Open opened.
func checkFile(path string, fd int) error {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return &Error{Path: path, Op: "stat", Err: err}
	}
	if err := checkType(path, &st); err != nil {
		return err
	}
	me := uint32(os.Geteuid())
	perm := uint32(st.Mode) & 0o7777
	switch {
	case st.Uid != me:
		return refuse(path, elsewhere, "it belongs to %s, not to you, and its owner can read and truncate it", account(st.Uid))
	case st.Nlink > 1:
		return refuse(path, "point audit.path at a new file in a directory only you can write", "it has %d hard links, so its lines can be read and changed under another name", st.Nlink)
	case perm&0o077 != 0:
		var access string
		switch r, w := perm&0o044 != 0, perm&0o022 != 0; {
		case r && w:
			access = "read and write"
		case r:
			access = "read"
		case w:
			access = "write"
		default:
			access = "execute"
		}
		return refuse(path, "run chmod 600 "+path, "it has mode %04o, which lets others %s it", perm, access)
	}
	return nil
}

// account names a user: "alice (uid 1000)", or "uid 1000" when the user
// database does not know it.
func account(uid uint32) string {
	id := strconv.FormatUint(uint64(uid), 10)
	if u, err := user.LookupId(id); err == nil && u.Username != "" {
		return u.Username + " (uid " + id + ")"
	}
	return "uid " + id
}

func ignoringEINTR(f func() error) error {
	for {
		if err := f(); !errors.Is(err, unix.EINTR) {
			return err
		}
	}
}

package schema

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// ReadLimited reads a configuration file: serverless.yml (--config), a
// ${file()} source or a --base template. Only a regular file of at most
// MaxFileSize bytes is read. A directory, FIFO, device, socket or symlink
// loop is an error at once: the file is opened without blocking and
// checked before anything is read, so /dev/zero cannot exhaust memory and
// a FIFO without a writer cannot hang the run. A missing file's error
// matches fs.ErrNotExist.
func ReadLimited(path string) ([]byte, error) {
	// O_NONBLOCK keeps open(2) from waiting for a FIFO's writer; a regular
	// file reads the same with or without it.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) && errors.Is(pe.Err, syscall.ELOOP) {
			return nil, fmt.Errorf("%s: symbolic link loop", path)
		}
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if kind := notRegular(info.Mode()); kind != "" {
		return nil, fmt.Errorf("%s is %s, not a regular file", path, kind)
	}
	if info.Size() > MaxFileSize {
		return nil, fmt.Errorf("%s is %d bytes; stepform reads files up to %d bytes (%d MiB)", path, info.Size(), MaxFileSize, MaxFileSize>>20)
	}
	// The size can grow after Stat, and /proc files report 0: read one
	// byte past the limit to notice either.
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s is larger than %d bytes (%d MiB), the most stepform reads", path, MaxFileSize, MaxFileSize>>20)
	}
	return data, nil
}

func notRegular(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return ""
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

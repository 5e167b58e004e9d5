package packaging

import (
	"bufio"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"unicode/utf8"
)

// The zip layout follows the framework's (archiver 5 / zip-stream 4): no
// directory entries, every entry followed by a data descriptor, DOS time
// 0x0000 and date 0x0021 (1980-01-01), made-by 0x032D (Unix, spec 4.5),
// external attributes (mode << 16) | 0x20, no extra fields or comments,
// stored empty files and deflated others. The deflate stream itself is
// Go's, so the bytes (and CodeSha256) differ from Node's zlib; the entry
// list, order, modes and contents are the same.

const (
	zipVersionNeeded = 20
	zipMadeBy        = 0x032D
	zipDOSTime       = 0x0000
	zipDOSDate       = 0x0021
	flagDescriptor   = 0x0008
	flagUTF8         = 0x0800
	modeExecutable   = 0o100755
	modeRegular      = 0o100644
	// compressionLevel is the framework's (zlib level 1, "best speed").
	compressionLevel = flate.BestSpeed
)

// errZipTooLarge is returned for archives that would need ZIP64, which
// Lambda's 250 MB unzipped limit never requires.
var errZipTooLarge = errors.New("the zip would need ZIP64 (over 65535 files or 4 GiB); Lambda cannot take it anyway")

type zipEntry struct {
	name       string
	mode       uint32
	method     uint16
	flags      uint16
	crc        uint32
	compressed uint64
	size       uint64
	offset     uint64
}

// zipWriter streams a zip archive to w. Entries must be added in their
// final order; file contents are streamed, never held in memory.
type zipWriter struct {
	w       *countWriter
	entries []zipEntry
	flater  *flate.Writer
	buf     []byte // copy buffer, reused for every entry
}

func newZipWriter(w io.Writer) *zipWriter {
	return &zipWriter{w: &countWriter{w: bufio.NewWriterSize(w, 64<<10)}}
}

type countWriter struct {
	w *bufio.Writer
	n uint64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += uint64(n)
	return n, err
}

// add writes one entry; executable selects mode 0755, size is the file's
// size as stat reported it (0 means stored, like archiver's empty files).
func (z *zipWriter) add(name string, executable bool, size int64, content io.Reader) error {
	if len(z.entries) >= math.MaxUint16 {
		return errZipTooLarge
	}
	e := zipEntry{name: name, mode: modeRegular, method: zipMethodDeflate, flags: flagDescriptor, offset: z.w.n}
	if executable {
		e.mode = modeExecutable
	}
	if size == 0 {
		e.method = zipMethodStore
	}
	if !isASCII(name) && utf8.ValidString(name) {
		e.flags |= flagUTF8
	}
	var h [30]byte
	binary.LittleEndian.PutUint32(h[0:], 0x04034b50)
	binary.LittleEndian.PutUint16(h[4:], zipVersionNeeded)
	binary.LittleEndian.PutUint16(h[6:], e.flags)
	binary.LittleEndian.PutUint16(h[8:], e.method)
	binary.LittleEndian.PutUint16(h[10:], zipDOSTime)
	binary.LittleEndian.PutUint16(h[12:], zipDOSDate)
	// CRC and sizes follow in the data descriptor.
	binary.LittleEndian.PutUint16(h[26:], uint16(len(name)))
	if _, err := z.w.Write(h[:]); err != nil {
		return err
	}
	if _, err := io.WriteString(z.w, name); err != nil {
		return err
	}
	start := z.w.n
	crc := crc32.NewIEEE()
	var n int64
	var err error
	if e.method == zipMethodStore {
		n, err = z.copy(io.MultiWriter(z.w, crc), content)
	} else {
		if z.flater == nil {
			z.flater, err = flate.NewWriter(z.w, compressionLevel)
			if err != nil {
				return err
			}
		} else {
			z.flater.Reset(z.w)
		}
		n, err = z.copy(io.MultiWriter(z.flater, crc), content)
		if err == nil {
			err = z.flater.Close()
		}
	}
	if err != nil {
		return err
	}
	e.crc, e.size, e.compressed = crc.Sum32(), uint64(n), z.w.n-start
	if e.size > math.MaxUint32-1 || e.compressed > math.MaxUint32-1 || z.w.n > math.MaxUint32-1 {
		return errZipTooLarge
	}
	var d [16]byte
	binary.LittleEndian.PutUint32(d[0:], 0x08074b50)
	binary.LittleEndian.PutUint32(d[4:], e.crc)
	binary.LittleEndian.PutUint32(d[8:], uint32(e.compressed))
	binary.LittleEndian.PutUint32(d[12:], uint32(e.size))
	if _, err := z.w.Write(d[:]); err != nil {
		return err
	}
	z.entries = append(z.entries, e)
	return nil
}

// copy streams content through the writer's one buffer (hiding WriterTo,
// which would allocate a buffer per file).
func (z *zipWriter) copy(w io.Writer, content io.Reader) (int64, error) {
	if z.buf == nil {
		z.buf = make([]byte, 32<<10)
	}
	return io.CopyBuffer(w, struct{ io.Reader }{content}, z.buf)
}

const (
	zipMethodStore   = 0
	zipMethodDeflate = 8
)

// close writes the central directory and flushes.
func (z *zipWriter) close() error {
	start := z.w.n
	for _, e := range z.entries {
		var h [46]byte
		binary.LittleEndian.PutUint32(h[0:], 0x02014b50)
		binary.LittleEndian.PutUint16(h[4:], zipMadeBy)
		binary.LittleEndian.PutUint16(h[6:], zipVersionNeeded)
		binary.LittleEndian.PutUint16(h[8:], e.flags)
		binary.LittleEndian.PutUint16(h[10:], e.method)
		binary.LittleEndian.PutUint16(h[12:], zipDOSTime)
		binary.LittleEndian.PutUint16(h[14:], zipDOSDate)
		binary.LittleEndian.PutUint32(h[16:], e.crc)
		binary.LittleEndian.PutUint32(h[20:], uint32(e.compressed))
		binary.LittleEndian.PutUint32(h[24:], uint32(e.size))
		binary.LittleEndian.PutUint16(h[28:], uint16(len(e.name)))
		binary.LittleEndian.PutUint32(h[38:], e.mode<<16|0x20)
		binary.LittleEndian.PutUint32(h[42:], uint32(e.offset))
		if _, err := z.w.Write(h[:]); err != nil {
			return err
		}
		if _, err := io.WriteString(z.w, e.name); err != nil {
			return err
		}
	}
	size := z.w.n - start
	if size > math.MaxUint32-1 || start > math.MaxUint32-1 {
		return errZipTooLarge
	}
	var end [22]byte
	binary.LittleEndian.PutUint32(end[0:], 0x06054b50)
	binary.LittleEndian.PutUint16(end[8:], uint16(len(z.entries)))
	binary.LittleEndian.PutUint16(end[10:], uint16(len(z.entries)))
	binary.LittleEndian.PutUint32(end[12:], uint32(size))
	binary.LittleEndian.PutUint32(end[16:], uint32(start))
	if _, err := z.w.Write(end[:]); err != nil {
		return err
	}
	if err := z.w.w.Flush(); err != nil {
		return fmt.Errorf("writing the zip: %w", err)
	}
	return nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

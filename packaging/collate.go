package packaging

import "unicode/utf8"

// asciiPrimary is the order of printable ASCII under ICU's root collation,
// which is what the framework's zip order (`String.prototype.localeCompare`
// in Node with LANG=C.UTF-8 or en-US) uses: punctuation and symbols in this
// order, then digits, then letters with upper and lower case equal at the
// first level. Measured with Node 20's ICU.
const asciiPrimary = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStTuUvVwWxXyYzZ"

var primaryWeight [128]int

func init() {
	weight := 0
	for i := 0; i < len(asciiPrimary); i++ {
		c := asciiPrimary[i]
		// A lower-case letter is followed by its upper case, which shares
		// its weight.
		if c >= 'A' && c <= 'Z' {
			primaryWeight[c] = primaryWeight[c+'a'-'A']
			continue
		}
		weight++
		primaryWeight[c] = weight
	}
	// Control characters are ignorable in ICU; they weigh nothing here.
}

// primary returns a rune's first-level weight: ASCII per the table above;
// anything else sorts after ASCII letters by code point. That last part is
// an approximation (ICU puts é next to e); names in Lambda zips are ASCII
// in practice, and the approximation is listed in docs/differences.md.
func primary(r rune) int {
	if r < 128 {
		return primaryWeight[r]
	}
	return 1000 + int(r)
}

// collateLess orders zip entry names like ICU's root collation does for
// ASCII: compare the first-level weights of the whole strings (ignorable
// characters skipped), then on a tie lower case before upper case at the
// first position where the case differs, then bytes as a last resort so
// the order is total.
func collateLess(a, b string) bool {
	if c := comparePrimary(a, b); c != 0 {
		return c < 0
	}
	if c := compareCase(a, b); c != 0 {
		return c < 0
	}
	return a < b
}

func comparePrimary(a, b string) int {
	i, j := 0, 0
	for {
		wa, na := nextWeight(a, i)
		wb, nb := nextWeight(b, j)
		i, j = na, nb
		switch {
		case wa == 0 && wb == 0:
			return 0
		case wa != wb:
			if wa < wb {
				return -1
			}
			return 1
		}
	}
}

// nextWeight returns the next non-ignorable weight at or after byte i, and
// the index after it; weight 0 means the end of the string.
func nextWeight(s string, i int) (int, int) {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if w := primary(r); w != 0 {
			return w, i
		}
	}
	return 0, i
}

func compareCase(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		ua := a[i] >= 'A' && a[i] <= 'Z'
		ub := b[i] >= 'A' && b[i] <= 'Z'
		if ua != ub {
			if ub {
				return -1
			}
			return 1
		}
	}
	return 0
}

package jsvalue

import (
	"strings"
	"testing"
)

// TestWriteQuotedWritesEveryRune: the byte-wise quoting of valid UTF-8
// writes what quoting rune by rune writes.
func TestWriteQuotedWritesEveryRune(t *testing.T) {
	var all strings.Builder
	for c := 0; c < 0x80; c++ {
		all.WriteByte(byte(c))
	}
	for _, s := range []string{"", "plain", all.String(), "é\u2028\U0001F600\"\\\x7f\x00end", "\x1f\x1e\b\f\n\r\t", "\xff invalid \xfe"} {
		var got, want strings.Builder
		WriteQuoted(&got, s)
		writeQuotedRunes(&want, s)
		if got.String() != want.String() {
			t.Errorf("WriteQuoted(%q) = %s, want %s", s, got.String(), want.String())
		}
	}
}

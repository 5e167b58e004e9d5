package jsvalue

import (
	"strings"
	"unicode"
)

// lodashWords splits s into words the way lodash's _.words does for ASCII
// text: runs of letters split where lower case turns upper case (and
// before the last capital of an acronym followed by lower case), digits
// apart from letters, everything else a separator.
func lodashWords(s string) []string {
	r := []rune(s)
	var words []string
	i := 0
	isUpper := func(c rune) bool { return unicode.IsUpper(c) }
	isLower := func(c rune) bool { return unicode.IsLower(c) }
	isDigit := func(c rune) bool { return c >= '0' && c <= '9' }
	for i < len(r) {
		c := r[i]
		switch {
		case isDigit(c):
			j := i
			for j < len(r) && isDigit(r[j]) {
				j++
			}
			words = append(words, string(r[i:j]))
			i = j
		case isUpper(c):
			j := i
			for j < len(r) && isUpper(r[j]) {
				j++
			}
			if j < len(r) && isLower(r[j]) {
				if j-i > 1 {
					// "XMLHttp": "XML", then "Http".
					words = append(words, string(r[i:j-1]))
					i = j - 1
				}
				k := i + 1
				for k < len(r) && isLower(r[k]) {
					k++
				}
				words = append(words, string(r[i:k]))
				i = k
			} else {
				words = append(words, string(r[i:j]))
				i = j
			}
		case isLower(c):
			j := i
			for j < len(r) && isLower(r[j]) {
				j++
			}
			words = append(words, string(r[i:j]))
			i = j
		default:
			i++
		}
	}
	return words
}

// CamelCase is lodash's _.camelCase.
func CamelCase(s string) string {
	var b strings.Builder
	for i, w := range lodashWords(s) {
		w = strings.ToLower(w)
		if i > 0 {
			w = upperFirst(w)
		}
		b.WriteString(w)
	}
	return b.String()
}

// StartCase is lodash's _.startCase with the spaces removed.
func StartCase(s string) string {
	var b strings.Builder
	for _, w := range lodashWords(s) {
		b.WriteString(upperFirst(w))
	}
	return b.String()
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

package schema

import "strings"

// NormalizeName is the framework's getNormalizedFunctionName: "-" becomes
// "Dash", "_" becomes "Underscore", and the first letter is upper-cased.
// Every other character is kept, as the framework keeps it.
func NormalizeName(s string) string {
	s = strings.ReplaceAll(s, "-", "Dash")
	s = strings.ReplaceAll(s, "_", "Underscore")
	return upperFirst(s)
}

func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

package apigateway

import "github.com/stepform/stepform/compiler/internal/jsvalue"

// camelCase is lodash's _.camelCase.
func camelCase(s string) string { return jsvalue.CamelCase(s) }

// startCase is lodash's _.startCase with the spaces removed.
func startCase(s string) string { return jsvalue.StartCase(s) }

package apigateway

import (
	"slices"
	"strings"
)

// The default mode's CORS headers on actual (non-preflight) responses.
// Access-Control-Allow-Origin carries exactly one origin, so with several
// allowed origins (or a pattern such as https://*.example.com) every
// response echoes the request's Origin when it is allowed, as the
// Framework's preflight template does, and says Vary: Origin. With
// allowCredentials, Access-Control-Allow-Credentials: true goes on every
// response, not only the preflight: browsers check it on both.

// allowedOrigins is the list of origins a cors configuration allows: its
// origins, or its origin, split at commas as the Framework splits it.
func allowedOrigins(origins []string, origin string) []string {
	if len(origins) == 0 {
		origins = []string{origin}
	}
	var out []string
	for _, o := range origins {
		for _, part := range strings.Split(o, ",") {
			if p := strings.TrimSpace(part); p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// echoesOrigin is true when the origins cannot be one static header
// value: several of them, or a pattern. A plain "*" allows every origin
// statically.
func echoesOrigin(origins []string) bool {
	if slices.Contains(origins, "*") {
		return false
	}
	return len(origins) > 1 || (len(origins) == 1 && strings.Contains(origins[0], "*"))
}

// staticOrigin is the header value when the origins do not echo.
func staticOrigin(origins []string) string {
	if slices.Contains(origins, "*") || len(origins) == 0 {
		return "*"
	}
	return origins[0]
}

// originPattern is an allowed origin as a Java regular expression for
// String.matches: * stands for one or more characters (the Framework's
// reading), everything else is literal.
func originPattern(origin string) string {
	var b strings.Builder
	for i, part := range strings.Split(origin, "*") {
		if i > 0 {
			b.WriteString(".+")
		}
		for _, r := range part {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
				b.WriteRune(r)
			case r == '\\' || r == '^' || r == '[' || r == ']':
				b.WriteString(`\` + string(r))
			default:
				b.WriteString("[" + string(r) + "]")
			}
		}
	}
	return b.String()
}

// originEchoVTL is the template prefix that sets the response's
// Access-Control-Allow-Origin to the request's Origin (any spelling of
// the header name) when it is one of origins; otherwise the response has
// none and the browser refuses it. Origins hold no ' (corsOf rejects it),
// so they can sit in single-quoted VTL strings, which Velocity never
// interpolates.
func originEchoVTL(origins []string) string {
	tests := make([]string, len(origins))
	for i, o := range origins {
		tests[i] = "$allowOrigin.matches('" + originPattern(o) + "')"
	}
	return `## stepform: echo the request's Origin when CORS allows it.
#set($allowOrigin = '')
#foreach($h in $input.params().header.keySet())
#if($h.equalsIgnoreCase('Origin'))
#set($allowOrigin = "$!input.params().header.get($h)")
#end
#end
#if(` + strings.Join(tests, " || ") + `)
#set($context.responseOverride.header.Access-Control-Allow-Origin = $allowOrigin)
#end
`
}

// withOriginEcho puts the echo in front of every response template of an
// integration response; a response without templates gets one that
// passes the body on ($input.body).
func withOriginEcho(response map[string]any, echo string) {
	templates, ok := response["ResponseTemplates"].(map[string]any)
	if !ok {
		return
	}
	if len(templates) == 0 {
		templates["application/json"] = echo + "$input.body"
		return
	}
	for ct, t := range templates {
		if s, ok := t.(string); ok {
			templates[ct] = echo + s
		} else {
			templates[ct] = map[string]any{"Fn::Join": []any{"", []any{echo, t}}}
		}
	}
}

// addCORSOrigin puts the event's CORS headers on every integration
// response, when the event has CORS: the plugin's static origin in
// plugin mode; in the default mode the origin (echoed when it cannot be
// static, with Vary: Origin) and, with allowCredentials,
// Access-Control-Allow-Credentials.
func addCORSOrigin(e *httpEvent, responses []any, plugin bool) {
	if e.CORS == nil {
		return
	}
	origins := e.allowedOrigins()
	for _, r := range responses {
		rm := r.(map[string]any)
		params, ok := rm["ResponseParameters"].(map[string]any)
		if !ok {
			params = map[string]any{}
			rm["ResponseParameters"] = params
		}
		switch {
		case plugin:
			params["method.response.header.Access-Control-Allow-Origin"] = "'" + e.corsOrigin() + "'"
			continue
		case echoesOrigin(origins):
			withOriginEcho(rm, originEchoVTL(origins))
			params["method.response.header.Vary"] = "'Origin'"
		default:
			params["method.response.header.Access-Control-Allow-Origin"] = "'" + staticOrigin(origins) + "'"
		}
		if e.CORS.AllowCredentials {
			params["method.response.header.Access-Control-Allow-Credentials"] = "'true'"
		}
	}
}

// allowedOrigins is the event's allowed origins (default mode).
func (e *httpEvent) allowedOrigins() []string {
	origin := "*"
	if e.CORS.Origin != nil && *e.CORS.Origin != "" {
		origin = *e.CORS.Origin
	}
	return allowedOrigins(e.CORS.Origins, origin)
}

// corsMethodHeaders are the CORS headers the default mode declares on
// each method response of the event (the values come from addCORSOrigin).
func (e *httpEvent) corsMethodHeaders() map[string]any {
	out := map[string]any{}
	if e.CORS == nil {
		return out
	}
	out["method.response.header.Access-Control-Allow-Origin"] = true
	if echoesOrigin(e.allowedOrigins()) {
		out["method.response.header.Vary"] = true
	}
	if e.CORS.AllowCredentials {
		out["method.response.header.Access-Control-Allow-Credentials"] = true
	}
	return out
}

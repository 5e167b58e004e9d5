package apigateway

import (
	"fmt"
	"sort"
	"strings"

	"github.com/stepform/stepform/schema"
)

// The default mode's mapping templates for http events that start a state
// machine (StartExecution, StartSyncExecution). Design rules, from
// docs/differences.md (section "Synchronous and asynchronous endpoints"):
//   - every request-derived string goes through $util.escapeJavaScript once
//     per JSON nesting level, always followed by .replaceAll("\\'", "'")
//     (escapeJavaScript writes \' which JSON does not allow);
//   - literal JSON syntax lives in single-quoted VTL strings, which Velocity
//     never interpolates, and no string holding user data is post-processed;
//   - the state machine's ARN comes from the template (Fn::Sub variable
//     StateMachineArn), never from the caller;
//   - no VTL formal reference (${x}) appears: request templates are Fn::Sub
//     text, and ${StateMachineArn} is their only variable;
//   - a response template sets $context.responseOverride.status at most
//     once per branch, and never #sets from an expression that may be null.
// Every template is rendered by Apache Velocity in vtl_test.go.

// jsonPayloadVTL sets $payload to the request body as JSON text: the body
// re-serialised by $input.json('$') (API Gateway answers 400 to a body
// that is not one JSON value, so nothing can be spliced in). API Gateway
// gives an empty body as {}; the guard maps an empty string to {} too.
const jsonPayloadVTL = `#if("$!input.body" == "")
#set($payload = '{}')
#else
#set($payload = $input.json('$'))
#end
`

// formPayloadVTL sets $payload to an application/x-www-form-urlencoded
// body as a flat JSON object of strings: the first value of each key,
// keys and values URL-decoded, a key without "=" mapped to "". API Gateway
// gives an empty body as {}, which is no fields. A malformed %-escape
// (which would make $util.urlDecode throw, a 500) makes $payload not JSON
// on purpose: Step Functions then answers InvalidExecutionInput, which
// serviceErrorTemplate turns into 400.
const formPayloadVTL = `#set($q = '"')
#set($payload = '{')
#set($sep = '')
#set($seen = {})
#set($malformed = false)
#set($form = "$!input.body")
#if($form == '{}')
#set($form = '')
#end
#foreach($pair in $form.split('&'))
#if($pair != '')
#set($i = $pair.indexOf('='))
#if($i < 0)
#set($rk = $pair)
#set($rv = '')
#else
#set($rk = $pair.substring(0, $i))
#set($j = $i + 1)
#set($rv = $pair.substring($j))
#end
#if($rk.replaceAll('%[0-9A-Fa-f]{2}', '').contains('%') || $rv.replaceAll('%[0-9A-Fa-f]{2}', '').contains('%'))
#set($malformed = true)
#else
#set($k = $util.urlDecode($rk))
#if(!$seen.containsKey($k))
#if($seen.put($k, true))#end
#set($ek = $util.escapeJavaScript($k).replaceAll("\\'", "'"))
#set($ev = $util.escapeJavaScript($util.urlDecode($rv)).replaceAll("\\'", "'"))
#set($payload = "$payload$sep$q$ek$q:$q$ev$q")
#set($sep = ',')
#end
#end
#end
#end
#set($payload = "$payload}")
#if($malformed)
#set($payload = 'malformed form body')
#end
`

// envelopeVTL wraps $payload into $in = {"body", "path", "querystring",
// "headers" (allow-listed only), "context"}; %s is the VTL list of
// lower-cased header names. Header names match case-insensitively and
// appear once, lower-cased, with the first value sent. context.requestId
// is $context.extendedRequestId: a client can set $context.requestId.
const envelopeVTL = `#set($q = '"')
#set($in = '{"body":')
#set($in = "$in$payload")
#set($frag = ',"path":{')
#set($in = "$in$frag")
#set($sep = '')
#foreach($k in $input.params().path.keySet())
#set($ek = $util.escapeJavaScript($k).replaceAll("\\'", "'"))
#set($ev = $util.escapeJavaScript($input.params().path.get($k)).replaceAll("\\'", "'"))
#set($in = "$in$sep$q$ek$q:$q$ev$q")
#set($sep = ',')
#end
#set($frag = '},"querystring":{')
#set($in = "$in$frag")
#set($sep = '')
#foreach($k in $input.params().querystring.keySet())
#set($ek = $util.escapeJavaScript($k).replaceAll("\\'", "'"))
#set($ev = $util.escapeJavaScript($input.params().querystring.get($k)).replaceAll("\\'", "'"))
#set($in = "$in$sep$q$ek$q:$q$ev$q")
#set($sep = ',')
#end
#set($allowed = [%s])
#set($frag = '},"headers":{')
#set($in = "$in$frag")
#set($sep = '')
#set($sent = {})
#foreach($k in $input.params().header.keySet())
#set($lk = $k.toLowerCase())
#if($allowed.contains($lk) && !$sent.containsKey($lk))
#if($sent.put($lk, true))#end
#set($ek = $util.escapeJavaScript($lk).replaceAll("\\'", "'"))
#set($ev = $util.escapeJavaScript($input.params().header.get($k)).replaceAll("\\'", "'"))
#set($in = "$in$sep$q$ek$q:$q$ev$q")
#set($sep = ',')
#end
#end
#set($rid = $util.escapeJavaScript("$!context.extendedRequestId").replaceAll("\\'", "'"))
#set($ip = $util.escapeJavaScript("$!context.identity.sourceIp").replaceAll("\\'", "'"))
#set($frag = '},"context":{"requestId":')
#set($in = "$in$frag$q$rid$q")
#set($frag = ',"sourceIp":')
#set($in = "$in$frag$q$ip$q}}")
`

// startRequestVTL is the request Step Functions receives; %s is the
// execution name field or nothing. A synchronous execution gets no name
// (Step Functions makes one); an asynchronous one is named after
// $context.extendedRequestId, which API Gateway makes and the client
// cannot set (unlike $context.requestId).
const startRequestVTL = `{"stateMachineArn":"${StateMachineArn}",%s"input":"$util.escapeJavaScript($in).replaceAll("\\'", "'")"}`

const asyncNameVTL = `"name":"$util.escapeJavaScript("$!context.extendedRequestId").replaceAll("\\'", "'")",`

// sfnRequestTemplate is the request template for one content type ("json"
// or "form"); sync leaves out the execution name; envelope asks for the
// envelope with the listed headers.
func sfnRequestTemplate(kind string, sync, envelope bool, headers []string) string {
	var b strings.Builder
	b.WriteString("## stepform: the request body becomes the execution input; the state machine is fixed.\n")
	if kind == "form" {
		b.WriteString(formPayloadVTL)
	} else {
		b.WriteString(jsonPayloadVTL)
	}
	if envelope {
		quoted := make([]string, len(headers))
		for i, h := range headers {
			quoted[i] = "'" + strings.ToLower(h) + "'"
		}
		fmt.Fprintf(&b, envelopeVTL, strings.Join(quoted, ", "))
	} else {
		b.WriteString("#set($in = $payload)\n")
	}
	name := asyncNameVTL
	if sync {
		name = ""
	}
	fmt.Fprintf(&b, startRequestVTL, name)
	return b.String()
}

// syncResponseTemplate is the default integration response of
// StartSyncExecution, which answers 200 whatever the execution's status:
// SUCCEEDED gives the output itself, FAILED the mapped status (500 by
// default), TIMED_OUT 504. Bodies name no ARN; the error name is shown
// when it is mapped or details includes "error", the cause only when
// details includes "cause".
func syncResponseTemplate(mapped []schema.ErrorStatusCode, details schema.ErrorDetails) string {
	var b strings.Builder
	b.WriteString("## stepform: StartSyncExecution answers 200 for every execution; map its status.\n")
	entries := make([]string, len(mapped))
	for i, m := range mapped {
		entries[i] = fmt.Sprintf("'%s': %d", m.Error, m.Status)
	}
	fmt.Fprintf(&b, "#set($errorStatus = {%s})\n", strings.Join(entries, ", "))
	b.WriteString(`#set($status = "$!input.path('$.status')")
#if($status == 'SUCCEEDED')
#set($out = "$!input.path('$.output')")
#if($out == '')
null
#else
$out
#end
#elseif($status == 'FAILED')
#set($errName = "$!input.path('$.error')")
#set($code = 500)
#set($shown = 'ExecutionFailed')
#if($errorStatus.containsKey($errName))
#set($code = $errorStatus.get($errName))
#set($shown = $errName)
#end
`)
	if details.Error {
		b.WriteString("#set($shown = $errName)\n")
	}
	b.WriteString(`#set($context.responseOverride.status = $code)
#set($err = $util.escapeJavaScript($shown).replaceAll("\\'", "'"))
`)
	if details.Cause {
		b.WriteString(`#set($cause = $util.escapeJavaScript("$!input.path('$.cause')").replaceAll("\\'", "'"))
{"error":"$err","cause":"$cause"}
`)
	} else {
		b.WriteString(`{"error":"$err"}
`)
	}
	b.WriteString(`#elseif($status == 'TIMED_OUT')
#set($context.responseOverride.status = 504)
{"error":"States.Timeout"}
#else
#set($context.responseOverride.status = 500)
{"error":"UnexpectedExecutionStatus"}
#end`)
	return b.String()
}

// asyncResponseTemplate is the default integration response of
// StartExecution: the execution's ARN and start date (epoch seconds).
const asyncResponseTemplate = `#set($arn = $util.escapeJavaScript("$!input.path('$.executionArn')").replaceAll("\\'", "'"))
{"executionArn":"$arn","startDate":$input.json('$.startDate')}`

// serviceErrorTemplate maps a Step Functions error (4xx or 5xx) by its
// __type. Its message is never shown: it names ARNs and roles.
// SerializationException means the request JSON our template built is
// malformed: our fault, so it falls through to 500.
const serviceErrorTemplate = `## stepform: Step Functions refused the call; map its error type.
#set($type = "$!input.path('$.__type')")
#if($type.contains('InvalidExecutionInput') || $type.contains('ValidationException') || $type.contains('InvalidName'))
#set($context.responseOverride.status = 400)
{"error":"BadRequest","message":"The request could not be turned into a valid execution input."}
#elseif($type.contains('ExecutionAlreadyExists'))
#set($context.responseOverride.status = 409)
{"error":"Conflict"}
#elseif($type.contains('Throttling') || $type.contains('ExecutionLimitExceeded'))
#set($context.responseOverride.status = 429)
{"error":"TooManyRequests"}
#else
#set($context.responseOverride.status = 500)
{"error":"InternalServerError"}
#end`

// serviceErrorCodes are the statuses serviceErrorTemplate can give.
var serviceErrorCodes = []int{400, 409, 429, 500}

// sortedCodes returns the unique codes in ascending order.
func sortedCodes(codes []int) []int {
	seen := map[int]bool{}
	var out []int
	for _, c := range codes {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Ints(out)
	return out
}

// sfnLambdaProxyTemplates are the default mode's lambda_proxy templates
// (JSON, form) with the execution name of sfnRequestTemplate: none for a
// synchronous execution, $context.extendedRequestId for an asynchronous
// one, never the client-settable $context.requestId.
func sfnLambdaProxyTemplates(sync bool) (string, string) {
	const pluginName = `"name":"$context.requestId",`
	name := asyncNameVTL
	if sync {
		name = ""
	}
	return strings.Replace(sfnLambdaProxyJSONTemplate, pluginName, name, 1),
		strings.Replace(sfnLambdaProxyFormTemplate, pluginName, name, 1)
}

// The default mode's lambda_proxy templates: the plugin's, with the
// apostrophe fix on the escaped keys too (header, query, path and form
// field names), so a name holding ' stays valid JSON.
var (
	sfnLambdaProxyJSONTemplate = strings.ReplaceAll(lambdaProxyJSONTemplate,
		`$util.escapeJavaScript($key) )`, `$util.escapeJavaScript($key).replaceAll("\\'", "'") )`)
	sfnLambdaProxyFormTemplate = strings.ReplaceAll(strings.ReplaceAll(lambdaProxyFormTemplate,
		`$util.escapeJavaScript($key) )`, `$util.escapeJavaScript($key).replaceAll("\\'", "'") )`),
		`$util.escapeJavaScript($util.urlDecode($keyVal[0])) )`, `$util.escapeJavaScript($util.urlDecode($keyVal[0])).replaceAll("\\'", "'") )`)
)

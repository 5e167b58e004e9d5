// Package events compiles a service's function events (sqs, stream, sns,
// schedule, s3, eventBridge, cloudwatchEvent, cloudwatchLog, httpApi,
// http, websocket, cognitoUserPool, alb) into the framework's template
// as Serverless Framework 3.40.0 does: their resources, their Lambda
// permissions, and the statements they add to IamRoleLambdaExecution,
// with the framework's logical IDs. Where CloudFormation has no resource
// for a setting (an existing bucket or user pool, eventBridge's legacy
// mode, API Gateway's CloudWatch role), it adds the framework's custom
// resources, their function and its role (customresources.go).
//
// Event kinds stepform does not compile are a positioned error that
// points to --base.
package events

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/compiler/lambda"
	"github.com/stepform/stepform/compiler/mode"
	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// Input is what Compile needs.
type Input struct {
	Service  *schema.Service
	Template *lambda.Template
	// Quirks are the mode's behaviours (nil for the default mode): in
	// plugin mode findings on input the framework accepts are warnings,
	// and the framework's quirks are kept (docs/differences.md, rows F8,
	// F9 and FE1-FE14).
	Quirks *mode.Quirks
	Diags  *diag.List
}

// compiledKinds are the kinds this package compiles.
var compiledKinds = []string{"sqs", "stream", "sns", "schedule", "s3", "eventBridge", "cloudwatchEvent", "cloudwatchLog", "httpApi", "http", "websocket", "cognitoUserPool", "alb"}

// Compiles says whether stepform compiles events of the kind.
func Compiles(kind string) bool { return contains(compiledKinds, kind) }

// NeedsBase says whether events of the kind are one of the framework's
// kinds that stepform does not compile, for which a service needs --base.
func NeedsBase(kind string) bool { return contains(baseOnlyKinds, kind) }

// baseOnlyKinds are the framework's other event kinds: stepform does not
// compile them, so a service with one needs --base.
var baseOnlyKinds = []string{"iot", "iotFleetProvisioning",
	"alexaSkill", "alexaSmartHome", "kafka", "msk", "activemq", "rabbitmq", "cloudFront"}

type compiler struct {
	in    Input
	svc   *schema.Service
	tpl   *lambda.Template
	res   map[string]any
	diags *diag.List
	fns   []lambda.Function
	// customResources are the framework's custom resources the events
	// use, added to the template last.
	customResources []customResourceUse
	// apiGatewayRoleAdded says the custom resource that sets API
	// Gateway's CloudWatch role is in the template.
	apiGatewayRoleAdded bool
}

// function is one function with its events.
type function = lambda.Function

// Compile adds the events of every function to in.Template.
func Compile(in Input) {
	if in.Quirks == nil {
		in.Quirks = mode.Default.Quirks()
	}
	c := &compiler{in: in, svc: in.Service, tpl: in.Template, res: in.Template.Resources(), diags: in.Diags, fns: in.Template.Functions()}
	if !c.checkKinds() {
		return
	}
	c.checkValues()
	// The framework's plugin order (lib/plugins/index.js).
	c.schedules()
	c.s3()
	c.websockets()
	c.sns()
	c.streams()
	c.albs()
	c.cloudWatchEvents()
	c.cloudWatchLogs()
	c.cognitoUserPools()
	c.eventBridge()
	c.sqs()
	c.http()
	c.httpAPI()
	c.addCustomResources()
}

const baseHint = "run sls package and pass its template with --base .serverless/cloudformation-template-update-stack.json."

// checkKinds reports event kinds stepform does not compile and entries
// that are not events; false when there were any.
func (c *compiler) checkKinds() bool {
	ok := true
	for _, fn := range c.fns {
		for _, ev := range fn.EventList {
			switch {
			case Compiles(ev.Kind):
				if ev.Value == nil || ev.Value.Kind == schema.Null {
					c.strictf(ev.KeyPos, fmt.Sprintf("function %q: empty %s event", fn.Key, ev.Kind),
						"The framework skips an event without settings, so it would trigger nothing. Give the event's settings, or remove the entry.")
				}
			case contains(baseOnlyKinds, ev.Kind):
				c.diags.Errorf(ev.KeyPos, fmt.Sprintf("stepform does not compile %s events (function %q)", ev.Kind, fn.Key),
					"The framework turns %s %s event into resources stepform does not make yet. To deploy it, %s", article(ev.Kind), ev.Kind, baseHint)
				ok = false
			case ev.Kind == "":
				c.diags.Errorf(ev.Pos, fmt.Sprintf("function %q: events entry %d is not an event", fn.Key, ev.Index+1),
					"Each entry of events: is an object with one key naming the event, such as - sqs: arn:aws:sqs:us-east-1:123456789012:queue.")
				ok = false
			default:
				c.strictf(ev.KeyPos, fmt.Sprintf("function %q: unknown event %q", fn.Key, ev.Kind),
					"The framework warns that the event is unsupported and ignores it, so nothing would trigger the function from it. Fix the name, or remove the entry.%s",
					diag.DidYouMean(ev.Kind, append(append([]string{}, compiledKinds...), baseOnlyKinds...)))
				ok = ok && c.in.Quirks.Lenient
			}
		}
	}
	return ok
}

func article(kind string) string {
	if strings.ContainsRune("aeiouh", rune(kind[0])) {
		return "an"
	}
	return "a"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// strictf is an error in default mode and a warning in plugin mode: for
// input the framework accepts but AWS would reject.
func (c *compiler) strictf(pos diag.Pos, summary, detail string, args ...any) {
	if c.in.Quirks.Lenient {
		c.diags.Warnf(pos, summary, detail, args...)
	} else {
		c.diags.Errorf(pos, summary, detail, args...)
	}
}

func value(n *schema.Node) any { return lambda.Value(n) }

func ref(id string) map[string]any { return map[string]any{"Ref": id} }

func getAtt(id, attr string) map[string]any { return map[string]any{"Fn::GetAtt": []any{id, attr}} }

func join(sep string, parts ...any) map[string]any {
	return map[string]any{"Fn::Join": []any{sep, parts}}
}

// merge is lodash's _.merge of one resource into the template: an
// existing logical ID is merged into deeply, arrays index by index.
func (c *compiler) merge(id string, r map[string]any) {
	if old, ok := c.res[id].(map[string]any); ok {
		c.res[id] = mergeValue(old, r)
		return
	}
	c.res[id] = r
}

// checkShared reports a resource several functions may share (a created
// topic's subscription list, a created bucket's notifications) that
// names a function with a condition: it stays unconditional, and fails
// to deploy when the condition is false.
func (c *compiler) checkShared(fn function, ev *schema.FunctionEvent, what string) {
	c.checkSharedFix(fn, ev, what, "Subscribe to an existing resource by ARN, or drop the condition.")
}

// checkSharedFix is checkShared with its own advice.
func (c *compiler) checkSharedFix(fn function, ev *schema.FunctionEvent, what, fix string) {
	if fn.Condition == nil {
		return
	}
	c.strictf(ev.KeyPos, fmt.Sprintf("function %q has a condition, and %s names it", fn.Key, what),
		"%s is created whatever the condition, and CloudFormation fails to create it when the function is not. %s", upperFirst(what), fix)
}

// own records that the resources belong to the function alone (they
// share its condition in default mode).
func (c *compiler) own(fn function, ids ...string) {
	for _, id := range ids {
		c.tpl.Own(fn.Key, id)
	}
}

// mergeValue is lodash's _.merge on template values: objects merge key
// by key, arrays index by index. Unlike cfn.MergeOwned it leaves nil
// objects and arrays nil.
func mergeValue(dst, src any) any {
	switch s := src.(type) {
	case map[string]any:
		d, ok := dst.(map[string]any)
		if !ok {
			return s
		}
		for k, v := range s {
			d[k] = mergeValue(d[k], v)
		}
		return d
	case []any:
		d, ok := dst.([]any)
		if !ok {
			return s
		}
		return mergeByIndex(d, s, mergeValue)
	}
	return src
}

// setGiven sets m[key] to the value of n when the event gives it (n is
// not nil).
func setGiven(m map[string]any, key string, n *schema.Node) {
	if n != nil {
		m[key] = value(n)
	}
}

// mergeByIndex merges src into dst index by index, as _.merge does
// arrays, with merge for the values both have; src's further values are
// appended as they are.
func mergeByIndex(dst, src []any, merge func(dst, src any) any) []any {
	for i, v := range src {
		if i < len(dst) {
			dst[i] = merge(dst[i], v)
		} else {
			dst = append(dst, v)
		}
	}
	return dst
}

var nonAlnum = lazyre.New(`[^0-9A-Za-z]`)

// alnum is the framework's normalizeNameToAlphaNumericOnly.
func alnum(s string) string { return upperFirst(nonAlnum.ReplaceAllString(s, "")) }

func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// norm is the framework's getNormalizedFunctionName.
func norm(key string) string { return schema.NormalizeName(key) }

// readJSONText reads s as the framework does when it pastes a value into
// JSON text between quotes and parses that text: escapes in s are read
// once more. ok is false when the framework's JSON.parse fails.
func readJSONText(s string) (string, bool) {
	var out string
	if err := json.Unmarshal([]byte(`"`+s+`"`), &out); err != nil {
		return "", false
	}
	return out, true
}

// parseJSONValue parses JSON text into template values.
func parseJSONValue(s string) (any, bool) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil || d.More() {
		return nil, false
	}
	return v, true
}

// str is a string node's value, or "".
func str(n *schema.Node) string {
	if n != nil && n.Kind == schema.String {
		return n.Value
	}
	return ""
}

// dependsOnAlias is the framework's DependsOn: the alias, or nothing.
func dependsOnAlias(r map[string]any, fn function) {
	if fn.AliasID != "" {
		r["DependsOn"] = fn.AliasID
	}
}

// mappingDependsOn is an event source mapping's DependsOn: the role
// resource and the alias.
func mappingDependsOn(fn function) []any {
	deps := []any{}
	if fn.RoleResource != "" {
		deps = append(deps, fn.RoleResource)
	}
	if fn.AliasID != "" {
		deps = append(deps, fn.AliasID)
	}
	return deps
}

func permission(fn function, principal, sourceArn any) map[string]any {
	r := map[string]any{"Type": "AWS::Lambda::Permission", "Properties": map[string]any{
		"FunctionName": fn.Target, "Action": "lambda:InvokeFunction", "Principal": principal, "SourceArn": sourceArn}}
	dependsOnAlias(r, fn)
	return r
}

// filterCriteria is FilterCriteria from filterPatterns: each pattern as
// JSON text.
func filterCriteria(patterns *schema.Node) any {
	var filters []any
	for _, p := range patterns.Items {
		filters = append(filters, map[string]any{"Pattern": jsvalue.Stringify(p, "")})
	}
	return map[string]any{"Filters": filters}
}

// arnName is the part of an event source's ARN (a string or an
// intrinsic) that names it in logical IDs: sqs names take the last ":"
// part of a string, streams its second "/" part.
func intrinsicName(arn *schema.Node, args schema.IntrinsicArgs) (string, bool) {
	if arn == nil || arn.Kind != schema.Map {
		return "", false
	}
	if ga := args.GetAtt; ga != nil {
		if ga.Kind == schema.List && len(ga.Items) > 0 {
			return str(ga.Items[0]), true
		}
		if ga.Kind == schema.String {
			return string([]rune(ga.Value + "\x00")[0]), true
		}
	}
	if iv := args.ImportValue; iv != nil {
		return str(iv), true
	}
	return "", false
}

// lastJoinPart is Fn::Join's last element, when it is a string.
func lastJoinPart(args schema.IntrinsicArgs) (string, bool) {
	j := args.Join
	if j == nil || j.Kind != schema.List || len(j.Items) < 2 || j.Items[1].Kind != schema.List || len(j.Items[1].Items) == 0 {
		return "", false
	}
	last := j.Items[1].Items[len(j.Items[1].Items)-1]
	return str(last), last.Kind == schema.String
}

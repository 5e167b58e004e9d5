package apigateway

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// The default mode's integration for http events that start an execution
// (no action, StartExecution or StartSyncExecution): request templates that
// fix the state machine, status mapping for sync and async responses,
// method responses for every status, and the checks C1–C7 and warnings
// W1–W5 (docs/differences.md, rows Y1–Y12, names them).

// sfnManaged is true for events that get the default mode's integration.
func (g *apiGen) sfnManaged(e *httpEvent) bool {
	return !g.c.Quirks.PluginStartIntegration && e.StartAction() != ""
}

func intCode(c int) json.Number { return json.Number(strconv.Itoa(c)) }

// sfnIntegration is the default mode's Integration and MethodResponses of
// an event that starts an execution.
func (g *apiGen) sfnIntegration(e *httpEvent) (map[string]any, []any) {
	o := e.Stepform
	sync := e.StartAction() == "StartSyncExecution"
	var cred any = cfn.GetAtt("ApigatewayToStepFunctionsRole", "Arn")
	if e.IAMRole != nil {
		cred = jsvalue.Plain(e.IAMRole)
	}
	in := map[string]any{
		"IntegrationHttpMethod": "POST",
		"Type":                  "AWS",
		"Credentials":           cred,
		"Uri": map[string]any{"Fn::Join": []any{"", []any{"arn:", cfn.Ref("AWS::Partition"), ":apigateway:",
			cfn.Ref("AWS::Region"), ":states:action/" + e.StartAction()}}},
		"PassthroughBehavior": "NEVER",
		"RequestTemplates":    g.sfnRequestTemplates(e),
		// Step Functions speaks awsJson 1.0: say so rather than rely on the
		// Content-Type API Gateway would otherwise send.
		"RequestParameters": map[string]any{"integration.request.header.Content-Type": "'application/x-amz-json-1.0'"},
	}
	if e.timeout.Truthy() {
		in["TimeoutInMillis"] = jsvalue.Plain(e.timeout)
	}
	successHeaders := map[string]any{}
	declared := map[string]any{}
	if h := e.Response.Headers; h != nil {
		for _, p := range jsvalue.Pairs(h) {
			successHeaders["method.response.header."+p.Key] = jsvalue.Plain(p.Value)
			declared["method.response.header."+p.Key] = true
		}
	}
	var responses []any
	var codes []int
	successCode := o.AsyncStatusCode
	var successTemplate any = asyncResponseTemplate
	if sync {
		successCode = 200
		successTemplate = syncResponseTemplate(o.ErrorStatusCodes, o.ErrorDetails)
		codes = append(codes, 504)
		for _, m := range o.ErrorStatusCodes {
			codes = append(codes, m.Status)
		}
		if !o.ErrorDetails.Error || len(o.ErrorStatusCodes) < 1 {
			codes = append(codes, 500)
		}
	}
	successTemplates := map[string]any{"application/json": successTemplate}
	if t := e.Response.Template; t != nil {
		if t.Kind == schema.Map && !t.IsIntrinsic() {
			// A map is the response templates themselves (content type →
			// template), as the plugin's README documents.
			successTemplates = jsvalue.Plain(t).(map[string]any)
		} else {
			successTemplates = map[string]any{"application/json": jsvalue.Plain(t)}
		}
	}
	if e.Responses != nil && e.Responses.Kind == schema.Map {
		// The user's own integration responses, as the plugin writes them;
		// the method responses are the statuses they give.
		codes = nil
		for _, ir := range e.IntegrationResponses {
			r := integrationResponse(ir)
			responses = append(responses, r)
			if n, err := strconv.Atoi(fmt.Sprint(r["StatusCode"])); err == nil {
				codes = append(codes, n)
			}
		}
	} else {
		responses = []any{
			map[string]any{"StatusCode": intCode(successCode), "ResponseParameters": successHeaders,
				"ResponseTemplates": successTemplates},
			map[string]any{"StatusCode": json.Number("400"), "SelectionPattern": `4\d{2}`, "ResponseParameters": map[string]any{},
				"ResponseTemplates": map[string]any{"application/json": serviceErrorTemplate}},
			map[string]any{"StatusCode": json.Number("500"), "SelectionPattern": `5\d{2}`, "ResponseParameters": map[string]any{},
				"ResponseTemplates": map[string]any{"application/json": serviceErrorTemplate}},
		}
		codes = append(codes, successCode)
		codes = append(codes, serviceErrorCodes...)
	}
	addCORSOrigin(e, responses, false)
	in["IntegrationResponses"] = responses
	var methodResponses []any
	for _, code := range sortedCodes(codes) {
		params := map[string]any{}
		if code == successCode {
			for k, v := range declared {
				params[k] = v
			}
		}
		for k, v := range e.corsMethodHeaders() {
			params[k] = v
		}
		methodResponses = append(methodResponses, map[string]any{
			"StatusCode": intCode(code), "ResponseParameters": params, "ResponseModels": map[string]any{}})
	}
	return in, methodResponses
}

// sfnRequestTemplates are the request templates of an event that starts an
// execution: JSON and form bodies, the user's templates replacing them per
// content type.
func (g *apiGen) sfnRequestTemplates(e *httpEvent) map[string]any {
	o := e.Stepform
	vars := func() map[string]any { return map[string]any{"StateMachineArn": cfn.Ref(e.m.LogicalID())} }
	sync := e.StartAction() == "StartSyncExecution"
	out := map[string]any{
		"application/json":                  cfn.SubVars(sfnRequestTemplate("json", sync, o.Envelope, o.EnvelopeHeaders), vars()),
		"application/x-www-form-urlencoded": cfn.SubVars(sfnRequestTemplate("form", sync, o.Envelope, o.EnvelopeHeaders), vars()),
	}
	t := e.Request.Template
	if t == nil {
		return out
	}
	if t.Kind == schema.String && t.Value == "lambda_proxy" {
		v := func() map[string]any {
			return map[string]any{"StateMachineArn": cfn.Ref(e.m.LogicalID()), "AccountId": cfn.Ref("AWS::AccountId")}
		}
		jsonTemplate, formTemplate := sfnLambdaProxyTemplates(sync)
		return map[string]any{
			"application/json":                  cfn.SubVars(jsonTemplate, v()),
			"application/x-www-form-urlencoded": cfn.SubVars(formTemplate, v()),
		}
	}
	if t.Kind == schema.Map {
		for _, p := range t.Pairs {
			out[p.Key] = bindStateMachineArn(p.Value, cfn.Ref(e.m.LogicalID()))
		}
	}
	return out
}

const smArnVar = "${StateMachineArn}"

// bindStateMachineArn is a user request template with ${StateMachineArn}
// bound to the machine: a raw string becomes an Fn::Sub (its other ${
// kept literal as ${!), an Fn::Sub gets the variable unless it defines it.
func bindStateMachineArn(n *schema.Node, arn any) any {
	text := templateText(n)
	if !strings.Contains(text, smArnVar) {
		return jsvalue.Plain(n)
	}
	if n.Kind == schema.String {
		esc := strings.ReplaceAll(strings.ReplaceAll(text, "${", "${!"), "${!StateMachineArn}", smArnVar)
		return cfn.SubVars(esc, map[string]any{"StateMachineArn": arn})
	}
	sub := n.Get("Fn::Sub")
	if sub == nil || len(n.Pairs) != 1 {
		return jsvalue.Plain(n)
	}
	vars := map[string]any{}
	if sub.Kind == schema.List && len(sub.Items) > 1 {
		if m, ok := jsvalue.Plain(sub.Items[1]).(map[string]any); ok {
			vars = m
		}
	}
	if _, ok := vars["StateMachineArn"]; !ok {
		vars["StateMachineArn"] = arn
	}
	return cfn.SubVars(text, vars)
}

var (
	smArnFieldRe = lazyre.New(`"stateMachineArn"\s*:\s*"([^"]*)"`)
	smArnLiteral = lazyre.New(`^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$`)
	cfnSubVarRe  = lazyre.New(`^\$\{[A-Za-z0-9_.:]+\}$`)
)

// checkTemplateMachine is Y1 for a user request template of an endpoint
// that starts an execution: its stateMachineArn must be fixed by the
// template (${StateMachineArn}, an Fn::Sub variable, or a literal ARN),
// never read from the request.
func (c *emitter) checkTemplateMachine(n *schema.Node, e *httpEvent) {
	text := templateText(n)
	if text == "" {
		return
	}
	isSub := n.Kind == schema.Map && n.Get("Fn::Sub") != nil
	fields := smArnFieldRe.FindAllStringSubmatch(text, -1)
	ok := len(fields) > 0
	for _, f := range fields {
		v := f[1]
		fixed := v == smArnVar || smArnLiteral.MatchString(v) || (isSub && cfnSubVarRe.MatchString(v))
		ok = ok && fixed
	}
	if !ok {
		c.Strictf(n.Pos, "request template does not fix stateMachineArn",
			"The template must name the machine itself, as \"stateMachineArn\": \"${StateMachineArn}\" (bound to state machine %q) or a literal state machine ARN; otherwise the caller chooses which machine the API role starts.", e.m.Key)
	}
}

// sfnRoleStatements are the ApigatewayToStepFunctionsRole statements of the
// default mode: each action on the exact machines that use it, KMS on the
// customer-managed keys of those machines. ok is false when an action
// cannot be scoped (reported).
func (g *apiGen) sfnRoleStatements() []any {
	type grant struct {
		action    string
		resources []any
		seen      map[string]bool
	}
	var grants []*grant
	add := func(action string, res any) {
		var gr *grant
		for _, x := range grants {
			if x.action == action {
				gr = x
			}
		}
		if gr == nil {
			gr = &grant{action: action, seen: map[string]bool{}}
			grants = append(grants, gr)
		}
		key, _ := json.Marshal(res)
		if !gr.seen[string(key)] {
			gr.seen[string(key)] = true
			gr.resources = append(gr.resources, res)
		}
	}
	for _, e := range g.events {
		if e.IAMRole != nil {
			continue
		}
		machine := cfn.Ref(e.m.LogicalID())
		executions := map[string]any{"Fn::Sub": []any{
			"arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:${Name}:*",
			map[string]any{"Name": cfn.GetAtt(e.m.LogicalID(), "Name")}}}
		action := jsvalue.String(e.Action)
		if e.Action == nil {
			action = "StartExecution"
		}
		switch {
		case slices.Contains(machineActions, action):
			add("states:"+action, machine)
		case slices.Contains(executionActions, action):
			add("states:"+action, executions)
		default:
			pos := e.Pos
			if e.Action != nil {
				pos = e.Action.Pos
			}
			g.c.Diags.Errorf(pos, fmt.Sprintf("action %s cannot be scoped to this state machine", action),
				"The API role would need states:%s on \"*\". Give the event an iamRole that grants exactly what you mean, or compile with --compat plugin to get the plugin's Resource: \"*\".", action)
			continue
		}
		if key := g.kmsKey(e); key != nil {
			if action == "StartSyncExecution" {
				add("kms:Decrypt", key)
			}
			if action == "StartSyncExecution" || action == "StartExecution" {
				add("kms:GenerateDataKey", key)
			}
		}
	}
	var out []any
	for _, gr := range grants {
		var res any = gr.resources
		if len(gr.resources) == 1 {
			res = gr.resources[0]
		}
		out = append(out, map[string]any{"Effect": "Allow", "Action": gr.action, "Resource": res})
	}
	return out
}

// machineActions act on a state machine ARN; executionActions on the ARN
// of one of its executions.
var (
	machineActions   = []string{"StartExecution", "StartSyncExecution", "DescribeStateMachine", "ListExecutions"}
	executionActions = []string{"StopExecution", "DescribeExecution", "GetExecutionHistory", "DescribeStateMachineForExecution", "RedriveExecution"}
)

var kmsKeyIDRe = lazyre.New(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// kmsKey is the customer-managed KMS key ARN of an event's machine, or nil.
func (g *apiGen) kmsKey(e *httpEvent) any {
	ec := e.m.Settings.Encryption
	if ec == nil || ec.Type != "CUSTOMER_MANAGED_KMS_KEY" {
		return nil
	}
	key := ec.KmsKeyIDNode
	if key == nil {
		return nil
	}
	if key.Kind == schema.String {
		switch {
		case strings.HasPrefix(key.Value, "arn:") && strings.Contains(key.Value, ":key/"):
			return cfn.Sub(key.Value)
		case kmsKeyIDRe.MatchString(key.Value):
			return cfn.Sub("arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/" + key.Value)
		}
		g.c.Diags.Warnf(key.Pos, "KMS key for the API role given as an alias",
			"The API role needs kms permissions on the key's ARN, which an alias does not name; write the key ARN or Fn::GetAtt [Key, Arn] so stepform can grant them.")
		return nil
	}
	if r := key.Get("Ref"); r != nil && len(key.Pairs) == 1 && r.Kind == schema.String {
		// Ref of an AWS::KMS::Key is its ID; IAM needs its ARN.
		return cfn.GetAtt(r.Value, "Arn")
	}
	return jsvalue.Plain(key)
}

// sfnChecks runs the compile-time checks of an http event that targets a
// state machine. Errors in the default mode, warnings in plugin mode.
func (c *emitter) sfnChecks(e *httpEvent, endpoint string) {
	action := e.StartAction()
	m := e.m
	express := m.Settings.Type == "EXPRESS" // Decode keeps only STANDARD and EXPRESS
	if action == "StartSyncExecution" {
		if !express {
			c.Strictf(e.Action.Pos, "StartSyncExecution on a STANDARD state machine",
				"State machine %q is STANDARD; Step Functions answers StateMachineTypeNotSupported at run time. Set type: EXPRESS on the machine, or use action: StartExecution (asynchronous, 202).", m.Key)
		}
		c.checkSyncTimeout(e, endpoint)
	}
	if action == "StartExecution" && express {
		hint := ""
		if m.Settings.Logging == nil {
			hint = " Enable loggingConfig: EXPRESS results are only in CloudWatch Logs."
		}
		c.Diags.Warnf(pos(e.Action, e.Pos), "asynchronous StartExecution on an EXPRESS machine",
			"State machine %q is EXPRESS: an asynchronous start runs at least once, and DescribeExecution cannot read its result.%s For the result in the response use action: StartSyncExecution.", m.Key, hint)
	}
	if !c.Quirks.NoHTTPAdvice && action != "" && !e.authenticated() {
		if !e.Stepform.Public {
			c.Diags.Warnf(e.Pos, "endpoint has no authentication",
				"Anyone who knows the URL can start state machine %q. Add an authorizer, private: true (API key) or authorizer: aws_iam; if the endpoint is meant to be public, add public: true to the event.", m.Key)
		}
	}
	if t := e.Request.Template; t != nil {
		if t.Kind == schema.String && t.Value == "lambda_proxy" {
			if action != "" {
				c.Diags.Warnf(t.Pos, "lambda_proxy forwards every header into the execution input",
					"Authorization and Cookie headers end up in execution history and logs, and count towards the 256 KiB input limit. Prefer envelope: {headers: [names]}, which forwards only the headers you list.")
			}
		} else if t.Kind == schema.Map {
			for _, p := range t.Pairs {
				c.checkUserTemplate(p.Value, "request template")
				if action != "" {
					c.checkTemplateMachine(p.Value, e)
				}
			}
		}
	}
	if t := e.Response.Template; t != nil && action == "StartSyncExecution" {
		entries := []*schema.Node{t}
		if t.Kind == schema.Map && !t.IsIntrinsic() {
			entries = nil
			for _, p := range t.Pairs {
				entries = append(entries, p.Value)
			}
		}
		for _, t := range entries {
			c.checkSyncResponseTemplate(t)
		}
	}
	if e.Responses != nil && e.Responses.Kind == schema.Map && action != "" && !c.Quirks.NoHTTPAdvice {
		hasDefault := false
		for _, ir := range e.IntegrationResponses {
			sp := ir.SelectionPattern
			if (sp != nil && jsvalue.String(sp) == "") || (sp == nil && ir.Key == "") {
				hasDefault = true
			}
		}
		if !hasDefault {
			c.Diags.Warnf(e.Responses.Pos, "responses have no default",
				"Each selectionPattern is matched against Step Functions' status code; a status no pattern matches becomes a 500 API_CONFIGURATION_ERROR. Give one response selectionPattern: \"\", or remove responses to get stepform's mapping.")
		}
	}
	if e.Node != nil && action != "StartSyncExecution" {
		for _, k := range []string{"errorStatusCodes", "errorDetails"} {
			if p := e.Node.Pair(k); p != nil && !c.Quirks.StepformHTTPKeysUnknown {
				c.Diags.Errorf(p.KeyPos, k+" needs action: StartSyncExecution",
					"Only a synchronous endpoint sees how the execution ended; an asynchronous one answers as soon as it starts.")
			}
		}
	}
	for _, k := range []string{"envelope", "asyncStatusCode"} {
		if p := e.Node.Pair(k); p != nil && action == "" && !c.Quirks.StepformHTTPKeysUnknown {
			c.Diags.Errorf(p.KeyPos, k+" needs an action that starts an execution",
				"%s shapes the request or answer of StartExecution/StartSyncExecution; action %s uses the plugin's integration. Remove it.", k, jsvalue.String(e.Action))
		}
	}
	if e.Responses != nil && action != "" && !c.Quirks.StepformHTTPKeysUnknown {
		for _, k := range []string{"errorStatusCodes", "errorDetails", "asyncStatusCode"} {
			if p := e.Node.Pair(k); p != nil {
				c.Diags.Errorf(p.KeyPos, k+" is ignored with responses",
					"responses replaces stepform's status mapping, so %s has no effect; remove one of the two.", k)
			}
		}
	}
	if p := e.Node.Pair("asyncStatusCode"); p != nil && action == "StartSyncExecution" && !c.Quirks.StepformHTTPKeysUnknown {
		c.Diags.Errorf(p.KeyPos, "asyncStatusCode on a synchronous endpoint",
			"A StartSyncExecution endpoint answers 200 with the output; asyncStatusCode applies to StartExecution.")
	}
	if e.Stepform.ErrorDetails.Cause {
		c.Diags.Warnf(e.Pos, "execution causes are sent to clients",
			"errorDetails: [cause] returns the failed execution's cause, which can hold stack traces and internal data.")
	}
	if action != "" {
		c.checkIAMRole(e)
	}
}

// integrationResponse is the plugin's integration response for an entry
// of responses: its key is the status code and selection pattern unless
// the entry sets them.
func integrationResponse(ir schema.HTTPIntegrationResponse) map[string]any {
	return map[string]any{
		"StatusCode":         orDefault(ir.StatusCode, jsToInteger(ir.Key)),
		"SelectionPattern":   orDefault(ir.SelectionPattern, ir.Key),
		"ResponseParameters": orDefault(ir.ResponseParameters, map[string]any{}),
		"ResponseTemplates":  orDefault(ir.ResponseTemplates, map[string]any{}),
	}
}

func pos(n *schema.Node, def diag.Pos) diag.Pos {
	if n != nil {
		return n.Pos
	}
	return def
}

// authenticated is true when the endpoint has an authorizer, an API key
// or IAM auth.
func (e *httpEvent) authenticated() bool {
	return e.Authorizer != nil || e.Private
}

// checkSyncResponseTemplate is C7 for a user's sync response template.
// StartSyncExecution answers 200 whatever the execution's status, so a
// template that does not set $context.responseOverride.status for FAILED
// and TIMED_OUT answers them with 200. That may be deliberate (a body
// that carries the status), so it is a warning saying what will happen.
func (c *emitter) checkSyncResponseTemplate(t *schema.Node) {
	text := templateText(t)
	if text == "" {
		return
	}
	var unhandled []string
	for _, st := range []string{"FAILED", "TIMED_OUT"} {
		if !strings.Contains(text, "responseOverride.status") || !strings.Contains(text, st) {
			unhandled = append(unhandled, st)
		}
	}
	if len(unhandled) == 0 {
		return
	}
	which := strings.Join(unhandled, " and ")
	c.Diags.Warnf(t.Pos, fmt.Sprintf("%s executions will answer 200", which),
		"StartSyncExecution answers 200 whatever the execution's status, and this response template sets no other status for %s: clients see such a failure as a success, with the template's output. If that is not meant, branch on $input.path('$.status') and set $context.responseOverride.status, or remove response.template to get stepform's mapping (500, 504, errorStatusCodes).", which)
}

// checkSyncTimeout is W1: the machine must time out before API Gateway.
func (c *emitter) checkSyncTimeout(e *httpEvent, endpoint string) {
	limit := 29000.0
	which := "API Gateway's default 29-second integration limit"
	if e.timeout != nil && e.timeout.Kind == schema.Number {
		limit = e.timeout.Num
		which = "its timeoutInMillis; the default is the 29-second limit"
	}
	limitS := int(limit / 1000)
	suggest := limitS - 2
	if suggest < 1 {
		suggest = 1
	}
	ts := e.m.Definition.Get("TimeoutSeconds")
	if ts == nil {
		c.Diags.Warnf(e.Action.Pos, "sync machine has no TimeoutSeconds",
			"API Gateway stops waiting after %d seconds (%s) and answers 504, while an EXPRESS execution runs on for up to 5 minutes and its result is lost. Set TimeoutSeconds: %d in state machine %q's definition so it times out first (a clean 504 from stepform's template), or use action: StartExecution for long work. Clients may retry a 504: make side effects idempotent.",
			limitS, which, suggest, e.m.Key)
		return
	}
	if ts.Kind == schema.Number && ts.Num*1000 >= limit {
		c.Diags.Warnf(ts.Pos, "TimeoutSeconds is not below the integration timeout",
			"API Gateway stops waiting after %d seconds (%s) and answers 504 while the execution runs on (up to %g seconds). Use TimeoutSeconds: %d or less, or action: StartExecution for long work.",
			limitS, which, ts.Num, suggest)
	}
}

// checkTimeoutFor is C3: the integration timeout's range for the API's
// endpoint type.
func (c *emitter) checkTimeoutFor(t *schema.Node, endpoint string) {
	if t == nil || t.Kind != schema.Number || t.Num != float64(int64(t.Num)) || t.Num < 50 || t.Num > 300000 {
		c.Strictf(pos(t, diag.Pos{}), "timeoutInMillis out of range",
			"API Gateway integration timeouts are whole milliseconds from 50 to 29000 (up to 300000 on a regional or private API with a quota increase).")
		return
	}
	if t.Num <= 29000 {
		return
	}
	if endpoint == "EDGE" {
		c.Strictf(t.Pos, "timeoutInMillis above 29000 on an EDGE API",
			"Edge-optimized APIs cannot wait longer than 29 seconds. Use endpointType: REGIONAL (with a Service Quotas increase) or a timeout of 29000 or less.")
		return
	}
	c.Diags.Warnf(t.Pos, "timeoutInMillis above 29000 needs a quota increase",
		"Raise \"Maximum integration timeout in milliseconds\" in Service Quotas for this account and region first (it may lower the account's throttle quota); otherwise deployment fails.")
}

func templateText(n *schema.Node) string {
	if n.Kind == schema.String {
		return n.Value
	}
	if s := n.Get("Fn::Sub"); s != nil {
		if s.Kind == schema.String {
			return s.Value
		}
		if s.Kind == schema.List && len(s.Items) > 0 {
			return s.Items[0].Value
		}
	}
	return ""
}

// riskyRefs are the references to request data (and escapeJavaScript
// calls) C6 looks at; $context.identity holds caller-controlled values
// such as userAgent.
const riskyRefs = `input\.body|input\.params\(|input\.path\(|input\.json\(|context\.authorizer|context\.identity\.|util\.escapeJavaScript\(`

var (
	riskyRefRe = lazyre.New(`\$!?\{?(` + riskyRefs + `)`)
	formalRef  = lazyre.New(`\$!?\{[^}!]*\}`)
	setRe      = lazyre.New(`^\s*#set\s*\(\s*\$!?\{?([A-Za-z][A-Za-z0-9_-]*)\}?\s*=(.*)$`)
	escapeRe   = lazyre.New(`escapeJavaScript\(`)
)

// requestDataRe is riskyRefRe plus the variables a #set assigns request
// data to without escaping it.
func requestDataRe(text string) *regexp.Regexp {
	re := riskyRefRe.Compiled()
	var tainted []string
	for _, line := range strings.Split(text, "\n") {
		m := setRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		rhsAt := len(line) - len(m[2])
		for _, loc := range re.FindAllStringIndex(line[rhsAt:], -1) {
			at := rhsAt + loc[0]
			if strings.HasSuffix(line[rhsAt+loc[0]:rhsAt+loc[1]], "escapeJavaScript(") || insideEscape(line, at) {
				continue
			}
			if !slices.Contains(tainted, m[1]) {
				tainted = append(tainted, regexp.QuoteMeta(m[1]))
				re = regexp.MustCompile(`\$!?\{?(` + riskyRefs + `|(?:` + strings.Join(tainted, "|") + `)\b)`)
			}
			break
		}
	}
	return re
}

// checkUserTemplate is C6: a user request template must escape request
// data inside JSON strings with escapeJavaScript(...).replaceAll("\\'","'"),
// must not post-process assembled user data, and inside Fn::Sub must not
// use VTL formal references.
func (c *emitter) checkUserTemplate(n *schema.Node, what string) {
	text := templateText(n)
	if text == "" {
		return
	}
	if n.Kind == schema.Map && n.Get("Fn::Sub") != nil {
		vars := map[string]bool{}
		if s := n.Get("Fn::Sub"); s.Kind == schema.List && len(s.Items) > 1 {
			for _, p := range s.Items[1].Pairs {
				vars[p.Key] = true
			}
		}
		for _, ref := range formalRef.FindAllString(text, -1) {
			name := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(ref, "$"), "!"), "}")
			name = strings.TrimPrefix(name, "{")
			if vars[name] {
				continue
			}
			for _, vtl := range []string{"input", "context", "util", "stageVariables"} {
				if name == vtl || strings.HasPrefix(name, vtl+".") || strings.ContainsAny(name, "()") {
					c.Strictf(n.Pos, "VTL formal reference inside Fn::Sub",
						"Fn::Sub replaces %s itself, so the template never sees it; write it without braces (e.g. $input.body) or as ${!...}.", ref)
					break
				}
			}
		}
	}
	if strings.Contains(text, `.replaceAll("@@"`) || strings.Contains(text, `.replaceAll('@@'`) {
		c.Strictf(n.Pos, "template post-processes assembled user data",
			"Replacing @@ after request data went in lets a caller inject quotes (e.g. a body containing @@). Build JSON from single-quoted literals and escape each value once.")
	}
	dataRe := requestDataRe(text)
	for _, line := range strings.Split(text, "\n") {
		for _, loc := range dataRe.FindAllStringIndex(line, -1) {
			ref := line[loc[0]:loc[1]]
			if strings.HasSuffix(ref, "escapeJavaScript(") {
				end := matchParen(line, loc[1]-1)
				if end < 0 || !strings.HasPrefix(strings.ReplaceAll(line[end+1:], " ", ""), `.replaceAll("\\'","'")`) {
					c.Strictf(n.Pos, fmt.Sprintf("%s escapes without the apostrophe fix", what),
						"$util.escapeJavaScript writes ' as \\', which is not valid JSON: any apostrophe in the request makes Step Functions answer SerializationException. Append .replaceAll(\"\\\\'\", \"'\") to every escapeJavaScript(...).")
					return
				}
				continue
			}
			if insideEscape(line, loc[0]) {
				continue
			}
			trimmed := strings.TrimSpace(line)
			if strings.HasPrefix(trimmed, "#") {
				continue
			}
			if unescapedQuotes(line[:loc[0]])%2 == 1 {
				c.Strictf(n.Pos, fmt.Sprintf("%s puts request data into a JSON string unescaped", what),
					"%s inside \"...\" breaks the JSON (or lets the caller add keys) when the value holds a quote, backslash or newline. Write \"$util.escapeJavaScript(...).replaceAll(\"\\\\'\", \"'\")\" around it.", strings.TrimSuffix(ref, "("))
				return
			}
		}
	}
}

// matchParen returns the index of the parenthesis closing the one at open.
func matchParen(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// insideEscape is true when position at is within the arguments of an
// escapeJavaScript( call on the same line.
func insideEscape(line string, at int) bool {
	for _, loc := range escapeRe.FindAllStringIndex(line, -1) {
		open := loc[1] - 1
		if open < at {
			if end := matchParen(line, open); end < 0 || end > at {
				return true
			}
		}
	}
	return false
}

// checkIAMRole is C4 and W4 for an event's own iamRole: when it names a
// role of this template, the role must allow the integration's action on
// the machine, not on "*", and KMS on a customer-managed key.
func (c *emitter) checkIAMRole(e *httpEvent) {
	if e.IAMRole == nil {
		return
	}
	id := ""
	if ga := e.IAMRole.Get("Fn::GetAtt"); ga != nil {
		if ga.Kind == schema.List && len(ga.Items) == 2 {
			id = ga.Items[0].Value
		} else if ga.Kind == schema.String {
			id = strings.TrimSuffix(ga.Value, ".Arn")
		}
	}
	if id == "" {
		return
	}
	role := c.Service.Resources.Path("Resources." + id)
	if role == nil || jsvalue.String(role.Get("Type")) != "AWS::IAM::Role" {
		return
	}
	if mp := role.Path("Properties.ManagedPolicyArns"); mp.Truthy() {
		return // cannot see inside managed policies
	}
	action := "states:" + e.StartAction()
	allowed, wildcard := false, false
	for _, pol := range listOf(role.Path("Properties.Policies")) {
		for _, st := range listOf(pol.Path("PolicyDocument.Statement")) {
			if jsvalue.String(st.Get("Effect")) != "Allow" {
				continue
			}
			if !actionMatches(st.Get("Action"), action) {
				continue
			}
			allowed = true
			for _, r := range listOf(st.Get("Resource")) {
				if r.Kind == schema.String && (r.Value == "*" || strings.HasSuffix(r.Value, ":*")) {
					wildcard = true
				}
			}
		}
	}
	switch {
	case !allowed:
		c.Strictf(e.IAMRole.Pos, fmt.Sprintf("iamRole %s does not allow %s", id, action),
			"API Gateway calls Step Functions with this role; add a statement allowing %s on the state machine (Ref %s).", action, e.m.LogicalID())
	case wildcard:
		c.Strictf(e.IAMRole.Pos, fmt.Sprintf("iamRole %s allows %s on every state machine", id, action),
			"With Resource \"*\" a caller who controls the request can start any state machine the role reaches. Use Resource: !Ref %s.", e.m.LogicalID())
	}
	if e.StartAction() == "StartSyncExecution" && e.m.Settings.Encryption != nil && e.m.Settings.Encryption.Type == "CUSTOMER_MANAGED_KMS_KEY" {
		kms := false
		for _, pol := range listOf(role.Path("Properties.Policies")) {
			for _, st := range listOf(pol.Path("PolicyDocument.Statement")) {
				kms = kms || actionMatches(st.Get("Action"), "kms:Decrypt")
			}
		}
		if !kms {
			c.Diags.Warnf(e.IAMRole.Pos, fmt.Sprintf("iamRole %s cannot decrypt the execution output", id),
				"State machine %q uses a customer-managed KMS key; without kms:Decrypt (and kms:GenerateDataKey) on it, StartSyncExecution fails with KmsAccessDeniedException.", e.m.Key)
		}
	}
}

func listOf(n *schema.Node) []*schema.Node {
	if n == nil {
		return nil
	}
	if n.Kind == schema.List {
		return n.Items
	}
	return []*schema.Node{n}
}

// actionMatches is IAM's action matching: case-insensitive, * and ?.
func actionMatches(n *schema.Node, action string) bool {
	for _, a := range listOf(n) {
		if a.Kind != schema.String {
			continue
		}
		pat := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(strings.ToLower(a.Value))) + "$"
		if ok, _ := regexp.MatchString(pat, strings.ToLower(action)); ok {
			return true
		}
	}
	return false
}

// checks runs the integration timeout checks (C3) and every event's
// state machine checks.
func (g *apiGen) checks() {
	c := g.c
	if t := g.apiGW.TimeoutInMillis; t != nil {
		c.checkTimeoutFor(t, g.endpoint)
	}
	for _, e := range g.events {
		if t := e.TimeoutInMillis; t != nil { // truthy when set
			c.checkTimeoutFor(t, g.endpoint)
		}
		c.sfnChecks(e, g.endpoint)
	}
}

// gatewayResponses adds CORS-enabled JSON gateway responses for errors
// API Gateway itself answers (401, 403, 413, 415, 429, 504, ...) when any
// endpoint has CORS, so browsers can read them (W5). They are shared by
// the whole API and cannot run VTL, so they cannot check an Origin
// against a list: with one allowed origin (over every endpoint) they name
// it, with several they echo the request's Origin header
// (method.request.header.Origin), whatever it is. Their bodies are API
// Gateway's own error messages, which hold no data of the API.
func (g *apiGen) gatewayResponses() {
	if g.c.Quirks.NoGatewayResponses {
		return
	}
	var first *httpEvent
	var headers, origins []string
	credentials := false
	for _, e := range g.events {
		if e.CORS == nil {
			continue
		}
		if first == nil {
			first = e
		}
		headers = union(headers, e.CORS.Headers)
		origins = union(origins, e.allowedOrigins())
		credentials = credentials || e.CORS.AllowCredentials
	}
	if first == nil {
		return
	}
	if g.sharedAPI {
		g.c.Diags.Warnf(first.Pos, "no CORS gateway responses on a shared API",
			"The API is provider.apiGateway.restApiId, owned elsewhere: add DEFAULT_4XX and DEFAULT_5XX gateway responses with Access-Control-Allow-Origin there, or browsers cannot read API Gateway's own errors.")
		return
	}
	params := map[string]any{
		"gatewayresponse.header.Access-Control-Allow-Origin":  "'" + staticOrigin(origins) + "'",
		"gatewayresponse.header.Access-Control-Allow-Headers": "'" + strings.Join(headers, ",") + "'",
	}
	if echoesOrigin(origins) {
		params["gatewayresponse.header.Access-Control-Allow-Origin"] = "method.request.header.Origin"
		params["gatewayresponse.header.Vary"] = "'Origin'"
	}
	if credentials {
		params["gatewayresponse.header.Access-Control-Allow-Credentials"] = "'true'"
	}
	for _, r := range []struct{ id, typ, status, body string }{
		{"GatewayResponseDefault4XX", "DEFAULT_4XX", "", gatewayErrorBody},
		{"GatewayResponseDefault5XX", "DEFAULT_5XX", "", gatewayErrorBody},
		{"GatewayResponseIntegrationTimeout", "INTEGRATION_TIMEOUT", "504", gatewayTimeoutBody},
	} {
		if g.c.BaseHasResource(r.id) {
			continue
		}
		p := map[string]any{}
		for k, v := range params {
			p[k] = v
		}
		props := map[string]any{"ResponseType": r.typ, "RestApiId": g.apiID(), "ResponseParameters": p,
			"ResponseTemplates": map[string]any{"application/json": r.body}}
		if r.status != "" {
			props["StatusCode"] = r.status
		}
		g.merge(r.id, map[string]any{"Type": "AWS::ApiGateway::GatewayResponse", "Properties": props})
		g.methodIDs = append(g.methodIDs, r.id)
	}
}

// The bodies of the gateway responses stepform adds for synchronous
// endpoints, which also mark them as stepform's in a --base template.
const (
	gatewayErrorBody   = `{"error":"$context.error.responseType","message":$context.error.messageString}`
	gatewayTimeoutBody = `{"error":"GatewayTimeout","message":"The state machine did not answer within the integration timeout; the execution may still be running."}`
)

// unescapedQuotes counts the double quotes not preceded by a backslash.
func unescapedQuotes(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '"' && (i == 0 || s[i-1] != '\\') {
			n++
		}
	}
	return n
}

// IsGeneratedGatewayResponse reports whether body is the response template
// of a gateway response stepform generates (the framework makes none).
func IsGeneratedGatewayResponse(body string) bool {
	return body == gatewayErrorBody || body == gatewayTimeoutBody
}

// Package iam infers the execution role of each state machine that names
// none: the permissions its tasks need, in the plugin's order and
// consolidation. The registry of service integrations (strategies, keyed
// by resource ARN) is data: one builder per integration in
// iam_services.go and iam_integrations.go. The default mode changes only
// the resources the plugin gets wrong or crashes on (docs/differences.md,
// rows I1-I9; mode.Quirks.IAM*).
package iam

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/internal/emit"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// permission is one action (or comma-joined actions) on a resource: a
// value, a list of values, or "*".
type permission struct {
	action   string
	resource any
}

const (
	logsActions = "logs:CreateLogDelivery,logs:GetLogDelivery,logs:UpdateLogDelivery," +
		"logs:DeleteLogDelivery,logs:ListLogDeliveries,logs:PutResourcePolicy," +
		"logs:DescribeResourcePolicies,logs:DescribeLogGroups"
	xrayActions   = "xray:PutTraceSegments,xray:PutTelemetryRecords,xray:GetSamplingRules,xray:GetSamplingTargets"
	kmsKeyActions = "kms:Decrypt,kms:Encrypt,kms:ReEncrypt*,kms:GenerateDataKey*,kms:DescribeKey"
)

// EmitExecutionRole adds <logicalId>Role, the role state machine m runs
// as, with the permissions its tasks need.
func EmitExecutionRole(ctx *emit.Context, m *schema.StateMachine) {
	c := &emitter{ctx}
	if m.Definition == nil {
		return
	}
	var perms []permission
	if m.Definition.Kind == schema.Map {
		for _, task := range c.taskStates(m.Definition.Get("States"), m) {
			taskPerms := c.taskPermissions(task)
			c.checkPermissionTargets(task, taskPerms)
			perms = append(perms, taskPerms...)
			c.warnUninferred(task, m)
		}
	}
	s := &m.Settings
	if s.Logging != nil {
		perms = append(perms, permission{logsActions, "*"})
	}
	if s.Tracing != nil {
		perms = append(perms, permission{xrayActions, "*"})
	}
	if len(s.KMSKeyArns) > 0 {
		arns := make([]any, len(s.KMSKeyArns))
		for i, arn := range s.KMSKeyArns {
			arns[i] = jsvalue.Plain(arn)
		}
		perms = append(perms, permission{kmsKeyActions, arns})
	}
	if ec := s.Encryption; ec != nil && ec.KmsKeyIDNode.Truthy() {
		perms = append(perms, permission{"kms:Decrypt,kms:Encrypt", cfn.Sub(ec.KmsKeyID)})
	}
	perms = consolidateByResource(consolidateByAction(perms))

	var statements []any
	for _, p := range perms {
		statements = append(statements, map[string]any{
			"Effect": "Allow", "Action": toAny(strings.Split(p.action, ",")), "Resource": p.resource,
		})
	}
	if m.IAMRoleStatements != nil {
		for _, st := range m.IAMRoleStatements.Items {
			statements = append(statements, jsvalue.Plain(st))
		}
	}
	if len(statements) == 0 {
		statements = []any{map[string]any{"Effect": "Deny", "Action": "*", "Resource": "*"}}
	}
	// The role is built as the plain values its goformation type would
	// convert to, and converted while they are in the caches; it stays a
	// typed resource to MergeResource (see cfn.SetResourceConverting).
	props := map[string]any{
		"AssumeRolePolicyDocument": map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{map[string]any{
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": cfn.Sub("states.${AWS::Region}.amazonaws.com")},
				"Action":    "sts:AssumeRole",
			}},
		},
		"Policies": []any{map[string]any{
			"PolicyName":     fmt.Sprintf("%s-%s-statemachine", c.Service.Stage, c.Service.Name),
			"PolicyDocument": map[string]any{"Version": "2012-10-17", "Statement": statements},
		}},
	}
	if b := c.Service.Provider.RolePermissionsBoundary; b != nil {
		props["PermissionsBoundary"] = cfn.Str(jsvalue.Plain(b))
	}
	if p := c.Service.Provider.RolePath; p != nil {
		props["Path"] = cfn.Str(jsvalue.Plain(p))
	}
	c.Template.SetResourceConverting(m.LogicalID()+"Role", cfn.Raw{"Type": "AWS::IAM::Role", "Properties": props})
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// taskStates collects, in definition order, every state whose Resource the
// role must allow: Task states, tasks inside Parallel branches and Map
// processors, a Distributed Map's child executions, ItemReader and
// ResultWriter.
func (c *emitter) taskStates(states *schema.Node, m *schema.StateMachine) []*schema.Node {
	var out []*schema.Node
	var items []*schema.Node
	switch {
	case states == nil:
		return nil
	case states.Kind == schema.Map:
		for _, p := range jsvalue.Pairs(states) {
			items = append(items, p.Value)
		}
	case states.Kind == schema.List:
		items = states.Items
	}
	for _, st := range items {
		typ := st.Get("Type")
		if typ == nil || typ.Kind != schema.String {
			continue
		}
		switch typ.Value {
		case "Task":
			out = append(out, st)
		case "Parallel":
			var branches []*schema.Node
			switch br := st.Get("Branches"); {
			case br == nil:
			case br.Kind == schema.List:
				branches = br.Items
			case br.Kind == schema.Map:
				for _, p := range jsvalue.Pairs(br) {
					branches = append(branches, p.Value)
				}
			}
			for _, b := range branches {
				if b.Kind == schema.Null && c.Quirks.ReproducesCrashes {
					c.pluginCrashes(b.Pos, "The plugin reads States of every Parallel branch, and this branch is null")
				}
				out = append(out, c.taskStates(b.Get("States"), m)...)
			}
		case "Map":
			ip := st.Get("ItemProcessor")
			inner := st.Get("Iterator")
			if ip.Truthy() {
				inner = ip
			} else {
				ip = nil
			}
			if inner == nil || inner.Kind == schema.Null {
				continue // the definition validator reports it
			}
			out = append(out, c.taskStates(inner.Get("States"), m)...)
			if mode := ip.Get("ProcessorConfig").Get("Mode"); mode != nil && mode.Value == "DISTRIBUTED" && mode.Kind == schema.String {
				out = append(out, schema.NewMap(st.Pos,
					schema.Pair{Key: "Resource", Value: schema.NewString("arn:aws:states:::states:startExecution", st.Pos)},
					schema.Pair{Key: "Mode", Value: schema.NewString("DISTRIBUTED", st.Pos)},
					schema.Pair{Key: "StateMachineName", Value: schema.NewString(m.DisplayName(), st.Pos)},
				))
			}
			if r := st.Get("ItemReader"); r != nil {
				out = append(out, r)
			}
			if w := st.Get("ResultWriter"); w != nil {
				out = append(out, w)
			}
		}
	}
	return out
}

var partitionPrefix = lazyre.New(`^arn:(aws(-[a-z]+)*|\$\{AWS::Partition\}):`)

// taskPermissions returns what one task needs: the strategy registered for
// its normalised Resource, or the plugin's fallback (Lambda ARNs and
// intrinsics are invoked as functions; anything else gets nothing).
func (c *emitter) taskPermissions(task *schema.Node) []permission {
	res := task.Get("Resource")
	if res != nil && res.Kind == schema.String {
		if s, ok := strategies[partitionPrefix.ReplaceAllString(res.Value, "arn:aws:")]; ok {
			return s(c, task)
		}
	}
	return c.fallbackPermissions(task)
}

var lambdaArn = lazyre.New(`^arn:aws(-[a-z]+)*:lambda`)

func functionArnPair(name string) []any {
	return []any{
		cfn.Sub(fmt.Sprintf("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:%s", name)),
		cfn.Sub(fmt.Sprintf("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:%s:*", name)),
	}
}

// lambdaInvokePermissions is lambda:InvokeFunction for a lambda:invoke task.
func (c *emitter) lambdaInvokePermissions(task *schema.Node) []permission {
	const action = "lambda:InvokeFunction"
	params := task.Get("Parameters")
	args := task.Get("Arguments")
	if params.Get("FunctionName.$").Truthy() || isJSONataExpr(args.Get("FunctionName")) {
		if allowed := parameterOrArgument(task, "AllowedFunctions"); allowed.Truthy() {
			return []permission{{action, jsvalue.Plain(allowed)}}
		}
		return []permission{{action, "*"}}
	}
	fn := parameterOrArgument(task, "FunctionName")
	switch {
	case fn == nil:
		return []permission{{action, nil}}
	case fn.Kind == schema.String:
		name := fn.Value
		segs := strings.Split(name, ":")
		switch {
		case lambdaArn.MatchString(name):
			return []permission{{action, []any{name, name + ":*"}}}
		case len(segs) == 3 && isDigits(segs[0]):
			return []permission{{action, []any{
				cfn.Sub("arn:${AWS::Partition}:lambda:${AWS::Region}:" + name),
				cfn.Sub("arn:${AWS::Partition}:lambda:${AWS::Region}:" + name + ":*"),
			}}}
		}
		return []permission{{action, functionArnPair(name)}}
	case fn.Get("Fn::GetAtt") != nil:
		arn := jsvalue.Plain(c.TranslateIntrinsic(fn))
		return []permission{{action, []any{arn, cfn.SubVars("${functionArn}:*", map[string]any{"functionArn": arn})}}}
	case fn.Get("Ref") != nil:
		if name := c.LocalFunctionName(fn); name != "" {
			return []permission{{action, functionArnPair(name)}}
		}
		arn := jsvalue.Plain(c.TranslateIntrinsic(fn))
		base := "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${functionArn}"
		return []permission{{action, []any{
			cfn.SubVars(base, map[string]any{"functionArn": arn}),
			cfn.SubVars(base+":*", map[string]any{"functionArn": arn}),
		}}}
	}
	return []permission{{action, jsvalue.Plain(fn)}}
}

// fallbackPermissions handles a Resource no integration claims: a Lambda
// ARN (alias trimmed) or an intrinsic is invoked as a function; anything
// else gets no permission, as in the plugin.
func (c *emitter) fallbackPermissions(task *schema.Node) []permission {
	res := task.Get("Resource")
	if res == nil {
		return nil // the definition validator reports it
	}
	if res.Kind != schema.String && !res.IsIntrinsic() {
		c.Diags.Errorf(res.Pos, "Resource must be a string or an intrinsic function",
			"Got %s. Write an ARN, such as arn:aws:states:::lambda:invoke, or an intrinsic function.", jsvalue.KindPhrase(res))
		return nil
	}
	if res.Kind == schema.String && !lambdaArnAnywhere.MatchString(res.Value) {
		return nil
	}
	if res.Kind == schema.String {
		res = schema.NewString(trimLambdaAlias(res.Value), res.Pos)
	}
	if name := c.LocalFunctionName(res); name != "" {
		return []permission{{"lambda:InvokeFunction", functionArnPair(name)}}
	}
	arn := jsvalue.Plain(c.TranslateIntrinsic(res))
	return []permission{{"lambda:InvokeFunction", []any{arn, versionedArn(arn)}}}
}

var lambdaArnAnywhere = lazyre.New(`arn:aws(-[a-z]+)*:lambda`)

// trimLambdaAlias drops the alias of a Lambda ARN with 8 segments.
func trimLambdaAlias(arn string) string {
	if !lambdaArn.MatchString(arn) {
		return arn
	}
	segs := strings.Split(arn, ":")
	if len(segs) == 8 {
		return strings.Join(segs[:7], ":")
	}
	return arn
}

// versionedArn is the ARN pattern for every version of a function.
func versionedArn(arn any) any {
	if m, ok := arn.(map[string]any); ok {
		switch sub := m["Fn::Sub"].(type) {
		case string:
			return cfn.Sub(sub + ":*")
		case []any:
			if len(sub) > 0 {
				if s, ok := sub[0].(string); ok {
					var vars any
					if len(sub) > 1 {
						vars = sub[1]
					}
					return map[string]any{"Fn::Sub": []any{s + ":*", vars}}
				}
			}
		}
	}
	return cfn.SubVars("${functionArn}:*", map[string]any{"functionArn": arn})
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func isJSONataExpr(n *schema.Node) bool {
	return n != nil && n.Kind == schema.String && strings.HasPrefix(jsTrim(n.Value), "{%")
}

// jsTrim is String.prototype.trim: it removes white space and line
// terminators as JavaScript defines them (U+FEFF included, U+0085 not).
func jsTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		switch r {
		case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
			return true
		}
		return r >= 0x2000 && r <= 0x200A
	})
}

// pluginCrashes reports an input on which the plugin throws, so that it
// writes no template: in plugin mode, which cannot reproduce that, it is an
// error (and pluginCrashes returns true); the default mode compiles the
// input and the caller carries on.
func (c *emitter) pluginCrashes(pos diag.Pos, why string) bool {
	if !c.Quirks.ReproducesCrashes {
		return false
	}
	c.Diags.Errorf(pos, "serverless-step-functions crashes on this task",
		"%s, so it throws while building the execution role and writes no template. Compile without --compat plugin, which handles this input.", why)
	return true
}

var integrationArn = lazyre.New(`^arn:[^:]+:states:::`)

// warnUninferred warns, in the default mode, about a service integration
// that no strategy knows: its role gets no permission for it (the plugin
// only logs this), so unless the machine adds iamRoleStatements the task
// fails at run time with AccessDenied.
func (c *emitter) warnUninferred(task *schema.Node, m *schema.StateMachine) {
	if c.Quirks.UnknownIntegrationsSilent || (m.IAMRoleStatements != nil && len(m.IAMRoleStatements.Items) > 0) {
		return
	}
	res := task.Get("Resource")
	if res == nil || res.Kind != schema.String || !integrationArn.MatchString(res.Value) {
		return
	}
	if _, ok := strategies[partitionPrefix.ReplaceAllString(res.Value, "arn:aws:")]; ok {
		return
	}
	c.Diags.Warnf(res.Pos, "no IAM permission inferred for this integration",
		"stepform (like serverless-step-functions) knows no permissions for %s, so the execution role does not allow it. Add the statements it needs under iamRoleStatements, or give the machine a role.", res.Value)
}

// equalValues is lodash isEqual for template values.
func equalValues(a, b any) bool { return reflect.DeepEqual(a, b) }

// parameterOrArgument reads key from Parameters (JSONPath) or Arguments
// (JSONata), chosen by the state's own QueryLanguage as the plugin does.
func parameterOrArgument(task *schema.Node, key string) *schema.Node {
	params, args := task.Get("Parameters"), task.Get("Arguments")
	switch ql := task.Get("QueryLanguage"); {
	case ql != nil && ql.Value == "JSONata":
		return args.Get(key)
	case ql != nil && ql.Value == "JSONPath":
		return params.Get(key)
	case params.Truthy() && !args.Truthy():
		return params.Get(key)
	case args.Truthy() && !params.Truthy():
		return args.Get(key)
	}
	return nil
}

// consolidateByAction merges permissions with the same action string:
// their resources are concatenated and de-duplicated, and any "*" makes
// the whole resource "*".
func consolidateByAction(perms []permission) []permission {
	var out []permission
	index := map[string]int{}
	var resources [][]any
	for _, p := range perms {
		i, ok := index[p.action]
		if !ok {
			i = len(out)
			index[p.action] = i
			out = append(out, permission{action: p.action})
			resources = append(resources, nil)
		}
		resources[i] = append(resources[i], jsvalue.Flatten(p.resource)...)
	}
	for i := range out {
		uniq := uniqValues(resources[i])
		out[i].resource = uniq
		for _, r := range uniq {
			if r == "*" {
				out[i].resource = "*"
			}
		}
	}
	return out
}

// consolidateByResource merges permissions on equal resources, joining
// their de-duplicated actions.
func consolidateByResource(perms []permission) []permission {
	var out []permission
	index := map[string]int{}
	for _, p := range perms {
		key := string(jsvalue.CompactJSON(p.resource))
		i, ok := index[key]
		if !ok {
			index[key] = len(out)
			out = append(out, permission{action: p.action, resource: p.resource})
			continue
		}
		out[i].action += "," + p.action
	}
	for i := range out {
		var actions []string
		seen := map[string]bool{}
		for _, a := range strings.Split(out[i].action, ",") {
			if !seen[a] {
				seen[a] = true
				actions = append(actions, a)
			}
		}
		out[i].action = strings.Join(actions, ",")
	}
	return out
}

func uniqValues(vs []any) []any {
	out := []any{}
	for _, v := range vs {
		dup := false
		for _, o := range out {
			if reflect.DeepEqual(o, v) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out
}

// emitter is the compilation's context as this concern uses it.
type emitter struct{ *emit.Context }

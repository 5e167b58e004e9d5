// Package notifications compiles each state machine's notifications block
// into an EventBridge rule per execution status, the targets' permissions
// (topic and queue policies, Lambda permissions, one IAM role per machine)
// and the merged policies of topics and queues several machines share.
// Logical IDs and hashed target IDs are the plugin's.
package notifications

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/stepform/stepform/compiler/internal/emit"
	"github.com/stepform/stepform/compiler/internal/joi"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// executionStatuses are the statuses notifications take, in the order the
// plugin handles them.
var executionStatuses = schema.ExecutionStatuses

// notificationKinds are the target kinds, in the order the plugin picks
// the first one a target has.
var notificationKinds = []string{"sns", "sqs", "kinesis", "firehose", "lambda", "stepFunctions"}

type notificationResource struct {
	id   string
	body *schema.Node
}

// Emit adds, per machine, an EventBridge rule per execution
// status with targets, the permissions the targets need (topic and queue
// policies, Lambda permissions, one IAM role), and merges the topic and
// queue policies that several machines share.
func Emit(ctx *emit.Context) {
	c := &emitter{ctx}
	var all []notificationResource
	for _, m := range c.Service.StepFunctions.StateMachines {
		n := m.Notifications
		if n == nil {
			continue
		}
		if m.Type != nil && m.Type.Value == "EXPRESS" {
			c.Diags.Warnf(jsvalue.KeyPos(m.Node, "notifications"), "notifications do not work with EXPRESS machines",
				"Step Functions sends no execution status events for Express workflows, so no rules are created. Remove notifications, or use type: STANDARD.")
			continue
		}
		if !c.checkNotifications(m, n) {
			continue
		}
		res, ok := c.machineNotifications(m, n)
		if !ok {
			continue
		}
		all = append(all, res...)
	}
	for _, r := range mergePolicies(all) {
		c.MergeResource(r.id, jsvalue.Plain(r.body))
	}
}

func (c *emitter) checkNotifications(m *schema.StateMachine, n *schema.Node) bool {
	k := &joi.Checker{What: "notifications"}
	k.Keys(n, "notifications", executionStatuses)
	for _, p := range n.Pairs {
		if !slices.Contains(executionStatuses, p.Key) {
			continue
		}
		if p.Value.Kind != schema.List {
			k.Add(p.Value.Pos, "notifications."+p.Key+" must be a list of targets", "Write %s: [{sns: <topic ARN>}, ...]; got %s.", p.Key, jsvalue.Describe(p.Value))
			continue
		}
		for _, t := range p.Value.Items {
			c.checkTarget(k, t)
		}
	}
	return k.Report(c.Context, m)
}

func (c *emitter) checkTarget(k *joi.Checker, t *schema.Node) {
	if t.Kind != schema.Map {
		k.Add(t.Pos, "notification target must be an object", "Write {sns: <topic ARN>} (or sqs, kinesis, firehose, lambda, stepFunctions); got %s.", jsvalue.Describe(t))
		return
	}
	k.Keys(t, "a notification target", schema.NotificationTargetSpec.KeyNames())
	for _, kind := range notificationKinds {
		v := t.Get(kind)
		if v == nil {
			continue
		}
		switch {
		case kind == "sqs" && v.Kind == schema.Map && (v.Get("arn") != nil || v.Get("messageGroupId") != nil):
			k.Keys(v, "sqs", schema.SQSTargetSpec.KeyNames())
			if a := v.Get("arn"); a == nil {
				k.Add(v.Pos, "sqs target has no arn", "Write sqs: {arn: <queue ARN>, messageGroupId: <id>}.")
			} else {
				k.Arn(a, "sqs.arn", false)
			}
			if g := v.Get("messageGroupId"); g == nil {
				k.Add(v.Pos, "sqs target has no messageGroupId", "A FIFO queue target needs messageGroupId; for a standard queue write sqs: <queue ARN>.")
			} else {
				k.Str(g, "sqs.messageGroupId")
			}
		case kind == "kinesis" && v.Kind == schema.Map && (v.Get("arn") != nil || v.Get("partitionKeyPath") != nil):
			k.Keys(v, "kinesis", schema.KinesisTargetSpec.KeyNames())
			if a := v.Get("arn"); a == nil {
				k.Add(v.Pos, "kinesis target has no arn", "Write kinesis: {arn: <stream ARN>, partitionKeyPath: $.id}.")
			} else {
				k.Arn(a, "kinesis.arn", false)
			}
			if p := v.Get("partitionKeyPath"); p != nil {
				k.Str(p, "kinesis.partitionKeyPath")
			} else if v.Get("arn") != nil {
				c.kinesisWithoutPartitionKey(jsvalue.KeyPos(t, "kinesis"))
			}
		default:
			k.Arn(v, kind, false)
		}
	}
	if v := t.Get("inputPath"); v != nil {
		k.Str(v, "inputPath")
	}
	if tr := t.Get("inputTransformer"); tr != nil {
		if tr.Kind != schema.Map {
			k.Add(tr.Pos, "inputTransformer must be an object", "Write inputTransformer: {inputPathsMap: {...}, inputTemplate: ...}; got %s.", jsvalue.Describe(tr))
		} else {
			k.Keys(tr, "inputTransformer", schema.TargetInputTransformerSpec.KeyNames())
			if pm := tr.Get("inputPathsMap"); pm != nil {
				if pm.Kind != schema.Map {
					k.Add(pm.Pos, "inputPathsMap must be an object", "Map names to JSON paths: {name: $.detail.name}; got %s.", jsvalue.Describe(pm))
				} else {
					for _, p := range pm.Pairs {
						k.Str(p.Value, "inputPathsMap."+p.Key)
					}
				}
			}
			if it := tr.Get("inputTemplate"); it == nil {
				k.Add(jsvalue.KeyPos(t, "inputTransformer"), "inputTransformer has no inputTemplate", "Add inputTemplate: '{\"status\": <status>}'.")
			} else {
				k.Str(it, "inputTemplate")
			}
		}
	}
	if !c.Quirks.NotificationTargetsUnchecked && targetKind(t) == "" {
		k.Add(t.Pos, "notification target has no destination", "Give the target one of %s.", strings.Join(notificationKinds, ", "))
	}
}

// kinesisWithoutPartitionKey reports a kinesis target object without
// partitionKeyPath: the plugin's schema lets it through and writes an empty
// KinesisParameters, which CloudFormation rejects (PartitionKeyPath is
// required there).
func (c *emitter) kinesisWithoutPartitionKey(pos diag.Pos) {
	c.Strictf(pos, "kinesis target has no partitionKeyPath",
		"With kinesis: {arn: ...} the rule gets KinesisParameters, whose PartitionKeyPath CloudFormation requires. Add partitionKeyPath: $.detail.executionArn, or write kinesis: <stream ARN> to partition by event ID.")
}

// targetKind is the first target kind the target has, or "".
func targetKind(t *schema.Node) string {
	for _, kind := range notificationKinds {
		if t.Pair(kind) != nil {
			return kind
		}
	}
	return ""
}

// normalizeRefs turns local function names in every Ref and Fn::GetAtt of
// a target into logical IDs, as the plugin does before compiling it.
func (c *emitter) normalizeRefs(n *schema.Node) *schema.Node {
	switch n.Kind {
	case schema.List:
		out := *n
		out.Items = make([]*schema.Node, len(n.Items))
		for i, it := range n.Items {
			out.Items[i] = c.normalizeRefs(it)
		}
		return &out
	case schema.Map:
		if n.Get("Ref").Truthy() || n.Get("Fn::GetAtt").Truthy() {
			return c.TranslateIntrinsic(n)
		}
		out := *n
		out.Pairs = make([]schema.Pair, len(n.Pairs))
		for i, p := range n.Pairs {
			out.Pairs[i] = schema.Pair{Key: p.Key, KeyPos: p.KeyPos, Value: c.normalizeRefs(p.Value)}
		}
		return &out
	}
	return n
}

type statusTarget struct {
	status string
	target *schema.Node
}

func (c *emitter) machineNotifications(m *schema.StateMachine, n *schema.Node) ([]notificationResource, bool) {
	smID := m.LogicalID()
	name := m.DisplayName()
	roleID := smID + "NotificationsIamRole"
	targets := map[string][]*schema.Node{}
	var all []statusTarget
	for _, status := range executionStatuses {
		list := n.Get(status)
		if list == nil {
			continue
		}
		for _, t := range list.Items {
			nt := c.normalizeRefs(t)
			targets[status] = append(targets[status], nt)
			all = append(all, statusTarget{status, nt})
		}
	}
	var out []notificationResource
	var policies []*schema.Node
	ok := true
	for index, st := range all {
		kind := targetKind(st.target)
		if kind == "" {
			c.PluginCrash(st.target.Pos, "Cannot destructure property 'type' of 'getStrategy(...)' as it is null.", "notification target",
				"Give the target one of sns, sqs, kinesis, firehose, lambda, stepFunctions.")
			ok = false
			continue
		}
		v := st.target.Get(kind)
		arn := v
		if (kind == "sqs" || kind == "kinesis") && v.Get("arn") != nil {
			arn = v.Get("arn")
		}
		var resource *schema.Node
		switch kind {
		case "sns":
			resource = eventsPolicy("AWS::SNS::TopicPolicy", "Topics", jsvalue.Arr(arn), st.status, "sns", "sns:Publish", arn)
		case "sqs":
			url := queueURL(arn)
			if url == nil {
				c.Diags.Errorf(arn.Pos, "sqs target needs a queue ARN string or Fn::GetAtt",
					"serverless-step-functions derives the queue URL for the queue policy from the ARN, which it can do only for an ARN string or {Fn::GetAtt: [Queue, Arn]}.")
				ok = false
				continue
			}
			resource = eventsPolicy("AWS::SQS::QueuePolicy", "Queues", jsvalue.Arr(url), st.status, "sqs", "sqs:SendMessage", arn)
		case "lambda":
			resource = jsvalue.Obj("Type", "AWS::Lambda::Permission", "Properties", jsvalue.Obj(
				"Action", "lambda:InvokeFunction", "FunctionName", v, "Principal", "events.amazonaws.com"))
		default:
			action := map[string]string{"kinesis": "kinesis:PutRecord", "firehose": "firehose:PutRecord", "stepFunctions": "states:StartExecution"}[kind]
			policies = append(policies, jsvalue.Obj("PolicyName", policyName(st.status, kind, action, arn),
				"PolicyDocument", jsvalue.Obj("Version", "2012-10-17", "Statement", jsvalue.Arr(jsvalue.Obj("Effect", "Allow", "Action", action, "Resource", arn)))))
		}
		if resource != nil {
			id := smID + "ResourcePolicy" + jsvalue.MD5Hex(jsvalue.Stringify(jsvalue.Obj("index", index, "resource", resource), ""))[:5]
			out = append(out, notificationResource{id, resource})
		}
	}
	if !ok {
		return nil, false
	}
	var roleArn *schema.Node
	if len(policies) > 0 {
		props := jsvalue.Obj("AssumeRolePolicyDocument", jsvalue.Obj("Statement", jsvalue.Obj(
			"Effect", "Allow", "Action", "sts:AssumeRole", "Principal", jsvalue.Obj("Service", "events.amazonaws.com"))),
			"Policies", jsvalue.Arr(anySlice(policies)...))
		if p := c.Service.Provider.RolePath; p.Truthy() {
			props.Pairs = append(props.Pairs, schema.Pair{Key: "Path", Value: p})
		}
		out = append(out, notificationResource{roleID, jsvalue.Obj("Type", "AWS::IAM::Role", "Properties", props)})
		roleArn = jsvalue.GetAtt(roleID, "Arn")
	}
	for _, status := range executionStatuses {
		list := targets[status]
		if len(list) == 0 {
			continue
		}
		var cfnTargets []any
		for index, t := range list {
			kind := targetKind(t)
			v := t.Get(kind)
			arn := v
			var extra []any
			switch {
			case kind == "sqs" && v.Get("arn") != nil:
				arn = v.Get("arn")
				extra = []any{"SqsParameters", jsvalue.Obj("MessageGroupId", v.Get("messageGroupId"))}
			case kind == "kinesis" && v.Get("arn") != nil:
				arn = v.Get("arn")
				extra = []any{"KinesisParameters", jsvalue.Obj("PartitionKeyPath", v.Get("partitionKeyPath"))}
			case kind == "stepFunctions":
				extra = []any{"RoleArn", jsvalue.GetAtt(roleID, "Arn")}
			}
			id := fmt.Sprintf("%s-%s-%s", name, status, jsvalue.MD5Hex(jsvalue.Stringify(jsvalue.Obj("target", jsvalue.Obj("Arn", arn), "index", index), ""))[:5])
			kv := append([]any{"Arn", arn, "Id", id}, extra...)
			if p := t.Get("inputPath"); p.Truthy() {
				kv = append(kv, "InputPath", p)
			}
			if tr := t.Get("inputTransformer"); tr.Truthy() {
				kv = append(kv, "InputTransformer", jsvalue.Obj("InputPathsMap", tr.Get("inputPathsMap"), "InputTemplate", tr.Get("inputTemplate")))
			}
			cfnTargets = append(cfnTargets, jsvalue.Obj(kv...))
		}
		rule := jsvalue.Obj("Type", "AWS::Events::Rule", "Properties", jsvalue.Obj(
			"Description", fmt.Sprintf("[%s] status notification for state machine [%s]", status, name),
			"EventPattern", jsvalue.Obj("source", jsvalue.Arr("aws.states"), "detail-type", jsvalue.Arr("Step Functions Execution Status Change"),
				"detail", jsvalue.Obj("status", jsvalue.Arr(status), "stateMachineArn", jsvalue.Arr(jsvalue.Ref(smID)))),
			"Name", fmt.Sprintf("%s-%s-notification", name, status),
			"RoleArn", roleArn,
			"Targets", jsvalue.Arr(cfnTargets...)))
		out = append(out, notificationResource{smID + "Notifications" + strings.Replace(status, "_", "", 1) + "EventRule", rule})
	}
	return out, true
}

func anySlice(nodes []*schema.Node) []any {
	out := make([]any, len(nodes))
	for i, n := range nodes {
		out[i] = n
	}
	return out
}

// policyName is the plugin's generatePolicyName, also used for Sids.
func policyName(status, kind, action string, resource *schema.Node) string {
	return fmt.Sprintf("%s-%s-%s", status, kind, jsvalue.MD5Hex(jsvalue.Stringify(jsvalue.Obj("action", action, "resource", resource), ""))[:5])
}

// queueURL is the queue URL for an SQS ARN: a Fn::Sub for a string, a Ref
// for Fn::GetAtt; nil for anything else.
func queueURL(arn *schema.Node) *schema.Node {
	if arn.Kind == schema.String {
		segs := strings.Split(arn.Value, ":")
		return jsvalue.Obj("Fn::Sub", jsvalue.Arr("https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/${QueueName}",
			jsvalue.Obj("QueueName", segs[len(segs)-1])))
	}
	if ga := arn.Get("Fn::GetAtt"); ga != nil && ga.Kind == schema.List && len(ga.Items) > 0 {
		return jsvalue.Ref(jsvalue.String(ga.Items[0]))
	}
	return nil
}

// mergePolicies merges the topic and queue policies that name the same
// topics or queues into the first one, keeping one statement per Sid.
func mergePolicies(in []notificationResource) []notificationResource {
	var out []notificationResource
	index := map[string]int{}
	groups := map[string]int{}
	for _, r := range in {
		typ := r.body.Get("Type").Value
		listKey := map[string]string{"AWS::SNS::TopicPolicy": "Topics", "AWS::SQS::QueuePolicy": "Queues"}[typ]
		if listKey == "" {
			if i, ok := index[r.id]; ok {
				out[i] = r
			} else {
				index[r.id] = len(out)
				out = append(out, r)
			}
			continue
		}
		props := r.body.Get("Properties")
		key := typ + "\x00" + stableStringify(sortedByStable(props.Get(listKey)))
		stmt := props.Get("PolicyDocument").Get("Statement")
		incoming := []*schema.Node{stmt}
		if stmt.Kind == schema.List {
			incoming = stmt.Items
		}
		if g, ok := groups[key]; ok {
			mergeStatements(out[g].body.Get("Properties").Get("PolicyDocument").Get("Statement"), incoming)
			continue
		}
		merged := r.body.Clone()
		list := jsvalue.Arr()
		mergeStatements(list, incoming)
		merged.Get("Properties").Get("PolicyDocument").Set("Statement", list)
		groups[key] = len(out)
		index[r.id] = len(out)
		out = append(out, notificationResource{r.id, merged})
	}
	return out
}

func mergeStatements(into *schema.Node, incoming []*schema.Node) {
	seen := map[string]bool{}
	for _, s := range into.Items {
		seen[jsvalue.String(s.Get("Sid"))] = true
	}
	for _, s := range incoming {
		sid := jsvalue.String(s.Get("Sid"))
		if !seen[sid] {
			seen[sid] = true
			into.Items = append(into.Items, s)
		}
	}
}

// stableStringify is JSON.stringify with every object's keys sorted.
func stableStringify(n *schema.Node) string { return jsvalue.Stringify(sortKeys(n), "") }

func sortKeys(n *schema.Node) *schema.Node {
	switch n.Kind {
	case schema.Map:
		out := *n
		out.Pairs = append([]schema.Pair(nil), n.Pairs...)
		sort.SliceStable(out.Pairs, func(i, j int) bool { return out.Pairs[i].Key < out.Pairs[j].Key })
		for i := range out.Pairs {
			out.Pairs[i].Value = sortKeys(out.Pairs[i].Value)
		}
		return &out
	case schema.List:
		out := *n
		out.Items = make([]*schema.Node, len(n.Items))
		for i, it := range n.Items {
			out.Items[i] = sortKeys(it)
		}
		return &out
	}
	return n
}

// sortedByStable is _.sortBy([].concat(v), stableStringify).
func sortedByStable(v *schema.Node) *schema.Node {
	items := []*schema.Node{v}
	if v.Kind == schema.List {
		items = append([]*schema.Node(nil), v.Items...)
	}
	sort.SliceStable(items, func(i, j int) bool { return stableStringify(items[i]) < stableStringify(items[j]) })
	return &schema.Node{Kind: schema.List, Items: items}
}

// eventsPolicy is the topic or queue policy that lets EventBridge deliver
// a notification: one statement whose Sid the plugin derives from the
// status, the target kind, the action and the ARN.
func eventsPolicy(typ, listKey string, list *schema.Node, status, kind, action string, arn *schema.Node) *schema.Node {
	return jsvalue.Obj("Type", typ, "Properties", jsvalue.Obj(
		"PolicyDocument", jsvalue.Obj("Version", "2012-10-17", "Statement", jsvalue.Obj(
			"Sid", policyName(status, kind, action, arn),
			"Principal", jsvalue.Obj("Service", "events.amazonaws.com"),
			"Effect", "Allow", "Action", action, "Resource", arn)),
		listKey, list))
}

// emitter is the compilation's context as this concern uses it.
type emitter struct{ *emit.Context }

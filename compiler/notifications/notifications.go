// Package notifications compiles each state machine's notifications block
// into an EventBridge rule per execution status, the targets' permissions
// (topic and queue policies, Lambda permissions, one IAM role per machine)
// and the merged policies of topics and queues several machines share.
// Logical IDs and hashed target IDs are the plugin's.
package notifications

import (
	"fmt"
	"sort"
	"strings"

	"github.com/stepform/stepform/compiler/internal/emit"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
)

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
		n, diags := schema.DecodeNotifications(m, c.Compat())
		c.Diags.Append(diags)
		if n == nil {
			continue
		}
		all = append(all, c.machineNotifications(m, n)...)
	}
	for _, r := range mergePolicies(all) {
		c.MergeResource(r.id, jsvalue.Plain(r.body))
	}
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

// target is a notification target with local function names translated.
type target struct {
	schema.NotificationTarget
	status string
}

func (c *emitter) machineNotifications(m *schema.StateMachine, n *schema.Notifications) []notificationResource {
	smID := m.LogicalID()
	name := m.DisplayName()
	roleID := smID + "NotificationsIamRole"
	var all []target
	for _, sn := range n.Statuses {
		for i := range sn.Targets {
			t := &sn.Targets[i]
			t.Value, t.ARN = c.normalizeRefs(t.Value), c.normalizeRefs(t.ARN)
			all = append(all, target{*t, sn.Status})
		}
	}
	var out []notificationResource
	var policies []*schema.Node
	for index, t := range all {
		arn := t.ARN
		var resource *schema.Node
		switch t.Kind {
		case "sns":
			resource = eventsPolicy("AWS::SNS::TopicPolicy", "Topics", jsvalue.Arr(arn), t.status, "sns", "sns:Publish", arn)
		case "sqs":
			resource = eventsPolicy("AWS::SQS::QueuePolicy", "Queues", jsvalue.Arr(queueURL(arn)), t.status, "sqs", "sqs:SendMessage", arn)
		case "lambda":
			resource = jsvalue.Obj("Type", "AWS::Lambda::Permission", "Properties", jsvalue.Obj(
				"Action", "lambda:InvokeFunction", "FunctionName", t.Value, "Principal", "events.amazonaws.com"))
		default:
			action := map[string]string{"kinesis": "kinesis:PutRecord", "firehose": "firehose:PutRecord", "stepFunctions": "states:StartExecution"}[t.Kind]
			policies = append(policies, jsvalue.Obj("PolicyName", policyName(t.status, t.Kind, action, arn),
				"PolicyDocument", jsvalue.Obj("Version", "2012-10-17", "Statement", jsvalue.Arr(jsvalue.Obj("Effect", "Allow", "Action", action, "Resource", arn)))))
		}
		if resource != nil {
			id := smID + "ResourcePolicy" + jsvalue.MD5Hex(jsvalue.Stringify(jsvalue.Obj("index", index, "resource", resource), ""))[:5]
			out = append(out, notificationResource{id, resource})
		}
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
	for _, sn := range n.Statuses {
		status := sn.Status
		if len(sn.Targets) == 0 {
			continue
		}
		var cfnTargets []any
		for index, t := range sn.Targets {
			var extra []any
			switch {
			case t.Kind == "sqs" && t.Parameters:
				extra = []any{"SqsParameters", jsvalue.Obj("MessageGroupId", t.MessageGroupID)}
			case t.Kind == "kinesis" && t.Parameters:
				extra = []any{"KinesisParameters", jsvalue.Obj("PartitionKeyPath", t.PartitionKeyPath)}
			case t.Kind == "stepFunctions":
				extra = []any{"RoleArn", jsvalue.GetAtt(roleID, "Arn")}
			}
			id := fmt.Sprintf("%s-%s-%s", name, status, jsvalue.MD5Hex(jsvalue.Stringify(jsvalue.Obj("target", jsvalue.Obj("Arn", t.ARN), "index", index), ""))[:5])
			kv := append([]any{"Arn", t.ARN, "Id", id}, extra...)
			if t.InputPath != nil {
				kv = append(kv, "InputPath", t.InputPath)
			}
			if tr := t.InputTransformer; tr != nil {
				kv = append(kv, "InputTransformer", jsvalue.Obj("InputPathsMap", tr.InputPathsMap, "InputTemplate", tr.InputTemplate))
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
	return out
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

package schema

import (
	"strings"

	"github.com/stepform/stepform/schema/diag"
)

// ExecutionStatuses are the statuses notifications take, in the order the
// plugin handles them.
var ExecutionStatuses = []string{"ABORTED", "FAILED", "RUNNING", "SUCCEEDED", "TIMED_OUT"}

// NotificationKinds are the target kinds, in the order the plugin picks
// the first one a target has.
var NotificationKinds = []string{"sns", "sqs", "kinesis", "firehose", "lambda", "stepFunctions"}

// Notifications is a state machine's `notifications` block.
type Notifications struct {
	// Pos is the position of the `notifications` key.
	Pos diag.Pos
	// Statuses are the statuses the block lists, in ExecutionStatuses
	// order (not the file's).
	Statuses []StatusNotifications
}

// StatusNotifications are the targets of one execution status.
type StatusNotifications struct {
	Status  string
	Targets []NotificationTarget
}

// NotificationTarget is one target of a status.
type NotificationTarget struct {
	Pos diag.Pos
	// Kind is the first of NotificationKinds the target has.
	Kind string
	// Value is the kind's value as written: an ARN (string or intrinsic),
	// or the object form of sqs ({arn, messageGroupId}) or kinesis ({arn,
	// partitionKeyPath}). The plugin hashes it into IDs and Sids after
	// translating local function names, so it stays a Node.
	Value *Node
	// ARN is the target's ARN: Value, or the object form's arn.
	ARN *Node
	// MessageGroupID (sqs) and PartitionKeyPath (kinesis) are the object
	// form's parameters; Parameters says the object form is used.
	MessageGroupID, PartitionKeyPath *Node
	Parameters                       bool
	// InputPath and InputTransformer pass through as written; nil when
	// absent or falsy.
	InputPath        *Node
	InputTransformer *InputTransformer
}

// InputTransformer is an inputTransformer setting.
type InputTransformer struct {
	Pos           diag.Pos
	InputPathsMap *Node
	InputTemplate *Node
}

// DecodeInputTransformer decodes an inputTransformer object (its keys as
// written, nil when absent); the events compilers decode their targets'
// with it. It returns nil for nil.
func DecodeInputTransformer(tr *Node) *InputTransformer {
	if tr == nil {
		return nil
	}
	return &InputTransformer{Pos: tr.Pos, InputPathsMap: tr.Get("inputPathsMap"), InputTemplate: tr.Get("inputTemplate")}
}

// TargetRetryPolicy is a state machine schedule's or event rule's
// retryPolicy: its keys as written, nil when absent.
type TargetRetryPolicy struct {
	MaximumEventAgeInSeconds, MaximumRetryAttempts *Node
}

// DecodeTargetRetryPolicy decodes a retryPolicy object.
func DecodeTargetRetryPolicy(rp *Node) TargetRetryPolicy {
	return TargetRetryPolicy{MaximumEventAgeInSeconds: rp.Get("maximumEventAgeInSeconds"), MaximumRetryAttempts: rp.Get("maximumRetryAttempts")}
}

// DecodeNotifications decodes and checks m's notifications block. It
// returns nil when there is none, or when no rule is created: the machine
// is EXPRESS (a warning), the block is malformed (the plugin logs it; an
// error in the default mode), or a target breaks the plugin.
func DecodeNotifications(m *StateMachine, compat Compat) (*Notifications, diag.List) {
	f := &findings{compat: compat}
	n := nonNull(m.Node.Get("notifications"))
	if n == nil || n.Kind != Map {
		return nil, nil // schema.Decode reports a non-object
	}
	if m.Settings.Type == "EXPRESS" {
		f.diags.Warnf(keyPosIn(m.Node, "notifications"), "notifications do not work with EXPRESS machines",
			"Step Functions sends no execution status events for Express workflows, so no rules are created. Remove notifications, or use type: STANDARD.")
		return nil, f.diags
	}
	if !checkNotifications(f, m, n) {
		return nil, f.diags
	}
	out := &Notifications{Pos: keyPosIn(m.Node, "notifications")}
	ok := true
	for _, status := range ExecutionStatuses {
		list := n.Get(status)
		if list == nil {
			continue
		}
		sn := StatusNotifications{Status: status}
		for _, t := range list.Items {
			nt, good := decodeTarget(f, t)
			ok = ok && good
			sn.Targets = append(sn.Targets, nt)
		}
		out.Statuses = append(out.Statuses, sn)
	}
	if !ok {
		return nil, f.diags
	}
	return out, f.diags
}

func decodeTarget(f *findings, t *Node) (NotificationTarget, bool) {
	nt := NotificationTarget{Pos: t.Pos, Kind: notificationKind(t)}
	if nt.Kind == "" {
		// Only plugin mode gets here: the default mode's check rejects it.
		f.pluginCrash(t.Pos, "Cannot destructure property 'type' of 'getStrategy(...)' as it is null.", "notification target",
			"Give the target one of sns, sqs, kinesis, firehose, lambda, stepFunctions.")
		return nt, false
	}
	v := t.Get(nt.Kind)
	nt.Value, nt.ARN = v, v
	switch {
	case nt.Kind == "sqs" && v.Get("arn") != nil:
		nt.Parameters, nt.ARN, nt.MessageGroupID = true, v.Get("arn"), v.Get("messageGroupId")
	case nt.Kind == "kinesis" && v.Get("arn") != nil:
		nt.Parameters, nt.ARN, nt.PartitionKeyPath = true, v.Get("arn"), v.Get("partitionKeyPath")
	}
	if p := t.Get("inputPath"); p.Truthy() {
		nt.InputPath = p
	}
	if tr := t.Get("inputTransformer"); tr.Truthy() {
		nt.InputTransformer = DecodeInputTransformer(tr)
	}
	if nt.Kind == "sqs" && !queueURLDerivable(nt.ARN) {
		f.diags.Errorf(nt.ARN.Pos, "sqs target needs a queue ARN string or Fn::GetAtt",
			"serverless-step-functions derives the queue URL for the queue policy from the ARN, which it can do only for an ARN string or {Fn::GetAtt: [Queue, Arn]}.")
		return nt, false
	}
	return nt, true
}

// queueURLDerivable reports whether the plugin can derive a queue URL
// from an SQS ARN once local function names are translated: an ARN
// string, or a Fn::GetAtt (string or non-empty list) without a Ref.
func queueURLDerivable(arn *Node) bool {
	if arn.Kind == String {
		return true
	}
	ga := arn.Get("Fn::GetAtt")
	return arn.Kind == Map && arn.Get("Ref") == nil && ga != nil &&
		(ga.Kind == String && ga.Value != "" || ga.Kind == List && len(ga.Items) > 0)
}

// notificationKind is the first target kind the target has, or "".
func notificationKind(t *Node) string {
	for _, kind := range NotificationKinds {
		if t.Pair(kind) != nil {
			return kind
		}
	}
	return ""
}

func checkNotifications(f *findings, m *StateMachine, n *Node) bool {
	k := &blockCheck{what: "notifications"}
	k.keys(n, "notifications", ExecutionStatuses)
	for _, p := range n.Pairs {
		if !contains(ExecutionStatuses, p.Key) {
			continue
		}
		if p.Value.Kind != List {
			k.add(p.Value.Pos, "notifications."+p.Key+" must be a list of targets", "Write %s: [{sns: <topic ARN>}, ...]; got %s.", p.Key, describeBrief(p.Value))
			continue
		}
		for _, t := range p.Value.Items {
			checkTarget(f, k, t)
		}
	}
	return k.report(f, m.Key)
}

func checkTarget(f *findings, k *blockCheck, t *Node) {
	if t.Kind != Map {
		k.add(t.Pos, "notification target must be an object", "Write {sns: <topic ARN>} (or sqs, kinesis, firehose, lambda, stepFunctions); got %s.", describeBrief(t))
		return
	}
	k.keys(t, "a notification target", NotificationTargetSpec().KeyNames())
	for _, kind := range NotificationKinds {
		v := t.Get(kind)
		if v == nil {
			continue
		}
		switch {
		case kind == "sqs" && v.Kind == Map && (v.Get("arn") != nil || v.Get("messageGroupId") != nil):
			k.keys(v, "sqs", SQSTargetSpec().KeyNames())
			if a := v.Get("arn"); a == nil {
				k.add(v.Pos, "sqs target has no arn", "Write sqs: {arn: <queue ARN>, messageGroupId: <id>}.")
			} else {
				k.arn(a, "sqs.arn", false)
			}
			if g := v.Get("messageGroupId"); g == nil {
				k.add(v.Pos, "sqs target has no messageGroupId", "A FIFO queue target needs messageGroupId; for a standard queue write sqs: <queue ARN>.")
			} else {
				k.str(g, "sqs.messageGroupId")
			}
		case kind == "kinesis" && v.Kind == Map && (v.Get("arn") != nil || v.Get("partitionKeyPath") != nil):
			k.keys(v, "kinesis", KinesisTargetSpec().KeyNames())
			if a := v.Get("arn"); a == nil {
				k.add(v.Pos, "kinesis target has no arn", "Write kinesis: {arn: <stream ARN>, partitionKeyPath: $.id}.")
			} else {
				k.arn(a, "kinesis.arn", false)
			}
			if p := v.Get("partitionKeyPath"); p != nil {
				k.str(p, "kinesis.partitionKeyPath")
			} else if v.Get("arn") != nil {
				// The plugin's schema lets it through and writes an empty
				// KinesisParameters, whose PartitionKeyPath CloudFormation
				// requires.
				f.strictf(keyPosIn(t, "kinesis"), "kinesis target has no partitionKeyPath",
					"With kinesis: {arn: ...} the rule gets KinesisParameters, whose PartitionKeyPath CloudFormation requires. Add partitionKeyPath: $.detail.executionArn, or write kinesis: <stream ARN> to partition by event ID.")
			}
		default:
			k.arn(v, kind, false)
		}
	}
	if v := t.Get("inputPath"); v != nil {
		k.str(v, "inputPath")
	}
	if tr := t.Get("inputTransformer"); tr != nil {
		if tr.Kind != Map {
			k.add(tr.Pos, "inputTransformer must be an object", "Write inputTransformer: {inputPathsMap: {...}, inputTemplate: ...}; got %s.", describeBrief(tr))
		} else {
			k.keys(tr, "inputTransformer", TargetInputTransformerSpec().KeyNames())
			if pm := tr.Get("inputPathsMap"); pm != nil {
				if pm.Kind != Map {
					k.add(pm.Pos, "inputPathsMap must be an object", "Map names to JSON paths: {name: $.detail.name}; got %s.", describeBrief(pm))
				} else {
					for _, p := range pm.Pairs {
						k.str(p.Value, "inputPathsMap."+p.Key)
					}
				}
			}
			if it := tr.Get("inputTemplate"); it == nil {
				k.add(keyPosIn(t, "inputTransformer"), "inputTransformer has no inputTemplate", "Add inputTemplate: '{\"status\": <status>}'.")
			} else {
				k.str(it, "inputTemplate")
			}
		}
	}
	if !f.plugin() && notificationKind(t) == "" {
		k.add(t.Pos, "notification target has no destination", "Give the target one of %s.", strings.Join(NotificationKinds, ", "))
	}
}

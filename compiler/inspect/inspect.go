// Package inspect describes, for a person or a script, what a compiled
// service will deploy: its state machines (with the permissions their
// roles grant), endpoints, schedules and rules, alarms, notifications,
// and every resource with where it comes from.
//
// A Report is read from the typed service and the compiled template
// together: the service says what each entry was meant to be (the
// machine an endpoint starts, the states of a definition), the template
// what stepform made of it (the role's statements, the method responses,
// the log group). The JSON form (Report's fields and their json names)
// is a stable interface for scripts; fields are added, never renamed.
package inspect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/schema"
)

// Version is the version of the JSON shape, raised when a field changes
// meaning or goes away.
const Version = 1

// Report is what a service deploys.
type Report struct {
	Version       int            `json:"version"`
	Service       string         `json:"service"`
	Stage         string         `json:"stage"`
	Region        string         `json:"region"`
	Mode          string         `json:"mode"` // "default" or "plugin"
	StateMachines []StateMachine `json:"stateMachines"`
	Endpoints     []Endpoint     `json:"endpoints"`
	Rules         []Rule         `json:"rules"`
	Alarms        []Alarm        `json:"alarms"`
	Notifications []Notification `json:"notifications"`
	Resources     []Resource     `json:"resources"`
}

// StateMachine is one AWS::StepFunctions::StateMachine.
type StateMachine struct {
	Key       string `json:"key"`
	LogicalID string `json:"logicalId"`
	// Name is the deployed name, or "" when CloudFormation generates it.
	Name string `json:"name"`
	Type string `json:"type"` // STANDARD or EXPRESS
	// StartAt and States are the definition's top-level states in order;
	// StateCount counts nested ones (Parallel branches, Map processors) too.
	StartAt    string   `json:"startAt"`
	States     []string `json:"states"`
	StateCount int      `json:"stateCount"`
	// TimeoutSeconds is the definition's TimeoutSeconds, or null.
	TimeoutSeconds *int `json:"timeoutSeconds"`
	// TaskTimeouts is configureTaskTimeouts: Lambda tasks get their
	// function's timeout.
	TaskTimeouts bool     `json:"taskTimeouts"`
	Role         Role     `json:"role"`
	Logging      *Logging `json:"logging"` // null: no loggingConfig
	Tracing      bool     `json:"tracing"`
	Encryption   string   `json:"encryption"` // "" when not configured, else the key type
}

// Role is the machine's execution role.
type Role struct {
	// LogicalID is the role resource in the template, or "" for a role
	// given by ARN.
	LogicalID string `json:"logicalId"`
	// Arn is the role as the template gives it (intrinsics shown as text).
	Arn string `json:"arn"`
	// Origin is where the role resource comes from (see Resource.Origin),
	// or "external".
	Origin string `json:"origin"`
	// Permissions are the role's statements, grouped by resource; empty
	// for an external role.
	Permissions      []Permission `json:"permissions"`
	ManagedPolicies  []string     `json:"managedPolicies"`
	PermissionBounds string       `json:"permissionsBoundary"`
}

// Permission is the actions a role allows (or denies) on one resource.
type Permission struct {
	Effect   string   `json:"effect"`
	Resource string   `json:"resource"`
	Actions  []string `json:"actions"`
}

// Logging is a machine's logging configuration.
type Logging struct {
	Level                string   `json:"level"`
	IncludeExecutionData bool     `json:"includeExecutionData"`
	Destinations         []string `json:"destinations"`
	// LogGroup describes the destination when the template defines it.
	LogGroup *LogGroup `json:"logGroup"`
}

// LogGroup is an AWS::Logs::LogGroup of the template.
type LogGroup struct {
	LogicalID       string `json:"logicalId"`
	Name            string `json:"name"`
	RetentionInDays *int   `json:"retentionInDays"` // null: kept forever
	Origin          string `json:"origin"`
}

// Endpoint is one API Gateway method.
type Endpoint struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	// Target is what the method calls: a state machine key, a function, or
	// the integration's URI.
	Target string `json:"target"`
	// Kind is "sync" (StartSyncExecution), "async" (StartExecution),
	// "action" (another Step Functions action), "lambda", "mock" or the
	// integration type.
	Kind   string `json:"kind"`
	Action string `json:"action"`
	// Auth is NONE, AWS_IAM, CUSTOM or COGNITO_USER_POOLS, with the
	// authorizer; APIKey tells whether an API key is required.
	Auth      string `json:"auth"`
	APIKey    bool   `json:"apiKey"`
	CORS      bool   `json:"cors"`
	TimeoutMs int    `json:"timeoutMillis"`
	// Statuses are the HTTP statuses the integration answers (the method
	// responses); GatewayStatuses those API Gateway itself answers around
	// it (authorisation, unsupported media type, throttling, timeout).
	Statuses        []int  `json:"statuses"`
	GatewayStatuses []int  `json:"gatewayStatuses"`
	LogicalID       string `json:"logicalId"`
	Origin          string `json:"origin"`
}

// Rule is a schedule or an event rule that starts a state machine.
type Rule struct {
	Kind string `json:"kind"` // "schedule" (EventBridge rule), "scheduler" (EventBridge Scheduler) or "event"
	// Machine is the key of the state machine it starts ("" when unknown).
	Machine string `json:"machine"`
	// Schedule is the expression (with its time zone); Pattern the event
	// pattern as compact JSON.
	Schedule  string `json:"schedule"`
	Pattern   string `json:"pattern"`
	EventBus  string `json:"eventBus"`
	Enabled   bool   `json:"enabled"`
	LogicalID string `json:"logicalId"`
}

// Alarm is a CloudWatch alarm on a machine's metric.
type Alarm struct {
	Machine   string   `json:"machine"`
	Metric    string   `json:"metric"`
	Name      string   `json:"name"`
	Threshold string   `json:"threshold"`
	Actions   []string `json:"actions"`
	LogicalID string   `json:"logicalId"`
}

// Notification is the rule that sends a machine's executions of one
// status to targets.
type Notification struct {
	Machine   string   `json:"machine"`
	Status    string   `json:"status"`
	Targets   []string `json:"targets"`
	LogicalID string   `json:"logicalId"`
}

// Resource is one resource of the template and where it comes from:
// "stepform" (generated from stepFunctions), "resources" (the service's
// resources: block), "base" (the --base template) or "framework" (what the
// framework generates for functions).
type Resource struct {
	LogicalID string `json:"logicalId"`
	Type      string `json:"type"`
	Origin    string `json:"origin"`
}

// originRank orders resources by where they come from.
var originRank = map[string]int{"stepform": 0, "resources": 1, "base": 2, "framework": 3}

// New builds the report of svc, compiled into doc with opts.
func New(svc *schema.Service, doc map[string]any, opts compiler.Options) *Report {
	in := &inspector{svc: svc, doc: doc, opts: opts, resources: mapOf(doc["Resources"]), machineByID: map[string]string{}}
	if half := compiler.FrameworkHalf(svc, opts); half != nil {
		in.framework = mapOf(half["Resources"])
	}
	r := &Report{
		Version: Version, Service: svc.Name, Stage: svc.Stage, Region: svc.Region, Mode: "default",
		StateMachines: []StateMachine{}, Endpoints: []Endpoint{}, Rules: []Rule{}, Alarms: []Alarm{},
		Notifications: []Notification{}, Resources: []Resource{},
	}
	if opts.Mode == compiler.Plugin {
		r.Mode = "plugin"
	}
	if sf := svc.StepFunctions; sf != nil {
		for _, m := range sf.StateMachines {
			in.machineByID[m.LogicalID()] = m.Key
		}
		for _, m := range sf.StateMachines {
			if _, ok := in.resources[m.LogicalID()]; ok {
				r.StateMachines = append(r.StateMachines, in.machine(m))
			}
		}
	}
	for _, id := range sortedKeys(in.resources) {
		res := mapOf(in.resources[id])
		typ, _ := res["Type"].(string)
		r.Resources = append(r.Resources, Resource{LogicalID: id, Type: typ, Origin: in.origin(id)})
		props := mapOf(res["Properties"])
		switch typ {
		case "AWS::ApiGateway::Method":
			r.Endpoints = append(r.Endpoints, in.endpoint(id, props))
		case "AWS::Events::Rule":
			if n, ok := in.notification(id, props); ok {
				r.Notifications = append(r.Notifications, n)
			} else if rule, ok := in.rule(id, props); ok {
				r.Rules = append(r.Rules, rule)
			}
		case "AWS::Scheduler::Schedule":
			if rule, ok := in.schedule(id, props); ok {
				r.Rules = append(r.Rules, rule)
			}
		case "AWS::CloudWatch::Alarm":
			if a, ok := in.alarm(id, props); ok {
				r.Alarms = append(r.Alarms, a)
			}
		}
	}
	sort.SliceStable(r.Resources, func(i, j int) bool {
		return originRank[r.Resources[i].Origin] < originRank[r.Resources[j].Origin]
	})
	sort.SliceStable(r.Endpoints, func(i, j int) bool {
		a, b := r.Endpoints[i], r.Endpoints[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Method < b.Method
	})
	return r
}

// JSON is the report as indented JSON with a final newline.
func (r *Report) JSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

type inspector struct {
	svc         *schema.Service
	doc         map[string]any
	opts        compiler.Options
	resources   map[string]any
	machineByID map[string]string // logical ID → machine key
	// framework is the framework's half of the template when stepform
	// compiled it (no --base): its resources are exactly the framework's.
	framework map[string]any
}

// origin tells where a resource of the template comes from.
func (in *inspector) origin(id string) string {
	if r := in.svc.Resources.Get("Resources"); r != nil && r.Get(id) != nil {
		return "resources"
	}
	if in.framework != nil {
		if in.framework[id] != nil {
			return "framework"
		}
	} else if in.isFrameworkID(id) {
		return "framework"
	}
	if base := mapOf(in.opts.Base["Resources"]); base[id] != nil {
		return "base"
	}
	return "stepform"
}

// isFrameworkID reports the logical IDs the framework gives a service's
// functions and deployment, for a --base template (whose framework
// resources stepform did not compile).
func (in *inspector) isFrameworkID(id string) bool {
	switch id {
	case "ServerlessDeploymentBucket", "ServerlessDeploymentBucketPolicy", "IamRoleLambdaExecution":
		return true
	}
	for _, f := range in.svc.Functions {
		n := schema.NormalizeName(f.Key)
		if id == n+"LambdaFunction" || id == n+"LogGroup" || strings.HasPrefix(id, n+"LambdaVersion") {
			return true
		}
	}
	return false
}

func (in *inspector) machine(m *schema.StateMachine) StateMachine {
	res := mapOf(in.resources[m.LogicalID()])
	props := mapOf(res["Properties"])
	out := StateMachine{
		Key: m.Key, LogicalID: m.LogicalID(), Type: "STANDARD", States: []string{},
		TaskTimeouts: m.Settings.ConfigureTaskTimeouts,
	}
	if s, ok := props["StateMachineName"].(string); ok {
		out.Name = s
	}
	if s, ok := props["StateMachineType"].(string); ok {
		out.Type = s
	}
	def := m.Definition
	if def != nil && def.Kind == schema.String {
		if parsed, diags := schema.ParseJSON(def.Pos.File, []byte(def.Value)); !diags.HasErrors() {
			def = parsed
		}
	}
	if def != nil && def.Kind == schema.Map {
		if s := def.Get("StartAt"); s != nil && s.Kind == schema.String {
			out.StartAt = s.Value
		}
		if states := def.Get("States"); states != nil && states.Kind == schema.Map {
			for _, p := range states.Pairs {
				out.States = append(out.States, p.Key)
			}
		}
		out.StateCount = countStates(def.Get("States"))
		if t := def.Get("TimeoutSeconds"); t != nil && t.Kind == schema.Number {
			if n, err := strconv.Atoi(t.Value); err == nil {
				out.TimeoutSeconds = &n
			}
		}
	}
	out.Role = in.role(props["RoleArn"])
	if lc := mapOf(props["LoggingConfiguration"]); lc != nil {
		l := &Logging{Destinations: []string{}}
		l.Level, _ = lc["Level"].(string)
		l.IncludeExecutionData, _ = lc["IncludeExecutionData"].(bool)
		for _, d := range listOf(lc["Destinations"]) {
			arn := mapOf(mapOf(d)["CloudWatchLogsLogGroup"])["LogGroupArn"]
			l.Destinations = append(l.Destinations, Show(arn))
			if id := getAttTarget(arn); id != "" && l.LogGroup == nil {
				l.LogGroup = in.logGroup(id)
			}
		}
		out.Logging = l
	}
	if tc := mapOf(props["TracingConfiguration"]); tc != nil {
		out.Tracing, _ = tc["Enabled"].(bool)
	}
	if ec := mapOf(props["EncryptionConfiguration"]); ec != nil {
		out.Encryption = Show(ec["Type"])
	}
	return out
}

// countStates counts the states of a States map, nested ones included.
func countStates(states *schema.Node) int {
	if states == nil || states.Kind != schema.Map {
		return 0
	}
	n := 0
	for _, p := range states.Pairs {
		n++
		s := p.Value
		if branches := s.Get("Branches"); branches != nil {
			for _, b := range branches.Items {
				n += countStates(b.Get("States"))
			}
		}
		for _, key := range []string{"ItemProcessor", "Iterator"} {
			if proc := s.Get(key); proc != nil {
				n += countStates(proc.Get("States"))
			}
		}
	}
	return n
}

func (in *inspector) logGroup(id string) *LogGroup {
	res := mapOf(in.resources[id])
	if res["Type"] != "AWS::Logs::LogGroup" {
		return nil
	}
	props := mapOf(res["Properties"])
	g := &LogGroup{LogicalID: id, Origin: in.origin(id)}
	if props["LogGroupName"] != nil {
		g.Name = Show(props["LogGroupName"])
	}
	if days, err := strconv.Atoi(fmt.Sprint(props["RetentionInDays"])); err == nil {
		g.RetentionInDays = &days
	}
	return g
}

// role reads the machine's role: the template's IAM role when RoleArn
// points at one, with its statements grouped by resource.
func (in *inspector) role(arn any) Role {
	r := Role{Arn: Show(arn), Origin: "external", Permissions: []Permission{}, ManagedPolicies: []string{}}
	id := getAttTarget(arn)
	res := mapOf(in.resources[id])
	if id == "" || res["Type"] != "AWS::IAM::Role" {
		return r
	}
	r.LogicalID, r.Origin = id, in.origin(id)
	props := mapOf(res["Properties"])
	index := map[string]int{}
	for _, pol := range listOf(props["Policies"]) {
		for _, st := range statements(mapOf(pol)["PolicyDocument"]) {
			effect := Show(st["Effect"])
			actions := stringsOf(st["Action"])
			resources := listOf(st["Resource"])
			if _, isList := st["Resource"].([]any); !isList {
				resources = []any{st["Resource"]}
			}
			for _, res := range resources {
				key := effect + "\x00" + Show(res)
				i, seen := index[key]
				if !seen {
					i = len(r.Permissions)
					index[key] = i
					r.Permissions = append(r.Permissions, Permission{Effect: effect, Resource: Show(res), Actions: []string{}})
				}
				for _, a := range actions {
					if !contains(r.Permissions[i].Actions, a) {
						r.Permissions[i].Actions = append(r.Permissions[i].Actions, a)
					}
				}
			}
		}
	}
	for _, p := range listOf(props["ManagedPolicyArns"]) {
		r.ManagedPolicies = append(r.ManagedPolicies, Show(p))
	}
	if b := props["PermissionsBoundary"]; b != nil {
		r.PermissionBounds = Show(b)
	}
	return r
}

func statements(doc any) []map[string]any {
	var out []map[string]any
	st := mapOf(doc)["Statement"]
	if m := mapOf(st); m != nil {
		return []map[string]any{m}
	}
	for _, s := range listOf(st) {
		if m := mapOf(s); m != nil {
			out = append(out, m)
		}
	}
	return out
}

// machineOf is the key of the machine a value (Ref or Fn::GetAtt) names.
func (in *inspector) machineOf(v any) string {
	if id := refTarget(v); id != "" {
		return in.machineByID[id]
	}
	return in.machineByID[getAttTarget(v)]
}

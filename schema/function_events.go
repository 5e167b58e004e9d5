package schema

import "github.com/stepform/stepform/schema/diag"

// FunctionEvent is one entry of a function's `events:` list: a map with a
// single key naming its kind. Exactly one of the typed fields is set for
// the kinds stepform compiles; the others keep only Kind and Value.
// Decoding reports nothing: with --base the framework's template holds
// the events, and without it the events compiler checks them.
type FunctionEvent struct {
	// Kind is the event's key (sqs, stream, http, ...), "" when the entry
	// is not a one-key map.
	Kind string
	// Index is the entry's position in the list, from 0.
	Index int
	// Pos is the entry's position; KeyPos its key's.
	Pos, KeyPos diag.Pos
	// Value is the entry's value (a string or an object).
	Value *Node

	SQS             *SQSEvent
	Stream          *StreamEvent
	SNS             *SNSEvent
	Schedule        *ScheduleEvent
	S3              *S3Event
	EventBridge     *EventBridgeEvent
	CloudWatchEvent *CloudWatchEventEvent
	CloudWatchLog   *CloudWatchLogEvent
	HTTPAPI         *HTTPAPIEvent
	HTTP            *FunctionHTTPEvent
	Websocket       *WebsocketEvent
	CognitoUserPool *CognitoUserPoolEvent
	ALB             *ALBEvent
}

// ALBEvent is an `alb` event: a listener rule forwarding to the
// function's target group.
type ALBEvent struct {
	// Object says the event was given as an object (the framework
	// ignores other forms).
	Object            bool
	ListenerArn       *Node
	Priority          *Node
	MultiValueHeaders *Node
	TargetGroupName   *Node
	// Authorizer is a name of provider.alb.authorizers, or a list of them.
	Authorizer *Node
	// HealthCheck is true or an object (HealthCheckSettings).
	HealthCheck         *Node
	HealthCheckSettings ALBHealthCheck
	// Conditions is the conditions object, Path to IP its keys.
	Conditions                            *Node
	Path, Host, Method, Header, Query, IP *Node
}

// ALBHealthCheck are the keys of an alb event's healthCheck object.
type ALBHealthCheck struct {
	Path, IntervalSeconds, TimeoutSeconds          *Node
	HealthyThresholdCount, UnhealthyThresholdCount *Node
	// MatcherHTTPCode is matcher.httpCode.
	MatcherHTTPCode *Node
}

// CognitoUserPoolEvent is a `cognitoUserPool` event: a trigger of a user
// pool the service creates, or of an existing one (existing: true).
type CognitoUserPoolEvent struct {
	// Object says the event was given as an object.
	Object                  bool
	Pool, Trigger           *Node
	Existing, ForceDeploy   *Node
	KMSKeyID, LambdaVersion *Node
}

// WebsocketEvent is a `websocket` event: a route key, or an object.
type WebsocketEvent struct {
	Route                            *Node
	RouteResponseSelectionExpression *Node
	// Authorizer is a function's name or an ARN, or an object with name,
	// arn and identitySource (AuthorizerName, AuthorizerARN and
	// IdentitySource).
	Authorizer                                    *Node
	AuthorizerName, AuthorizerARN, IdentitySource *Node
}

// SQSEvent is an `sqs` event: a queue ARN, or an object.
type SQSEvent struct {
	ARN *Node
	// ARNArgs are ARN's intrinsic function arguments.
	ARNArgs               IntrinsicArgs
	BatchSize             *Node
	MaximumBatchingWindow *Node
	Enabled               *Node
	FunctionResponseType  *Node
	FilterPatterns        *Node
	MaximumConcurrency    *Node
}

// StreamEvent is a `stream` event (DynamoDB or Kinesis).
type StreamEvent struct {
	// Object says the event was given as an object (not an ARN string).
	Object bool
	ARN    *Node
	// ARNArgs are ARN's intrinsic function arguments.
	ARNArgs                    IntrinsicArgs
	Type                       *Node
	BatchSize                  *Node
	BatchWindow                *Node
	StartingPosition           *Node
	StartingPositionTimestamp  *Node
	Enabled                    *Node
	MaximumRetryAttempts       *Node
	MaximumRecordAgeInSeconds  *Node
	BisectBatchOnFunctionError *Node
	ParallelizationFactor      *Node
	TumblingWindowInSeconds    *Node
	FunctionResponseType       *Node
	FilterPatterns             *Node
	// OnFailure is destinations.onFailure (an ARN or {arn, type}).
	Destinations *Node
	OnFailure    Destination
	Consumer     *Node
}

// SNSEvent is an `sns` event: a topic name or ARN, or an object.
type SNSEvent struct {
	Object            bool
	ARN               *Node
	TopicName         *Node
	DisplayName       *Node
	FilterPolicy      *Node
	FilterPolicyScope *Node
	RedrivePolicy     *Node
	// Redrive are RedrivePolicy's keys.
	Redrive SNSRedrivePolicy
}

// SNSRedrivePolicy is an sns event's redrivePolicy: its dead-letter queue
// by ARN, by logical ID (TargetRef) or by export ({arn, url} imports).
type SNSRedrivePolicy struct {
	TargetARN, TargetRef, TargetImport *Node
	ImportARN, ImportURL               *Node
}

// ScheduleEvent is a `schedule` event: an expression, or an object.
type ScheduleEvent struct {
	Object bool
	// Rates are the expressions (a string rate is one).
	Rates            []*Node
	Rate             *Node
	Enabled          *Node
	Name             *Node
	Description      *Node
	Input            *Node
	InputPath        *Node
	InputTransformer *Node
	Method           *Node
	Timezone         *Node
}

// S3Event is an `s3` event: a bucket name, or an object.
type S3Event struct {
	Bucket      *Node
	Event       *Node
	Rules       *Node
	Existing    *Node
	ForceDeploy *Node
}

// EventBridgeEvent is an `eventBridge` event.
type EventBridgeEvent struct {
	EventBus           *Node
	Schedule           *Node
	Pattern            *Node
	Name               *Node
	Description        *Node
	Enabled            *Node
	Input              *Node
	InputPath          *Node
	InputTransformer   *Node
	RetryPolicy        *Node
	DeadLetterQueueArn *Node
	// Retry are RetryPolicy's keys.
	Retry RetryPolicySettings
}

// RetryPolicySettings are the keys of an EventBridge target's retryPolicy.
type RetryPolicySettings struct {
	MaximumEventAge, MaximumRetryAttempts *Node
}

// CloudWatchEventEvent is a `cloudwatchEvent` event.
type CloudWatchEventEvent struct {
	Event            *Node
	Input            *Node
	InputPath        *Node
	InputTransformer *Node
	Name             *Node
	Description      *Node
	Enabled          *Node
}

// CloudWatchLogEvent is a `cloudwatchLog` event: a log group name, or an
// object.
type CloudWatchLogEvent struct {
	LogGroup *Node
	Filter   *Node
}

// DecodeFunctionEvents decodes a function's `events:` list.
func DecodeFunctionEvents(events *Node) []*FunctionEvent {
	if events == nil || events.Kind != List {
		return nil
	}
	var out []*FunctionEvent
	for i, it := range events.Items {
		ev := &FunctionEvent{Index: i, Pos: it.Pos, KeyPos: it.Pos}
		out = append(out, ev)
		if it.Kind != Map || len(it.Pairs) != 1 {
			continue
		}
		p := it.Pairs[0]
		ev.Kind, ev.KeyPos, ev.Value = p.Key, p.KeyPos, p.Value
		v := p.Value
		if v == nil || v.Kind == Null {
			continue // the framework skips an event whose value is null
		}
		obj := v != nil && v.Kind == Map
		get := func(k string) *Node {
			if !obj {
				return nil
			}
			return present(v.Get(k))
		}
		scalar := v
		if obj {
			scalar = nil
		}
		switch p.Key {
		case "sqs":
			e := &SQSEvent{ARN: scalar}
			if obj {
				e.ARN = get("arn")
			}
			e.ARNArgs = decodeIntrinsicArgs(e.ARN)
			e.BatchSize, e.MaximumBatchingWindow = coerceNumber(get("batchSize")), coerceNumber(get("maximumBatchingWindow"))
			e.Enabled, e.FunctionResponseType = get("enabled"), get("functionResponseType")
			e.FilterPatterns, e.MaximumConcurrency = get("filterPatterns"), coerceNumber(get("maximumConcurrency"))
			ev.SQS = e
		case "stream":
			e := &StreamEvent{Object: obj, ARN: scalar}
			if obj {
				e.ARN = get("arn")
			}
			e.ARNArgs = decodeIntrinsicArgs(e.ARN)
			e.Type, e.BatchSize, e.BatchWindow = get("type"), coerceNumber(get("batchSize")), coerceNumber(get("batchWindow"))
			e.StartingPosition, e.StartingPositionTimestamp = get("startingPosition"), coerceNumber(get("startingPositionTimestamp"))
			e.Enabled, e.MaximumRetryAttempts = get("enabled"), coerceNumber(get("maximumRetryAttempts"))
			e.MaximumRecordAgeInSeconds = coerceNumber(get("maximumRecordAgeInSeconds"))
			e.BisectBatchOnFunctionError = get("bisectBatchOnFunctionError")
			e.ParallelizationFactor = coerceNumber(get("parallelizationFactor"))
			e.TumblingWindowInSeconds = coerceNumber(get("tumblingWindowInSeconds"))
			e.FunctionResponseType, e.FilterPatterns = get("functionResponseType"), get("filterPatterns")
			e.Destinations, e.Consumer = get("destinations"), get("consumer")
			if d := e.Destinations; d != nil && d.Kind == Map {
				of := present(d.Get("onFailure"))
				e.OnFailure = Destination{Node: of, ARN: of.Get("arn"), Type: of.Get("type")}
			}
			ev.Stream = e
		case "sns":
			e := &SNSEvent{Object: obj, ARN: scalar}
			if obj {
				e.ARN = get("arn")
			}
			e.TopicName, e.DisplayName = get("topicName"), get("displayName")
			e.FilterPolicy, e.FilterPolicyScope, e.RedrivePolicy = get("filterPolicy"), get("filterPolicyScope"), get("redrivePolicy")
			rp := e.RedrivePolicy
			imp := rp.Get("deadLetterTargetImport")
			e.Redrive = SNSRedrivePolicy{TargetARN: rp.Get("deadLetterTargetArn"), TargetRef: rp.Get("deadLetterTargetRef"),
				TargetImport: imp, ImportARN: imp.Get("arn"), ImportURL: imp.Get("url")}
			ev.SNS = e
		case "schedule":
			e := &ScheduleEvent{Object: obj}
			if obj {
				e.Rate = get("rate")
				switch {
				case e.Rate == nil:
				case e.Rate.Kind == List:
					e.Rates = e.Rate.Items
				default: // the schema coerces one expression into a list
					e.Rates = []*Node{e.Rate}
				}
			} else if v != nil {
				e.Rate, e.Rates = v, []*Node{v}
			}
			e.Enabled, e.Name, e.Description = get("enabled"), get("name"), get("description")
			e.Input, e.InputPath, e.InputTransformer = get("input"), get("inputPath"), get("inputTransformer")
			e.Method, e.Timezone = get("method"), get("timezone")
			ev.Schedule = e
		case "s3":
			e := &S3Event{Bucket: scalar}
			if obj {
				e.Bucket = get("bucket")
			}
			e.Event, e.Rules, e.Existing, e.ForceDeploy = get("event"), get("rules"), get("existing"), get("forceDeploy")
			ev.S3 = e
		case "eventBridge":
			ev.EventBridge = &EventBridgeEvent{EventBus: get("eventBus"), Schedule: get("schedule"), Pattern: get("pattern"),
				Name: get("name"), Description: get("description"), Enabled: get("enabled"), Input: get("input"),
				InputPath: get("inputPath"), InputTransformer: get("inputTransformer"), RetryPolicy: get("retryPolicy"),
				DeadLetterQueueArn: get("deadLetterQueueArn")}
			rp := ev.EventBridge.RetryPolicy
			ev.EventBridge.Retry = RetryPolicySettings{MaximumEventAge: rp.Get("maximumEventAge"), MaximumRetryAttempts: rp.Get("maximumRetryAttempts")}
		case "cloudwatchEvent":
			ev.CloudWatchEvent = &CloudWatchEventEvent{Event: get("event"), Input: get("input"), InputPath: get("inputPath"),
				InputTransformer: get("inputTransformer"), Name: get("name"), Description: get("description"), Enabled: get("enabled")}
		case "cloudwatchLog":
			e := &CloudWatchLogEvent{LogGroup: scalar}
			if obj {
				e.LogGroup, e.Filter = get("logGroup"), get("filter")
			}
			ev.CloudWatchLog = e
		case "httpApi":
			ev.HTTPAPI = decodeHTTPAPIEvent(v, httpAPIEventKeys)
		case "http":
			ev.HTTP = decodeFunctionHTTPEvent(v)
		case "websocket":
			e := &WebsocketEvent{Route: scalar}
			if obj {
				e.Route, e.RouteResponseSelectionExpression = get("route"), get("routeResponseSelectionExpression")
				e.Authorizer = get("authorizer")
				if a := e.Authorizer; a != nil && a.Kind == Map {
					e.AuthorizerName, e.AuthorizerARN, e.IdentitySource = present(a.Get("name")), present(a.Get("arn")), present(a.Get("identitySource"))
				}
			}
			ev.Websocket = e
		case "cognitoUserPool":
			ev.CognitoUserPool = &CognitoUserPoolEvent{Object: obj, Pool: get("pool"), Trigger: get("trigger"),
				Existing: coerceBool(get("existing")), ForceDeploy: coerceBool(get("forceDeploy")), KMSKeyID: get("kmsKeyId"), LambdaVersion: get("lambdaVersion")}
		case "alb":
			ev.ALB = decodeALBEvent(v, obj)
		}
	}
	return out
}

// CheckFunctionSchedules checks the expressions of the service's function
// schedule events, and the time zones of those with method: scheduler,
// as the state machines' schedules are checked: what EventBridge would
// reject is an error, a warning in plugin mode (the framework packages it).
func CheckFunctionSchedules(svc *Service, compat Compat) diag.List {
	f := &findings{compat: compat}
	for _, fn := range svc.Functions {
		for _, ev := range fn.EventList {
			s := ev.Schedule
			if s == nil {
				continue
			}
			scheduler := s.Method != nil && s.Method.Kind == String && s.Method.Value == methodScheduler
			for _, r := range s.Rates {
				f.checkScheduleExpression(r, scheduler)
			}
			if scheduler && s.Timezone != nil {
				f.checkTimezone(s.Timezone)
			}
		}
	}
	return f.diags
}

func decodeALBEvent(v *Node, obj bool) *ALBEvent {
	e := &ALBEvent{Object: obj}
	if !obj {
		return e
	}
	get := func(n *Node, k string) *Node { return present(n.Get(k)) }
	e.ListenerArn, e.Priority = get(v, "listenerArn"), coerceNumber(get(v, "priority"))
	e.MultiValueHeaders, e.TargetGroupName = coerceBool(get(v, "multiValueHeaders")), get(v, "targetGroupName")
	e.Authorizer, e.HealthCheck, e.Conditions = get(v, "authorizer"), get(v, "healthCheck"), get(v, "conditions")
	if c := e.Conditions; c != nil && c.Kind == Map {
		e.Path, e.Host, e.Method = get(c, "path"), get(c, "host"), get(c, "method")
		e.Header, e.Query, e.IP = get(c, "header"), get(c, "query"), get(c, "ip")
	}
	if h := e.HealthCheck; h != nil && h.Kind == Map {
		e.HealthCheckSettings = ALBHealthCheck{Path: get(h, "path"), IntervalSeconds: coerceNumber(get(h, "intervalSeconds")),
			TimeoutSeconds: coerceNumber(get(h, "timeoutSeconds")), HealthyThresholdCount: coerceNumber(get(h, "healthyThresholdCount")),
			UnhealthyThresholdCount: coerceNumber(get(h, "unhealthyThresholdCount")), MatcherHTTPCode: present(h.Get("matcher").Get("httpCode"))}
	}
	return e
}

// coerceBool turns "true", "false", 1 and 0 into booleans, as the
// framework's schema coercion does for boolean settings.
func coerceBool(n *Node) *Node {
	switch {
	case n == nil:
	case n.Kind == String && (n.Value == "true" || n.Value == "false"):
		return NewBool(n.Value == "true", n.Pos)
	case n.Kind == Number && (n.Num == 0 || n.Num == 1):
		return NewBool(n.Num == 1, n.Pos)
	}
	return n
}

// coerceString turns a number or boolean into its text, as the
// framework's schema coercion does for string settings.
func coerceString(n *Node) *Node {
	switch {
	case n == nil:
	case n.Kind == Number:
		return NewString(FormatNumber(n.Num), n.Pos)
	case n.Kind == Bool:
		return NewString(n.Value, n.Pos)
	}
	return n
}

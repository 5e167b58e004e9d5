package schema

import (
	"strconv"
	"sync"
)

// Spec describes a value stepform reads in serverless.yml. The tables
// below are the one list of the keys stepform knows: the decoder and the
// compiler take their allowed keys from them, and `stepform schema`
// writes them as a JSON Schema, so the two cannot drift apart.
//
// Each table is built on its first use (sync.OnceValue), not while the
// package initialises: built eagerly they were 200 KB of allocations at
// the start of every run, which mostly needs none of them. The key lists
// decoding checks every service against are written out beside them
// (TestKeyListsAreTheSpecTables keeps them equal).
type Spec struct {
	// Types are the JSON types the value may have: "string", "number",
	// "integer", "boolean", "object", "array", "null". None: any value.
	Types       []string
	Description string
	// Enum lists the values allowed, when only some are.
	Enum []any
	// Pattern is a regular expression a string value matches (other
	// types are not constrained by it).
	Pattern string
	// Keys are an object's known keys, in the order diagnostics list them.
	Keys []Key
	// Open lets an object hold keys other than Keys (the framework's
	// blocks, which plugins extend); Values, when set, is their spec.
	Open   bool
	Values *Spec
	// Items is an array's item spec.
	Items *Spec
	// AnyOf lists alternative specs (a string or an object, ...).
	AnyOf []*Spec
	// Ref names a shared definition instead ("arn", "intrinsic").
	Ref string
	// Def names the spec in the JSON Schema's $defs, for specs used in
	// several places.
	Def string
}

// Key is one key of an object.
type Key struct {
	Name string
	Spec *Spec
	// Stepform marks stepform's own keys, which the plugin does not know.
	Stepform bool
}

// KeyNames are the names of an object's keys, in the table's order.
func (s *Spec) KeyNames() []string {
	names := make([]string, len(s.Keys))
	for i, k := range s.Keys {
		names[i] = k.Name
	}
	return names
}

// PluginKeyNames are the keys serverless-step-functions knows too.
func (s *Spec) PluginKeyNames() []string {
	var names []string
	for _, k := range s.Keys {
		if !k.Stepform {
			names = append(names, k.Name)
		}
	}
	return names
}

// StepformKeyNames are stepform's own keys.
func (s *Spec) StepformKeyNames() []string {
	var names []string
	for _, k := range s.Keys {
		if k.Stepform {
			names = append(names, k.Name)
		}
	}
	return names
}

// Key returns the spec of key name, or nil.
func (s *Spec) Key(name string) *Spec {
	for _, k := range s.Keys {
		if k.Name == name {
			return k.Spec
		}
	}
	return nil
}

func typedSpec(desc string, types ...string) *Spec { return &Spec{Types: types, Description: desc} }
func strSpec(desc string) *Spec                    { return typedSpec(desc, "string") }
func boolSpec(desc string) *Spec                   { return typedSpec(desc, "boolean") }
func intSpec(desc string) *Spec                    { return typedSpec(desc, "integer") }
func anySpec(desc string) *Spec                    { return &Spec{Description: desc} }
func refSpec(name, desc string) *Spec              { return &Spec{Ref: name, Description: desc} }
func listSpec(items *Spec, desc string) *Spec {
	return &Spec{Types: []string{"array"}, Items: items, Description: desc}
}
func anyOfSpec(desc string, specs ...*Spec) *Spec { return &Spec{AnyOf: specs, Description: desc} }

// closed is an object with only the given keys.
func closedSpec(desc string, keys ...Key) *Spec {
	return &Spec{Types: []string{"object"}, Description: desc, Keys: keys}
}

// open is an object with the given keys and any others.
func openSpec(desc string, keys ...Key) *Spec {
	return &Spec{Types: []string{"object"}, Description: desc, Keys: keys, Open: true}
}

func keySpec(name string, spec *Spec) Key       { return Key{Name: name, Spec: spec} }
func ownKeySpec(name string, spec *Spec) Key    { return Key{Name: name, Spec: spec, Stepform: true} }
func enumSpec(desc string, values ...any) *Spec { return &Spec{Description: desc, Enum: values} }

func stringEnumSpec(desc string, values ...string) *Spec {
	s := &Spec{Types: []string{"string"}, Description: desc}
	for _, v := range values {
		s.Enum = append(s.Enum, v)
	}
	return s
}

func arnSpec(desc string) *Spec { return refSpec("arn", desc) }

// stringOrIntrinsic is a string CloudFormation may compute.
func stringOrIntrinsic(desc string) *Spec {
	return anyOfSpec(desc, typedSpec("", "string"), refSpec("intrinsic", ""))
}

// LoggingLevels are the levels of loggingConfig.level.
var LoggingLevels = []string{"ALL", "ERROR", "FATAL", "OFF"}

var logRetentionEnum = sync.OnceValue(func() []any {
	out := make([]any, len(LogRetentionDays))
	for i, d := range LogRetentionDays {
		out[i] = d
	}
	return out
})

// LoggingConfigSpec is a state machine's loggingConfig.
var LoggingConfigSpec = sync.OnceValue(func() *Spec {
	return named("loggingConfig", closedSpec("CloudWatch Logs logging of executions.",
		keySpec("level", stringEnumSpec("What is logged (default OFF).", LoggingLevels...)),
		keySpec("includeExecutionData", boolSpec("Log input, output and state data (default false).")),
		keySpec("destinations", listSpec(arnSpec("A log group ARN (ending in :*)."), "Log groups to log to. Without them, stepform's default mode creates /aws/vendedlogs/states/<name>.")),
		ownKeySpec("retentionInDays", enumSpec("stepform: retention of the log group stepform creates when there are no destinations (default 30 days).", logRetentionEnum()...)),
	))
})

// TracingConfigSpec is a state machine's tracingConfig.
var TracingConfigSpec = sync.OnceValue(func() *Spec {
	return closedSpec("AWS X-Ray tracing.",
		keySpec("enabled", boolSpec("Trace executions with X-Ray.")),
	)
})

// EncryptionConfigSpec is a state machine's encryptionConfig.
var EncryptionConfigSpec = sync.OnceValue(func() *Spec {
	return closedSpec("Encryption of the state machine's data at rest.",
		keySpec("KmsDataKeyReusePeriodSeconds", intSpec("Seconds a data key is reused (60–900, default 900).")),
		keySpec("KmsKeyId", strSpec("The KMS key (ID, ARN or alias) for CUSTOMER_MANAGED_KMS_KEY.")),
		keySpec("Type", stringEnumSpec("The key type.", "AWS_OWNED_KEY", "CUSTOMER_MANAGED_KMS_KEY")),
	)
})

// IAMStatementSpec is an entry of a state machine's iamRoleStatements.
var IAMStatementSpec = sync.OnceValue(func() *Spec {
	return named("iamRoleStatement", closedSpec("An IAM statement added to the generated role.",
		keySpec("Effect", stringEnumSpec("Allow or Deny.", "Allow", "Deny")),
		keySpec("Action", anyOfSpec("An action or a list of actions.", typedSpec("", "string"), listSpec(typedSpec("", "string"), ""))),
		keySpec("Resource", anyOfSpec("A resource or a list of resources.", typedSpec("", "string"), listSpec(anySpec(""), ""))),
	))
})

// AlarmTopicsSpec is alarms.topics.
var AlarmTopicsSpec = sync.OnceValue(func() *Spec {
	return closedSpec("SNS topics the alarms notify.",
		keySpec("ok", arnSpec("Topic notified when an alarm returns to OK.")),
		keySpec("alarm", arnSpec("Topic notified when an alarm fires.")),
		keySpec("insufficientData", arnSpec("Topic notified on INSUFFICIENT_DATA.")),
	)
})

var treatMissingData = sync.OnceValue(func() *Spec {
	return stringEnumSpec("How the alarm treats missing data.", "missing", "ignore", "breaching", "notBreaching")
})

// AlarmMetricSpec is an object entry of alarms.metrics.
var AlarmMetricSpec = sync.OnceValue(func() *Spec {
	return closedSpec("A metric with its own settings.",
		keySpec("metric", stringEnumSpec("The metric.", AlarmMetricNames()...)),
		keySpec("logicalId", strSpec("The alarm's logical ID.")),
		keySpec("alarmName", strSpec("The alarm's name.")),
		keySpec("treatMissingData", treatMissingData()),
		keySpec("period", intSpec("The period in seconds.")),
	)
})

// AlarmsSpec is a state machine's alarms.
var AlarmsSpec = sync.OnceValue(func() *Spec {
	return named("alarms", closedSpec("CloudWatch alarms on the state machine's metrics.",
		keySpec("topics", AlarmTopicsSpec()),
		keySpec("metrics", listSpec(anyOfSpec("", stringEnumSpec("A metric.", AlarmMetricNames()...), AlarmMetricSpec()), "The metrics to alarm on.")),
		keySpec("nameTemplate", strSpec("Alarm names: $[stateMachineName], $[cloudWatchMetricName], $[metricName].")),
		keySpec("treatMissingData", treatMissingData()),
		keySpec("period", intSpec("The period in seconds (default 60).")),
	))
})

// SQSTargetSpec is a FIFO queue notification target.
var SQSTargetSpec = sync.OnceValue(func() *Spec {
	return closedSpec("", keySpec("arn", arnSpec("The queue.")), keySpec("messageGroupId", strSpec("The FIFO message group.")))
})

// KinesisTargetSpec is a Kinesis notification target with a partition key.
var KinesisTargetSpec = sync.OnceValue(func() *Spec {
	return closedSpec("", keySpec("arn", arnSpec("The stream.")), keySpec("partitionKeyPath", strSpec("JSON path of the partition key.")))
})

// TargetInputTransformerSpec is a notification target's inputTransformer.
var TargetInputTransformerSpec = sync.OnceValue(func() *Spec {
	return closedSpec("Transforms the event before sending.",
		keySpec("inputPathsMap", openSpec("Names to JSON paths.")),
		keySpec("inputTemplate", strSpec("The template, with <name> placeholders.")),
	)
})

// NotificationTargetSpec is a target of a notifications status.
var NotificationTargetSpec = sync.OnceValue(func() *Spec {
	return named("notificationTarget", closedSpec("Where executions of this status are sent.",
		keySpec("sns", arnSpec("An SNS topic.")),
		keySpec("sqs", anyOfSpec("An SQS queue, or a FIFO queue with its message group.", arnSpec(""), SQSTargetSpec())),
		keySpec("kinesis", anyOfSpec("A Kinesis stream, or one with a partition key path.", arnSpec(""), KinesisTargetSpec())),
		keySpec("firehose", arnSpec("A Firehose delivery stream.")),
		keySpec("lambda", arnSpec("A Lambda function.")),
		keySpec("stepFunctions", arnSpec("A state machine.")),
		keySpec("inputPath", strSpec("JSON path of the part of the event to send.")),
		keySpec("inputTransformer", TargetInputTransformerSpec()),
	))
})

// NotificationsSpec is a state machine's notifications.
var NotificationsSpec = sync.OnceValue(func() *Spec {
	return named("notifications", func() *Spec {
		s := closedSpec("EventBridge notifications of execution status changes (STANDARD machines).")
		for _, status := range ExecutionStatuses {
			s.Keys = append(s.Keys, keySpec(status, listSpec(NotificationTargetSpec(), "Targets of "+status+" executions.")))
		}
		return s
	}())
})

// CORSSpec is an http event's cors object.
var CORSSpec = sync.OnceValue(func() *Spec {
	return named("cors", closedSpec("CORS settings.",
		keySpec("origin", strSpec("The allowed origin.")),
		keySpec("origins", listSpec(typedSpec("", "string"), "The allowed origins.")),
		keySpec("headers", listSpec(typedSpec("", "string"), "The allowed headers.")),
		keySpec("methods", listSpec(typedSpec("", "string"), "The allowed methods.")),
		keySpec("allowCredentials", boolSpec("Allow credentials.")),
		keySpec("maxAge", intSpec("Seconds a preflight answer may be cached.")),
		keySpec("cacheControl", strSpec("Ignored by the plugin.")),
	))
})

// AuthorizerSpec is an http event's authorizer object.
var AuthorizerSpec = sync.OnceValue(func() *Spec {
	return named("authorizer", closedSpec("The authorizer.",
		keySpec("name", strSpec("A function of this service, or the authorizer's name.")),
		keySpec("arn", stringOrIntrinsic("A Lambda function or Cognito user pool ARN.")),
		keySpec("type", typedSpec("token, request, aws_iam, COGNITO_USER_POOLS, ... (false or 0: absent).", "string", "boolean", "number")),
		keySpec("identitySource", strSpec("Where the identity comes from (default method.request.header.Authorization).")),
		keySpec("resultTtlInSeconds", intSpec("Seconds a result is cached.")),
		keySpec("scopes", listSpec(typedSpec("", "string"), "OAuth scopes (Cognito).")),
		keySpec("authorizerId", stringOrIntrinsic("An existing authorizer's ID.")),
		keySpec("identityValidationExpression", strSpec("A regular expression the token must match.")),
		keySpec("claims", listSpec(typedSpec("", "string"), "Cognito claims.")),
	))
})

// HTTPEventSpec is an http event object.
var HTTPEventSpec = sync.OnceValue(func() *Spec {
	return named("httpEvent", closedSpec("An API Gateway endpoint that calls Step Functions.",
		keySpec("path", strSpec("The path, e.g. orders/{id}.")),
		keySpec("method", typedSpec("The HTTP method: get, post, put, patch, options, head, delete or any.", "string")),
		keySpec("action", strSpec("The Step Functions action (default StartExecution; StartSyncExecution for synchronous Express).")),
		keySpec("private", boolSpec("Require an API key.")),
		keySpec("cors", anyOfSpec("CORS: true, or settings.", typedSpec("", "boolean"), CORSSpec())),
		keySpec("authorizer", anyOfSpec("An authorizer: a function name, an ARN, aws_iam, or settings.", typedSpec("", "string"), AuthorizerSpec())),
		keySpec("request", openSpec("Request settings: template (lambda_proxy or content type → template), schemas.")),
		keySpec("response", openSpec("Response settings: template, headers.")),
		keySpec("responses", openSpec("Integration responses keyed by selection pattern.")),
		keySpec("iamRole", stringOrIntrinsic("The role API Gateway calls Step Functions with.")),
		keySpec("timeoutInMillis", intSpec("The integration timeout (50–29000; more on REGIONAL/PRIVATE APIs with a quota increase).")),
		keySpec("integration", strSpec("The integration type.")),
		keySpec("async", boolSpec("Framework setting; no effect on Step Functions endpoints.")),
		ownKeySpec("errorStatusCodes", openSpec("stepform: sync endpoints answer these statuses for these execution error names.").withValues(intSpec("An HTTP status, 400–599."))),
		ownKeySpec("errorDetails", listSpec(stringEnumSpec("", "error", "cause"), "stepform: sync endpoints show the error name and/or cause.")),
		ownKeySpec("asyncStatusCode", intSpec("stepform: the status of an async start (default 202).")),
		ownKeySpec("envelope", anyOfSpec("stepform: send body, path, query string, headers and context as the input.", typedSpec("", "boolean"),
			closedSpec("", keySpec("headers", listSpec(typedSpec("", "string"), "The headers to forward."))))),
		ownKeySpec("public", boolSpec("stepform: the endpoint is meant to have no authentication (silences the warning).")),
	))
})

func (s *Spec) withValues(v *Spec) *Spec { s.Values = v; return s }

// named gives a spec its $defs name.
func named(name string, s *Spec) *Spec { s.Def = name; return s }

var inputTransformerSpec = sync.OnceValue(func() *Spec {
	return openSpec("Transforms the input.",
		keySpec("inputPathsMap", openSpec("Names to JSON paths.")),
		keySpec("inputTemplate", strSpec("The template.")),
	)
})

var retryPolicySpec = sync.OnceValue(func() *Spec {
	return openSpec("Retries of the target.",
		keySpec("maximumEventAgeInSeconds", intSpec("60–86400.")),
		keySpec("maximumRetryAttempts", intSpec("0–185.")),
	)
})

// ScheduleSpec is a schedule event object.
var ScheduleSpec = sync.OnceValue(func() *Spec {
	return named("schedule", openSpec("A schedule that starts the state machine.",
		keySpec("rate", anyOfSpec("rate(...), cron(...) or at(...), or a list of them.", typedSpec("", "string"), listSpec(typedSpec("", "string"), ""))),
		keySpec("enabled", boolSpec("false disables the schedule.")),
		keySpec("name", strSpec("The rule or schedule name.")),
		keySpec("description", strSpec("The description.")),
		keySpec("input", anySpec("The execution input (an object or a JSON string).")),
		keySpec("inputPath", strSpec("JSON path of the input.")),
		keySpec("inputTransformer", inputTransformerSpec()),
		keySpec("role", stringOrIntrinsic("The role that starts the execution.")),
		keySpec("retryPolicy", retryPolicySpec()),
		keySpec("method", stringEnumSpec("eventBus (an EventBridge rule, default) or scheduler (EventBridge Scheduler).", "eventBus", "scheduler")),
		keySpec("timezone", strSpec("IANA time zone (method: scheduler).")),
	))
})

// EventRuleSpec is an eventBridge or cloudwatchEvent event object.
var EventRuleSpec = sync.OnceValue(func() *Spec {
	return named("eventRule", openSpec("An EventBridge rule that starts the state machine.",
		keySpec("event", openSpec("The event pattern.")),
		keySpec("enabled", boolSpec("false disables the rule.")),
		keySpec("name", strSpec("The rule name.")),
		keySpec("description", strSpec("The description.")),
		keySpec("input", anySpec("The execution input.")),
		keySpec("inputPath", typedSpec("JSON path of the input (a number is written as a string).", "string", "number")),
		keySpec("inputTransformer", inputTransformerSpec()),
		keySpec("eventBusName", stringOrIntrinsic("The event bus (name or ARN).")),
		keySpec("iamRole", stringOrIntrinsic("The role that starts the execution.")),
		keySpec("deadLetterConfig", stringOrIntrinsic("An SQS queue ARN for failed deliveries.")),
		keySpec("retryPolicy", retryPolicySpec()),
	))
})

// EventSpec is an entry of a state machine's events: one of the kinds.
var EventSpec = sync.OnceValue(func() *Spec {
	return named("event", openSpec("An event that starts the state machine.",
		keySpec("http", anyOfSpec("An endpoint: \"POST path\" or settings.", typedSpec("", "string"), HTTPEventSpec())),
		keySpec("schedule", anyOfSpec("A schedule: rate(...)/cron(...) or settings.", typedSpec("", "string"), ScheduleSpec())),
		keySpec("cloudwatchEvent", EventRuleSpec()),
		keySpec("eventBridge", EventRuleSpec()),
	))
})

// StateMachineSpec is an entry of stepFunctions.stateMachines.
var StateMachineSpec = sync.OnceValue(func() *Spec {
	return named("stateMachine", closedSpec("A state machine.",
		keySpec("id", strSpec("The logical ID (default <Key>StepFunctionsStateMachine).")),
		keySpec("events", listSpec(EventSpec(), "Events that start executions.")),
		keySpec("name", strSpec("The state machine's name (default: generated by CloudFormation).")),
		keySpec("role", arnSpec("Your own execution role (no role is generated).")),
		keySpec("useExactVersion", boolSpec("Lambda tasks call the function's current version.")),
		keySpec("configureTaskTimeouts", boolSpec("Lambda tasks get their function's timeout.")),
		keySpec("definition", anyOfSpec("The Amazon States Language definition: StartAt and States, or JSON text.",
			openSpec("", keySpec("StartAt", strSpec("The first state.")), keySpec("States", openSpec("The states by name.")),
				keySpec("Comment", strSpec("A comment.")), keySpec("TimeoutSeconds", intSpec("Maximum execution time.")),
				keySpec("QueryLanguage", stringEnumSpec("JSONPath (default) or JSONata.", "JSONPath", "JSONata"))),
			typedSpec("", "string"))),
		keySpec("dependsOn", anyOfSpec("Logical IDs the state machine waits for.", typedSpec("", "string"), listSpec(typedSpec("", "string"), ""))),
		keySpec("tags", openSpec("Tags (added to the provider's).")),
		keySpec("alarms", AlarmsSpec()),
		keySpec("notifications", NotificationsSpec()),
		keySpec("type", stringEnumSpec("STANDARD (default) or EXPRESS.", "STANDARD", "EXPRESS")),
		keySpec("retain", boolSpec("Keep the state machine when it is removed from the stack.")),
		keySpec("loggingConfig", LoggingConfigSpec()),
		keySpec("tracingConfig", TracingConfigSpec()),
		keySpec("encryptionConfig", EncryptionConfigSpec()),
		keySpec("inheritGlobalTags", boolSpec("Add provider.tags (default true).")),
		keySpec("iamRoleStatements", listSpec(IAMStatementSpec(), "Statements added to the generated role.")),
		keySpec("kmsKeyArns", listSpec(arnSpec("A KMS key ARN."), "KMS keys the role may use.")),
	))
})

// StepFunctionsSpec is the top-level stepFunctions block.
var StepFunctionsSpec = sync.OnceValue(func() *Spec {
	return named("stepFunctions", openSpec("The serverless-step-functions configuration.",
		keySpec("stateMachines", openSpec("State machines by key.").withValues(StateMachineSpec())),
		keySpec("validate", boolSpec("Validate definitions (asl-validator's checks).")),
		keySpec("noOutput", boolSpec("Leave out the state machines' ARN outputs.")),
		keySpec("activities", anyOfSpec("Activity names.", typedSpec("", "string"), listSpec(typedSpec("", "string"), ""))),
	))
})

// TopLevelSpec is a serverless.yml: the framework's top-level keys, of
// which stepform reads service, provider, functions, stepFunctions and
// resources. Other top-level keys draw a warning.
var TopLevelSpec = sync.OnceValue(func() *Spec {
	return openSpec("A Serverless Framework service with serverless-step-functions, as stepform reads it.",
		keySpec("app", anySpec("")),
		keySpec("configValidationMode", stringEnumSpec("What the framework does about unknown keys.", "warn", "error", "off")),
		keySpec("console", anySpec("")),
		keySpec("custom", openSpec("Values for ${self:custom...}.")),
		keySpec("dashboard", anySpec("")),
		keySpec("deprecationNotificationMode", anySpec("")),
		keySpec("disabledDeprecations", anySpec("")),
		keySpec("frameworkVersion", anySpec("")),
		keySpec("functions", anyOfSpec("Lambda functions by key (or a list of such maps, merged).",
			openSpec("").withValues(FunctionSpec()), listSpec(openSpec("").withValues(FunctionSpec()), ""))),
		keySpec("layers", anySpec("")),
		keySpec("org", anySpec("")),
		keySpec("outputs", anySpec("")),
		keySpec("package", anySpec("")),
		keySpec("params", anySpec("")),
		keySpec("plugins", anySpec("Plugins: serverless-step-functions.")),
		keySpec("projectDir", anySpec("")),
		keySpec("provider", ProviderSpec()),
		keySpec("resources", anyOfSpec("CloudFormation merged into the template: Resources, Outputs, Conditions, ... (or a list of such maps, merged).",
			openSpec(""), listSpec(openSpec(""), ""))),
		keySpec("service", strSpec("The service name.")),
		keySpec("stepFunctions", StepFunctionsSpec()),
		keySpec("useDotenv", anySpec("")),
		keySpec("variablesResolutionMode", anySpec("")),
	)
})

// retentionText is the allowed retentions as text, for messages.
func retentionText() []string {
	out := make([]string, len(LogRetentionDays))
	for i, n := range LogRetentionDays {
		out[i] = strconv.Itoa(n)
	}
	return out
}

package schema

import "sync"

// The spec tables of `functions:` and of the provider settings the
// functions' compilation reads. Like the stepFunctions tables, they are
// the one list of the keys: the decoders and checks take their allowed
// keys from them, and `stepform schema` writes them. Types and enums
// follow Serverless Framework v3's own configuration schema, which
// reports what breaks them (a warning by default, an error with
// configValidationMode: error); its validation turns numeric strings
// into numbers first, so integer settings accept them too.

// frameworkInt is an integer setting (a numeric string counts).
func frameworkInt(desc string) *Spec {
	return &Spec{Types: []string{"integer", "string"}, Pattern: `^-?[0-9]+$`, Description: desc}
}

// frameworkBool is a boolean setting ("true" and "false" count).
func frameworkBool(desc string) *Spec {
	return &Spec{Types: []string{"boolean", "string"}, Enum: []any{true, false, "true", "false"}, Description: desc}
}

// intOrIntrinsic is an integer setting CloudFormation may compute.
func intOrIntrinsic(desc string) *Spec {
	return anyOfSpec(desc, frameworkInt(""), refSpec("intrinsic", ""))
}

func stringList(desc string) *Spec { return listSpec(typedSpec("", "string"), desc) }

// stringOrList is a string or a list of them (the framework's validation
// turns one value into a list).
func stringOrList(desc string) *Spec {
	return anyOfSpec(desc, typedSpec("", "string"), stringList(""))
}

// scalarMapSpec is environment variables or tags: names to text (numbers
// and booleans are turned into text), or intrinsics.
func scalarMapSpec(desc string) *Spec {
	return openSpec(desc).withValues(anyOfSpec("", typedSpec("", "string", "number", "boolean"), refSpec("intrinsic", "")))
}

var architectureSpec = sync.OnceValue(func() *Spec {
	return stringEnumSpec("The instruction set (default x86_64).", "x86_64", "arm64")
})

// runtimeSpec lists the runtimes v3 knows for completion, but takes any:
// the framework and stepform only warn about others and deploy them.
var runtimeSpec = sync.OnceValue(func() *Spec {
	return named("runtime", anyOfSpec("The runtime (default nodejs16.x); one v3 does not list only warns.",
		stringEnumSpec("", Runtimes...), typedSpec("", "string")))
})

var logRetentionSpec = sync.OnceValue(func() *Spec {
	return enumSpec("Days the log group keeps logs.", logRetentionEnum()...)
})

var logDataProtectionSpec = sync.OnceValue(func() *Spec {
	return closedSpec("A data protection policy of the log group.",
		keySpec("Name", strSpec("")), keySpec("Description", strSpec("")), keySpec("Version", strSpec("")),
		keySpec("Statement", listSpec(anySpec(""), "")))
})

var runtimeManagementSpec = sync.OnceValue(func() *Spec {
	return anyOfSpec("When the runtime is updated: auto, onFunctionUpdate, or {mode: manual, arn}.",
		stringEnumSpec("", "auto", "onFunctionUpdate"),
		closedSpec("", keySpec("mode", stringEnumSpec("", "auto", "onFunctionUpdate", "manual")), keySpec("arn", arnSpec("The runtime version (mode: manual)."))))
})

var tracingSpec = sync.OnceValue(func() *Spec {
	return anyOfSpec("X-Ray tracing: Active, PassThrough, or true (Active).",
		stringEnumSpec("", "Active", "PassThrough"), typedSpec("", "boolean"))
})

var idListSpec = sync.OnceValue(func() *Spec {
	return anyOfSpec("", listSpec(stringOrIntrinsic(""), ""), refSpec("intrinsic", ""))
})

// VPCSpec is a vpc setting.
var VPCSpec = sync.OnceValue(func() *Spec {
	return named("vpc", closedSpec("The VPC the function runs in.",
		keySpec("securityGroupIds", idListSpec().describe("Security group IDs (up to 5).")),
		keySpec("subnetIds", idListSpec().describe("Subnet IDs (up to 16).")),
	))
})

func (s *Spec) describe(desc string) *Spec {
	c := *s
	c.Description = desc
	return &c
}

var destinationTargetSpec = sync.OnceValue(func() *Spec {
	return anyOfSpec("A function key or an ARN, or {arn, type}.", typedSpec("", "string"),
		closedSpec("", keySpec("arn", arnSpec("The target.")), keySpec("type", stringEnumSpec("The target's kind.", "function", "sns", "sqs", "eventBus"))))
})

// FunctionURLCORSSpec is the cors of a function URL, and of provider.httpApi.
var FunctionURLCORSSpec = sync.OnceValue(func() *Spec {
	return named("urlCors", closedSpec("CORS settings.",
		keySpec("allowCredentials", frameworkBool("Allow credentials.")),
		keySpec("allowedHeaders", stringList("The allowed headers.")),
		keySpec("allowedMethods", stringList("The allowed methods.")),
		keySpec("allowedOrigins", stringList("The allowed origins.")),
		keySpec("exposedResponseHeaders", stringList("Headers the browser may read.")),
		keySpec("maxAge", frameworkInt("Seconds a preflight answer may be cached.")),
	))
})

// FunctionSpec is an entry of functions: every setting Serverless
// Framework v3 takes on a function, which stepform compiles.
var FunctionSpec = sync.OnceValue(func() *Spec {
	return named("function", closedSpec("A Lambda function.",
		keySpec("architecture", architectureSpec()),
		keySpec("awsKmsKeyArn", arnSpec("Older name of kmsKeyArn.")),
		keySpec("condition", strSpec("A condition of resources.Conditions: the function exists only when it holds.")),
		keySpec("dependsOn", stringOrList("Logical IDs the function waits for.")),
		keySpec("description", strSpec("The description (up to 256 characters).")),
		keySpec("destinations", closedSpec("Where asynchronous invocations' results go.",
			keySpec("onSuccess", destinationTargetSpec()), keySpec("onFailure", destinationTargetSpec()))),
		keySpec("disableLogs", frameworkBool("Make no log group for the function.")),
		keySpec("environment", scalarMapSpec("Environment variables (added to the provider's).")),
		keySpec("ephemeralStorageSize", frameworkInt("Size of /tmp in MB (512–10240).")),
		keySpec("events", listSpec(FunctionEventSpec(), "Events that invoke the function.")),
		keySpec("fileSystemConfig", closedSpec("An EFS access point to mount (needs a VPC).",
			keySpec("arn", arnSpec("The access point.")), keySpec("localMountPath", strSpec("Where it is mounted: /mnt/<name>.")))),
		keySpec("handler", strSpec("The code to run: <file>.<exported function>, e.g. handler.hello.")),
		keySpec("httpApi", closedSpec("HTTP API settings of the function.",
			keySpec("payload", stringEnumSpec("The payload format version of its routes.", "1.0", "2.0")))),
		keySpec("image", anyOfSpec("A container image instead of a handler: an ECR URI with its digest, a name of provider.ecr.images, or settings.",
			typedSpec("", "string"),
			closedSpec("", keySpec("name", strSpec("A name of provider.ecr.images.")), keySpec("uri", strSpec("An ECR image URI.")),
				keySpec("workingDirectory", strSpec("The working directory.")), keySpec("command", stringList("The command.")),
				keySpec("entryPoint", stringList("The entry point."))))),
		keySpec("kmsKeyArn", arnSpec("The KMS key of the environment variables.")),
		keySpec("layers", anyOfSpec("Layer version ARNs.", arnSpec(""), listSpec(arnSpec(""), ""))),
		keySpec("logDataProtectionPolicy", logDataProtectionSpec()),
		keySpec("logRetentionInDays", logRetentionSpec()),
		keySpec("maximumEventAge", frameworkInt("Seconds an asynchronous event is kept (60–21600).")),
		keySpec("maximumRetryAttempts", frameworkInt("Retries of asynchronous invocations (0–2).")),
		keySpec("memorySize", frameworkInt("Memory in MB (128–10240, default 1024).")),
		keySpec("name", strSpec("The deployed name (default <service>-<stage>-<key>).")),
		keySpec("onError", arnSpec("An SNS topic for failed asynchronous invocations.")),
		keySpec("package", closedSpec("How the function's own zip is made.",
			keySpec("artifact", strSpec("A prebuilt zip.")), keySpec("exclude", stringList("Older: paths left out.")),
			keySpec("include", stringList("Older: paths put in.")), keySpec("individually", frameworkBool("A zip of its own.")),
			keySpec("patterns", stringList("Globs of the files to put in (! leaves out).")))),
		keySpec("provisionedConcurrency", intOrIntrinsic("Instances kept initialized.")),
		keySpec("reservedConcurrency", intOrIntrinsic("Concurrent executions reserved (0 stops it).")),
		keySpec("role", stringOrIntrinsic("An existing role: its ARN or logical ID, or Fn::GetAtt, Fn::ImportValue, Fn::Sub.")),
		keySpec("runtime", runtimeSpec()),
		keySpec("runtimeManagement", runtimeManagementSpec()),
		keySpec("snapStart", frameworkBool("SnapStart (Java).")),
		keySpec("tags", scalarMapSpec("Tags (added to the provider's).")),
		keySpec("timeout", frameworkInt("Timeout in seconds (1–900, default 6).")),
		keySpec("tracing", tracingSpec()),
		keySpec("url", anyOfSpec("A function URL: true, or settings.", typedSpec("", "boolean"),
			closedSpec("", keySpec("authorizer", stringEnumSpec("aws_iam: callers sign their requests.", "aws_iam")),
				keySpec("cors", anyOfSpec("CORS: true, or settings.", typedSpec("", "boolean"), FunctionURLCORSSpec())),
				keySpec("invokeMode", stringEnumSpec("BUFFERED (default) or RESPONSE_STREAM.", "BUFFERED", "RESPONSE_STREAM"))))),
		keySpec("versionFunction", frameworkBool("Publish a version on each deployment (default provider.versionFunctions).")),
		keySpec("vpc", VPCSpec()),
	))
})

// Function events. Each kind's object form is closed: the framework
// ignores (and reports) other keys, so stepform reports them too
// (CheckFunctionEventKeys); eventBridge is the exception, as in the
// framework's schema.

var filterPatternsSpec = sync.OnceValue(func() *Spec {
	return listSpec(openSpec("An event filter pattern."), "Only records matching one of these patterns (up to 10) invoke the function.")
})

var functionResponseTypeSpec = sync.OnceValue(func() *Spec {
	return stringEnumSpec("ReportBatchItemFailures: the function reports the failed records.", "ReportBatchItemFailures")
})

// FunctionSQSEventSpec is an sqs event's object form.
var FunctionSQSEventSpec = sync.OnceValue(func() *Spec {
	return named("sqsEvent", closedSpec("An SQS queue the function reads.",
		keySpec("arn", arnSpec("The queue.")),
		keySpec("batchSize", frameworkInt("Messages per invocation (1–10, up to 10000 with a batching window; default 10).")),
		keySpec("enabled", frameworkBool("false pauses the mapping.")),
		keySpec("maximumBatchingWindow", frameworkInt("Seconds to gather a batch (0–300).")),
		keySpec("functionResponseType", functionResponseTypeSpec()),
		keySpec("filterPatterns", filterPatternsSpec()),
		keySpec("maximumConcurrency", frameworkInt("Concurrent invocations for this queue (2–1000).")),
	))
})

// FunctionStreamEventSpec is a stream event's object form.
var FunctionStreamEventSpec = sync.OnceValue(func() *Spec {
	return named("streamEvent", closedSpec("A DynamoDB or Kinesis stream the function reads.",
		keySpec("arn", arnSpec("The stream (with type when it is an intrinsic).")),
		keySpec("type", stringEnumSpec("The stream's service.", "dynamodb", "kinesis")),
		keySpec("batchSize", frameworkInt("Records per invocation (1–10000, default 10).")),
		keySpec("parallelizationFactor", frameworkInt("Batches per shard at once (1–10).")),
		keySpec("startingPosition", stringEnumSpec("Where reading starts (default TRIM_HORIZON).", "LATEST", "TRIM_HORIZON", "AT_TIMESTAMP")),
		keySpec("startingPositionTimestamp", typedSpec("The time to start at (AT_TIMESTAMP), in Unix seconds.", "number")),
		keySpec("enabled", frameworkBool("false pauses the mapping.")),
		keySpec("consumer", anyOfSpec("A Kinesis enhanced fan-out consumer: true (one is made), or its ARN.", typedSpec("", "boolean"), arnSpec(""))),
		keySpec("batchWindow", frameworkInt("Seconds to gather a batch (0–300).")),
		keySpec("maximumRetryAttempts", frameworkInt("Retries of a failed batch (-1: until the record expires).")),
		keySpec("bisectBatchOnFunctionError", frameworkBool("Split a failed batch in two and retry.")),
		keySpec("maximumRecordAgeInSeconds", frameworkInt("Oldest record sent (-1, or 60–604800).")),
		keySpec("functionResponseType", functionResponseTypeSpec()),
		keySpec("destinations", closedSpec("Where failed batches are sent.",
			keySpec("onFailure", anyOfSpec("An SNS topic or SQS queue ARN, or {arn, type}.", arnSpec(""),
				closedSpec("", keySpec("arn", arnSpec("The target.")), keySpec("type", stringEnumSpec("The target's kind.", "sns", "sqs"))))))),
		keySpec("tumblingWindowInSeconds", frameworkInt("Seconds of a tumbling window (0–900).")),
		keySpec("filterPatterns", filterPatternsSpec()),
	))
})

// FunctionSNSEventSpec is an sns event's object form.
var FunctionSNSEventSpec = sync.OnceValue(func() *Spec {
	return named("snsEvent", closedSpec("An SNS topic the function subscribes to.",
		keySpec("arn", arnSpec("An existing topic.")),
		keySpec("topicName", strSpec("The topic's name (a new one is made unless arn is given).")),
		keySpec("displayName", strSpec("The new topic's display name.")),
		keySpec("filterPolicy", openSpec("Only messages matching this policy are delivered.")),
		keySpec("filterPolicyScope", strSpec("MessageAttributes (default) or MessageBody.")),
		keySpec("redrivePolicy", closedSpec("A dead-letter queue for undeliverable messages: one of the keys.",
			keySpec("deadLetterTargetArn", strSpec("The queue's ARN.")),
			keySpec("deadLetterTargetRef", strSpec("The logical ID of a queue in resources.")),
			keySpec("deadLetterTargetImport", closedSpec("The queue's exported ARN and URL.",
				keySpec("arn", strSpec("The export of the ARN.")), keySpec("url", strSpec("The export of the URL.")))))),
	))
})

var functionInputTransformerSpec = sync.OnceValue(func() *Spec {
	return closedSpec("Transforms the event before the function gets it.",
		keySpec("inputPathsMap", openSpec("Names to JSON paths of the event.")),
		keySpec("inputTemplate", strSpec("The input, with <name> placeholders.")),
	)
})

// FunctionScheduleEventSpec is a schedule event's object form.
var FunctionScheduleEventSpec = sync.OnceValue(func() *Spec {
	return named("scheduleEvent", closedSpec("A schedule that invokes the function.",
		keySpec("rate", anyOfSpec("rate(...) or cron(...), or a list of them.", typedSpec("", "string"),
			listSpec(anyOfSpec("", typedSpec("", "string"), refSpec("intrinsic", "")), ""))),
		keySpec("enabled", frameworkBool("false disables the schedule.")),
		keySpec("name", strSpec("The rule or schedule name.")),
		keySpec("description", strSpec("The description.")),
		keySpec("input", anyOfSpec("The function's input (an object or JSON text).", typedSpec("", "string"), openSpec(""))),
		keySpec("inputPath", strSpec("JSON path of the part of the event to send.")),
		keySpec("inputTransformer", functionInputTransformerSpec()),
		keySpec("method", stringEnumSpec("eventBus (an EventBridge rule, default) or scheduler (EventBridge Scheduler).", "eventBus", "scheduler")),
		keySpec("timezone", strSpec("IANA time zone (method: scheduler).")),
	))
})

// FunctionS3EventSpec is an s3 event's object form.
var FunctionS3EventSpec = sync.OnceValue(func() *Spec {
	return named("s3Event", closedSpec("An S3 bucket whose notifications invoke the function.",
		keySpec("bucket", stringOrIntrinsic("The bucket's name, or a key of provider.s3 (an intrinsic needs existing: true).")),
		keySpec("event", strSpec("The notification, e.g. s3:ObjectCreated:* (the default).")),
		keySpec("existing", frameworkBool("The bucket exists already (a custom resource adds the notification).")),
		keySpec("forceDeploy", frameworkBool("Write the existing bucket's notification again on deployment (stepform: whenever the code changes).")),
		keySpec("rules", listSpec(closedSpec("A key filter: prefix or suffix.",
			keySpec("prefix", stringOrIntrinsic("Keys starting with this.")),
			keySpec("suffix", stringOrIntrinsic("Keys ending with this."))), "Key filters.")),
	))
})

// FunctionEventBridgeEventSpec is an eventBridge event.
var FunctionEventBridgeEventSpec = sync.OnceValue(func() *Spec {
	return named("eventBridgeEvent", openSpec("An EventBridge rule (pattern or schedule) that invokes the function.",
		keySpec("eventBus", stringOrIntrinsic("The event bus: a name (made unless it exists) or an ARN (default: the account's default bus).")),
		keySpec("schedule", strSpec("rate(...) or cron(...).")),
		keySpec("name", strSpec("The rule name.")),
		keySpec("description", strSpec("The description.")),
		keySpec("enabled", frameworkBool("false disables the rule.")),
		keySpec("pattern", openSpec("The event pattern: source, detail-type, detail, ...")),
		keySpec("input", openSpec("The function's input.")),
		keySpec("inputPath", strSpec("JSON path of the part of the event to send.")),
		keySpec("inputTransformer", functionInputTransformerSpec()),
		keySpec("retryPolicy", openSpec("Retries of the target.",
			keySpec("maximumEventAge", frameworkInt("Seconds an event is retried (60–86400).")),
			keySpec("maximumRetryAttempts", frameworkInt("Retries (0–185).")))),
		keySpec("deadLetterQueueArn", arnSpec("An SQS queue for events that could not be delivered.")),
	))
})

// FunctionCloudWatchEventSpec is a cloudwatchEvent event.
var FunctionCloudWatchEventSpec = sync.OnceValue(func() *Spec {
	return named("cloudwatchEventEvent", closedSpec("A CloudWatch Events rule that invokes the function.",
		keySpec("event", openSpec("The event pattern.")),
		keySpec("input", anyOfSpec("The function's input (an object or JSON text).", typedSpec("", "string"), openSpec(""))),
		keySpec("inputPath", strSpec("JSON path of the part of the event to send.")),
		keySpec("inputTransformer", functionInputTransformerSpec()),
		keySpec("description", strSpec("The description.")),
		keySpec("name", strSpec("The rule name.")),
		keySpec("enabled", frameworkBool("false disables the rule.")),
	))
})

// FunctionCloudWatchLogEventSpec is a cloudwatchLog event's object form.
var FunctionCloudWatchLogEventSpec = sync.OnceValue(func() *Spec {
	return named("cloudwatchLogEvent", closedSpec("A log group whose events invoke the function.",
		keySpec("logGroup", strSpec("The log group's name.")),
		keySpec("filter", strSpec("The subscription filter pattern (default: every event).")),
	))
})

// FunctionHTTPAPIEventSpec is an httpApi event's object form.
var FunctionHTTPAPIEventSpec = sync.OnceValue(func() *Spec {
	return named("httpApiEvent", closedSpec("A route of the service's HTTP API.",
		keySpec("method", strSpec("The method: GET, POST, ..., or * (any).")),
		keySpec("path", strSpec("The path, starting with /, e.g. /users/{id}; or * (every route).")),
		keySpec("authorizer", anyOfSpec("An authorizer: a name of provider.httpApi.authorizers, or settings.", typedSpec("", "string"),
			closedSpec("", keySpec("name", strSpec("A name of provider.httpApi.authorizers.")),
				keySpec("id", stringOrIntrinsic("An existing authorizer's ID.")),
				keySpec("scopes", stringList("The scopes a JWT must have.")),
				keySpec("type", stringEnumSpec("aws_iam for IAM authorization.", "request", "jwt", "aws_iam"))))),
	))
})

// FunctionHTTPAuthorizerSpec is a function http event's authorizer object.
var FunctionHTTPAuthorizerSpec = sync.OnceValue(func() *Spec {
	return named("functionAuthorizer", closedSpec("The authorizer.",
		keySpec("name", strSpec("A function of this service, or the authorizer's name.")),
		keySpec("arn", arnSpec("A Lambda function or Cognito user pool.")),
		keySpec("type", strSpec("token (default), request, cognito_user_pools, aws_iam or custom.")),
		keySpec("identitySource", strSpec("Where the identity comes from (default method.request.header.Authorization).")),
		keySpec("identityValidationExpression", strSpec("A regular expression the token must match.")),
		keySpec("resultTtlInSeconds", frameworkInt("Seconds a result is cached (0–3600, default 300).")),
		keySpec("authorizerId", stringOrIntrinsic("An existing authorizer's ID.")),
		keySpec("scopes", listSpec(stringOrIntrinsic(""), "OAuth scopes (Cognito).")),
		keySpec("claims", stringList("Cognito claims passed to the function (integration: lambda).")),
		keySpec("managedExternally", frameworkBool("The authorizer is not given a permission to invoke its function.")),
	))
})

var requestParametersSpec = sync.OnceValue(func() *Spec {
	return openSpec("Names to true (required), false, or settings.").withValues(
		anyOfSpec("", typedSpec("", "boolean"), closedSpec("", keySpec("required", frameworkBool("")), keySpec("mappedValue", stringOrIntrinsic("")))))
})

var contentHandlingSpec = sync.OnceValue(func() *Spec {
	return stringEnumSpec("Conversion of binary payloads.", "CONVERT_TO_BINARY", "CONVERT_TO_TEXT")
})

// FunctionHTTPEventSpec is a function http event's object form.
var FunctionHTTPEventSpec = sync.OnceValue(func() *Spec {
	return named("functionHttpEvent", closedSpec("An endpoint of the service's REST API.",
		keySpec("path", strSpec("The path, e.g. users/{id}.")),
		keySpec("method", strSpec("The method: get, post, put, patch, options, head, delete or any.")),
		keySpec("cors", anyOfSpec("CORS: true, or settings.", typedSpec("", "boolean"), CORSSpec())),
		keySpec("authorizer", anyOfSpec("An authorizer: a function name, an ARN, aws_iam, or settings.", typedSpec("", "string"), FunctionHTTPAuthorizerSpec())),
		keySpec("private", frameworkBool("Require an API key.")),
		keySpec("integration", strSpec("lambda-proxy (default), lambda, http, http-proxy or mock.")),
		keySpec("request", closedSpec("Request settings.",
			keySpec("contentHandling", contentHandlingSpec()),
			keySpec("method", strSpec("The backend's method (http integrations).")),
			keySpec("parameters", closedSpec("Request parameters.",
				keySpec("querystrings", requestParametersSpec()), keySpec("headers", requestParametersSpec()), keySpec("paths", requestParametersSpec()))),
			keySpec("passThrough", stringEnumSpec("Which bodies pass through without a template.", "NEVER", "WHEN_NO_MATCH", "WHEN_NO_TEMPLATES")),
			keySpec("schemas", openSpec("Content types to a JSON schema (or a model of provider.apiGateway.request.schemas).")),
			keySpec("template", openSpec("Content types to mapping templates.").withValues(typedSpec("", "string"))),
			keySpec("uri", stringOrIntrinsic("The backend's URI (http integrations).")))),
		keySpec("response", closedSpec("Response settings (integration: lambda).",
			keySpec("contentHandling", contentHandlingSpec()),
			keySpec("headers", openSpec("Header names to values.").withValues(typedSpec("", "string"))),
			keySpec("template", strSpec("The response template.")),
			keySpec("statusCodes", openSpec("Status codes to their settings.").withValues(closedSpec("",
				keySpec("headers", openSpec("Header names to values.").withValues(typedSpec("", "string"))),
				keySpec("pattern", strSpec("The error pattern that selects this status.")),
				keySpec("template", anyOfSpec("The template, or content types to templates.", typedSpec("", "string"), openSpec("").withValues(typedSpec("", "string"))))))))),
		keySpec("operationId", strSpec("The operation's ID.")),
		keySpec("async", frameworkBool("Invoke the function asynchronously (integration: lambda).")),
		keySpec("connectionType", strSpec("vpc-link (http integrations).")),
		keySpec("connectionId", stringOrIntrinsic("The VPC link's ID.")),
	))
})

// FunctionWebsocketEventSpec is a websocket event's object form.
var FunctionWebsocketEventSpec = sync.OnceValue(func() *Spec {
	return named("websocketEvent", closedSpec("A route of the service's websocket API.",
		keySpec("route", strSpec("The route key: $connect, $disconnect, $default, or a value the route selection expression yields.")),
		keySpec("routeResponseSelectionExpression", stringEnumSpec("$default: the route answers with the function's response.", "$default")),
		keySpec("authorizer", anyOfSpec("The $connect route's authorizer: a function of the service, a Lambda ARN, or settings.", typedSpec("", "string"),
			closedSpec("",
				keySpec("name", strSpec("A function of the service, or the authorizer's name with arn.")),
				keySpec("arn", stringOrIntrinsic("A Lambda function's ARN.")),
				keySpec("identitySource", stringOrList("Where the identity comes from (default route.request.header.Auth).")),
			))),
	))
})

// cognitoTriggerSpec lists the user pool triggers the framework knows.
var cognitoTriggerSpec = sync.OnceValue(func() *Spec {
	return stringEnumSpec("The trigger.", "PreSignUp", "PostConfirmation", "PreAuthentication", "PostAuthentication",
		"PreTokenGeneration", "CustomMessage", "DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse",
		"UserMigration", "CustomSMSSender", "CustomEmailSender")
})

// FunctionCognitoUserPoolEventSpec is a cognitoUserPool event.
var FunctionCognitoUserPoolEventSpec = sync.OnceValue(func() *Spec {
	return named("cognitoUserPoolEvent", closedSpec("A trigger of a Cognito user pool.",
		keySpec("pool", strSpec("The user pool's name (created unless existing).")),
		keySpec("trigger", cognitoTriggerSpec()),
		keySpec("existing", frameworkBool("The pool exists already (a custom resource adds the triggers).")),
		keySpec("forceDeploy", frameworkBool("Write the existing pool's triggers again on deployment (stepform: whenever the code changes).")),
		keySpec("kmsKeyId", stringOrIntrinsic("The KMS key of the custom sender triggers.")),
		// Not in the framework's schema, which warns about it, but read.
		keySpec("lambdaVersion", stringEnumSpec("The custom sender triggers' event version.", "V1_0")),
	))
})

var albHeaderConditionSpec = sync.OnceValue(func() *Spec {
	return closedSpec("",
		keySpec("name", strSpec("The header's name.")),
		keySpec("values", stringList("Values it may have.")))
})

// FunctionALBEventSpec is an alb event.
var FunctionALBEventSpec = sync.OnceValue(func() *Spec {
	return named("albEvent", closedSpec("A listener rule of an application load balancer.",
		keySpec("listenerArn", stringOrIntrinsic("The listener: its ARN, or {Ref: <listener>}.")),
		keySpec("priority", frameworkInt("The rule's priority (1–50000, lower first).")),
		keySpec("conditions", closedSpec("When the rule applies (at least one).",
			keySpec("path", stringOrList("Path patterns.")),
			keySpec("host", stringOrList("Host names.")),
			keySpec("method", stringOrList("HTTP methods.")),
			keySpec("header", anyOfSpec("Headers and their values.", albHeaderConditionSpec(), listSpec(albHeaderConditionSpec(), ""))),
			keySpec("query", openSpec("Query parameters to values.").withValues(typedSpec("", "string"))),
			keySpec("ip", stringOrList("Source IP ranges (CIDR).")),
		)),
		keySpec("multiValueHeaders", frameworkBool("Multi-value headers and query parameters.")),
		keySpec("targetGroupName", strSpec("The target group's name (not with provider.alb.targetGroupPrefix).")),
		keySpec("authorizer", stringOrList("Authorizers of provider.alb.authorizers.")),
		keySpec("healthCheck", anyOfSpec("Health checks: true, or settings.", typedSpec("", "boolean"),
			closedSpec("",
				keySpec("path", strSpec("The path checked (default /).")),
				keySpec("intervalSeconds", frameworkInt("Seconds between checks (5–300, default 35).")),
				keySpec("timeoutSeconds", frameworkInt("Seconds to wait (2–120, default 30).")),
				keySpec("healthyThresholdCount", frameworkInt("Successes to be healthy (2–10, default 5).")),
				keySpec("unhealthyThresholdCount", frameworkInt("Failures to be unhealthy (2–10, default 5).")),
				keySpec("matcher", closedSpec("", keySpec("httpCode", strSpec("Healthy status codes (default 200)."))))))),
	))
})

// functionEventKind is an event kind stepform compiles: its short (string)
// form, if any, and its object form.
type functionEventKind struct {
	name   string
	short  *Spec
	object *Spec
}

// functionEventKinds are the event kinds stepform compiles, in the
// framework's order.
var functionEventKinds = sync.OnceValue(func() []functionEventKind {
	return []functionEventKind{
		{"sqs", arnSpec(""), FunctionSQSEventSpec()},
		{"stream", arnSpec(""), FunctionStreamEventSpec()},
		{"sns", typedSpec("", "string"), FunctionSNSEventSpec()},
		{"schedule", typedSpec("", "string"), FunctionScheduleEventSpec()},
		{"s3", typedSpec("", "string"), FunctionS3EventSpec()},
		{"eventBridge", nil, FunctionEventBridgeEventSpec()},
		{"cloudwatchEvent", nil, FunctionCloudWatchEventSpec()},
		{"cloudwatchLog", typedSpec("", "string"), FunctionCloudWatchLogEventSpec()},
		{"httpApi", typedSpec("", "string"), FunctionHTTPAPIEventSpec()},
		{"http", typedSpec("", "string"), FunctionHTTPEventSpec()},
		{"websocket", typedSpec("", "string"), FunctionWebsocketEventSpec()},
		{"cognitoUserPool", nil, FunctionCognitoUserPoolEventSpec()},
		{"alb", nil, FunctionALBEventSpec()},
	}
})

var functionEventShortForms = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"sqs":           "A queue ARN, or settings.",
		"stream":        "A stream ARN, or settings.",
		"sns":           "A topic name or ARN, or settings.",
		"schedule":      "rate(...) or cron(...), or settings.",
		"s3":            "A bucket name, or settings.",
		"cloudwatchLog": "A log group name, or settings.",
		"httpApi":       "\"METHOD /path\" or *, or settings.",
		"http":          "\"METHOD path\", or settings.",
		"websocket":     "A route key, or settings.",
	}
})

// FunctionEventSpec is an entry of a function's events: one key naming
// its kind. Other kinds (kafka, iot, ...) are the framework's, which
// stepform leaves to --base.
var FunctionEventSpec = sync.OnceValue(func() *Spec {
	return named("functionEvent", func() *Spec {
		s := openSpec("An event that invokes the function: one key naming its kind.")
		for _, k := range functionEventKinds() {
			v := k.object
			if k.short != nil {
				v = anyOfSpec(functionEventShortForms()[k.name], k.short, k.object)
			}
			s.Keys = append(s.Keys, keySpec(k.name, v))
		}
		return s
	}())
})

// FunctionEventObjectSpec is the object form of the events of kind, nil
// for the kinds stepform does not compile.
func FunctionEventObjectSpec(kind string) *Spec {
	for _, k := range functionEventKinds() {
		if k.name == kind {
			return k.object
		}
	}
	return nil
}

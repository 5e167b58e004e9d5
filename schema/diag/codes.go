package diag

import (
	"regexp"
	"strings"
	"sync"

	"github.com/stepform/stepform/internal/lazyre"
)

// Code is the stable identity of a kind of problem, such as SF1003 for a
// YAML syntax error. Codes never change meaning and are never reused, so
// CI filters, SARIF baselines and documentation links keep working when a
// summary's wording changes.
//
// A diagnostic gets its code from its Summary, which is short and stable:
// each Code lists the summary patterns it covers, where * stands for text
// that varies (a key, a path, a state name). Keeping the table here, rather
// than at every call site, lets the whole list be read and documented in
// one place (docs/diagnostics.md is generated from it).
//
// A new diagnostic either fits the pattern of an existing code or gets a
// new code in its concern's range (Concerns), after the last one there;
// then go test ./schema/diag -run TestDocsInSync -update. Tests fail for a
// summary, in a fixture or in the source, that no pattern covers.
type Code struct {
	ID       string   // SF and four digits; the first digit is the concern
	Title    string   // a short name for the problem
	Help     string   // what it means and how to fix it, in a sentence or two
	Patterns []string // the summaries it covers; * matches any text
}

// Concerns name the code ranges: each the first digits of its codes.
var Concerns = []struct{ Prefix, Name string }{
	{"SF1", "Loading and YAML"},
	{"SF2", "Variables"},
	{"SF3", "Service schema: stepFunctions, state machines and value types"},
	{"SF40", "Definitions: structure and transitions"},
	{"SF41", "Definitions: state fields"},
	{"SF42", "Definitions: Choice rules"},
	{"SF43", "Definitions: Retry and Catch"},
	{"SF44", "Definitions: paths, payload templates and JSONata"},
	{"SF45", "Definitions: Map and Parallel"},
	{"SF49", "Definitions: what Step Functions' own validation warns about (ValidateStateMachineDefinition), and its JSONata limits"},
	{"SF5", "IAM and service integrations"},
	{"SF6", "HTTP endpoints (API Gateway)"},
	{"SF7", "Schedules and event rules"},
	{"SF80", "Alarms"},
	{"SF81", "Notifications"},
	{"SF9", "Template assembly"},
	{"SF95", "Functions and packaging"},
	{"SF96", "Function events"},
}

// Codes is every code, in ascending order.
var Codes = []Code{
	// Loading and YAML.
	{"SF1001", "Unreadable configuration", "The configuration file could not be read. Check the path given with --config and its permissions.", []string{"cannot read configuration"}},
	{"SF1002", "File too large", "A configuration or definition file is larger than stepform reads. Split it, or keep large data out of serverless.yml.", []string{"file too large"}},
	{"SF1003", "YAML syntax error", "The file is not valid YAML. Fix the syntax at the reported line (indentation, a missing colon, an unclosed quote or bracket).", []string{"YAML syntax error"}},
	{"SF1004", "Several YAML documents", "serverless.yml holds one YAML document; a second '---' starts another. Remove it.", []string{"more than one YAML document"}},
	{"SF1005", "Too many values", "A file holds more values than stepform reads, or its YAML aliases expand into too many (a billion-laughs pattern). Reduce the file or its aliases.", []string{"too many values", "too many values after expanding aliases", "file holds too many values"}},
	{"SF1006", "Document nested too deeply", "Values nest deeper than stepform accepts. Flatten the structure.", []string{"document nested too deeply"}},
	{"SF1007", "Recursive alias", "A YAML alias refers to the node that contains it. Break the cycle.", []string{"alias refers to itself"}},
	{"SF1008", "Unknown YAML tag", "The tag is neither a CloudFormation short form (!Ref, !GetAtt, !Sub, ...) nor a YAML type. Check its spelling.", []string{"unknown tag *"}},
	{"SF1009", "Malformed intrinsic function", "A CloudFormation intrinsic function (or its short-form tag) has no value or the wrong form, e.g. !GetAtt without LogicalId.Attribute.", []string{"empty *", "malformed !GetAtt", "malformed Fn::*", "malformed Ref", "malformed *"}},
	{"SF1010", "Duplicate key", "A mapping has the same key twice; YAML loaders disagree on which wins. Keep one.", []string{"duplicate key \"*\""}},
	{"SF1011", "Invalid merge key", "A YAML merge key (<<) takes a mapping or a list of mappings.", []string{"merge key needs a mapping"}},
	{"SF1012", "Non-scalar key", "Mapping keys must be plain strings or numbers.", []string{"key is not a scalar"}},
	{"SF1013", "Configuration is not a mapping", "serverless.yml is a mapping of keys such as service, provider and stepFunctions.", []string{"configuration is not a mapping"}},
	{"SF1014", "Missing service name", "Every service needs a top-level service: name.", []string{"missing service name"}},
	{"SF1015", "JSON syntax error", "A JSON file read through ${file(...)} or --base is not valid JSON.", []string{"JSON syntax error", "unexpected text after the JSON value"}},
	{"SF1016", "Invalid base template", "--base takes a CloudFormation template: a JSON or YAML mapping.", []string{"base template is not a mapping"}},
	{"SF1017", "Unreadable template", "A template given to stepform diff could not be read. Check its path and permissions.", []string{"cannot read template"}},
	{"SF1018", "Not a template", "stepform diff compares CloudFormation templates: JSON or YAML mappings with Resources.", []string{"not a template"}},

	// Variables.
	{"SF2001", "Invalid variable syntax", "A ${...} variable is malformed: check its braces and its source:address form.", []string{"invalid variable syntax"}},
	{"SF2002", "Variables nested too deeply", "Variables refer to variables too many levels deep.", []string{"variables nested too deeply"}},
	{"SF2003", "Variables expand too much", "Resolving the variables produces more text than stepform accepts.", []string{"variables expand too much"}},
	{"SF2004", "Non-string variable embedded in a string", "A variable that resolves to an object or list cannot be part of a longer string.", []string{"cannot embed * in a string"}},
	{"SF2005", "Unknown variable source", "The variable's source is not one the framework knows (self, opt, env, param, sls, file, ssm, cf, s3, aws, ...).", []string{"unknown variable source \"*\""}},
	{"SF2006", "Unresolvable variable", "The variable names something that does not exist and has no fallback. Fix the address or add a default: ${self:x, 'default'}.", []string{"cannot resolve *"}},
	{"SF2007", "Variable needs AWS", "The variable needs AWS or running code to resolve. Supply its value with --var, or give it an offline default.", []string{"cannot resolve * offline"}},
	{"SF2008", "Non-deterministic variable", "${sls:instanceId} changes on every run, so the output would too.", []string{"${sls:instanceId} is not deterministic"}},
	{"SF2009", "Circular variable reference", "Variables refer to each other in a loop. Break the cycle.", []string{"circular variable reference: *"}},
	{"SF2010", "File outside the service", "${file(...)} reads a file outside the service folder, which the framework resolves differently when deployed from elsewhere.", []string{"${file(*)} reads outside the service folder"}},

	// Service schema.
	{"SF3001", "Unknown key", "The key is not one this block accepts; it is most likely misspelt. The diagnostic lists the keys allowed.", []string{"unknown key \"*\" in *", "unknown top-level key \"*\""}},
	{"SF3002", "Wrong value type", "The value has the wrong type or form for its key; the diagnostic says what is expected.", []string{"* must be *", "* must be a list", "* must be a map", "* must be an object", "* must be a string", "* must be a number", "* must be a non-empty string", "* must be true or false", "tag value must be a string", "definition cannot be an intrinsic function", "an activity must be a non-empty string (the activity name)"}},
	{"SF3003", "Value out of range", "The number is outside the range the service accepts.", []string{"* is out of range", "* must be a whole number from * to *", "* out of range"}},
	{"SF3004", "Empty stepFunctions", "stepFunctions needs a stateMachines block that maps names to state machines.", []string{"stepFunctions is empty", "stepFunctions has no stateMachines", "no state machines", "no stepFunctions block"}},
	{"SF3005", "Unknown state machine type", "A state machine's type is STANDARD or EXPRESS.", []string{"unknown state machine type \"*\""}},
	{"SF3006", "Missing definition", "Every state machine needs a definition.", []string{"state machine \"*\" has no definition"}},
	{"SF3007", "Role and iamRoleStatements together", "iamRoleStatements extend the role stepform builds; with role: the machine uses your role and the statements would be ignored.", []string{"role and iamRoleStatements together"}},
	{"SF3008", "Not an ARN", "The value must be an ARN (arn:partition:service:region:account:resource) or an intrinsic function that gives one.", []string{"* is not an ARN", "* must be an IAM role ARN"}},
	{"SF3009", "Invalid IAM Effect", "An IAM statement's Effect is Allow or Deny.", []string{"Effect must be Allow or Deny"}},
	{"SF3010", "Definition string is not JSON", "A definition given as a string must hold a JSON object.", []string{"definition string is not a JSON object"}},
	{"SF3011", "Invalid logging level", "loggingConfig.level is ALL, ERROR, FATAL or OFF.", []string{"loggingConfig.level must be ALL, ERROR, FATAL or OFF"}},
	{"SF3012", "Ignored event", "The event type is not one serverless-step-functions compiles for a state machine; it is ignored.", []string{"event ignored", "* events are ignored", "httpApi events of state machines are ignored"}},
	{"SF3013", "Invalid value", "The value is not one the key accepts; the diagnostic says which are.", []string{"invalid *", "invalid * \"*\""}},
	{"SF3014", "Empty value", "The key is given but empty.", []string{"* is empty"}},
	{"SF3015", "Empty tag value", "The tag's value is empty (or becomes empty, as false and 0 do in plugin mode).", []string{"tag \"*\" has an empty value"}},
	{"SF3016", "No state machine", "The command works on state machines, and the service defines none under stepFunctions.stateMachines.", []string{"the service has no state machines"}},
	{"SF3017", "Invalid log retention", "loggingConfig.retentionInDays is one of the periods CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 days.", []string{"loggingConfig.retentionInDays is not a CloudWatch Logs retention period"}},
	{"SF3018", "Log retention without a log group", "retentionInDays sets the retention of the log group stepform creates for a loggingConfig with a level and no destinations; with level OFF or your own destinations it does nothing.", []string{"retentionInDays has no effect"}},
	{"SF3019", "retentionInDays in plugin mode", "loggingConfig.retentionInDays is stepform's own key, which serverless-step-functions' schema rejects. Remove it, or compile in the default mode.", []string{"loggingConfig.retentionInDays is stepform's own key"}},

	// Definitions: structure and transitions.
	{"SF4001", "Missing StartAt", "A state machine, Parallel branch or Map processor needs StartAt: the name of its first state.", []string{"* has no StartAt"}},
	{"SF4002", "Missing States", "A state machine, branch or processor needs States with at least one state.", []string{"* has no States", "States is empty", "States must be an object"}},
	{"SF4003", "Transition to an unknown state", "StartAt, Next or Default names a state that does not exist in this States block.", []string{"* names no state \"*\""}},
	{"SF4004", "Transition across scopes", "A state can only go to states of its own States block, not into or out of a Parallel branch or Map processor.", []string{"* \"*\" is in another scope"}},
	{"SF4005", "Duplicate state name", "State names are unique in the whole state machine, branches and processors included.", []string{"duplicate state name \"*\""}},
	{"SF4006", "No terminal state", "No state ends the execution: add End: true or a Succeed or Fail state.", []string{"no terminal state"}},
	{"SF4007", "Endless loop", "No path from StartAt reaches a state that ends the execution.", []string{"no terminal state is reachable from StartAt"}},
	{"SF4008", "Unreachable state", "No transition leads to the state. Remove it or point a Next, Default or Catch at it.", []string{"state \"*\" is unreachable"}},
	{"SF4009", "Unknown state type", "Type is Task, Pass, Choice, Wait, Succeed, Fail, Parallel or Map.", []string{"state \"*\" has no Type", "unknown state type \"*\"", "state \"*\" must be an object"}},
	{"SF4010", "Next and End", "A state that does not end the execution needs Next; one that ends it has End: true; never both.", []string{"state \"*\" has both Next and End", "state \"*\" has neither Next nor End", "End must be true"}},
	{"SF4011", "Invalid state name", "State names are 1 to 80 characters and avoid control characters.", []string{"invalid state name"}},
	{"SF4012", "Definition is a string", "With validate: true the plugin validates the definition as written and rejects a string.", []string{"definition is a string"}},

	// Definitions: state fields.
	{"SF4101", "Unknown field", "The field is not allowed in this state type or object; it is most likely misspelt.", []string{"unknown field \"*\" in *", "unknown field \"*\" in * state"}},
	{"SF4102", "Exclusive fields", "Two fields that each set the same thing are given together; keep one.", []string{"* and * are exclusive"}},
	{"SF4103", "Field not allowed here", "The field does not belong to a state of this type or query language (JSONPath states use Parameters/ResultSelector/ResultPath, JSONata states Arguments/Output).", []string{"* is not allowed in a * * state", "* is not allowed in a * catcher"}},
	{"SF4104", "Wait without a duration", "A Wait state needs exactly one of Seconds, SecondsPath, Timestamp and TimestampPath.", []string{"Wait state \"*\" needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath"}},
	{"SF4105", "Heartbeat not below timeout", "HeartbeatSeconds must be less than TimeoutSeconds.", []string{"HeartbeatSeconds must be less than TimeoutSeconds"}},
	{"SF4106", "Task without Resource", "A Task state (and an ItemReader or ResultWriter) needs a Resource ARN.", []string{"Task state without a Resource", "* has no Resource"}},
	{"SF4107", "Invalid Resource", "Resource is an ARN, e.g. arn:aws:states:::lambda:invoke, or an intrinsic function that gives one.", []string{"Resource is not an ARN", "Resource is not a literal ARN", "Resource must be a string", "Resource must be a string or an intrinsic function"}},
	{"SF4108", "Invalid timestamp", "Timestamp is an RFC 3339 date-time such as 2030-01-01T00:00:00Z.", []string{"Timestamp is not an RFC 3339 date-time"}},
	{"SF4109", "Invalid query language", "QueryLanguage is JSONPath or JSONata.", []string{"QueryLanguage must be JSONPath or JSONata"}},
	{"SF4110", "Invalid wait duration", "Seconds is a whole number of seconds from 0 to 99999999.", []string{"Seconds must be a whole number of seconds up to 99999999"}},
	{"SF4111", "Choice state cannot end", "A Choice state transitions through its rules and Default; it cannot have End.", []string{"a Choice state cannot end the execution"}},

	// Definitions: Choice rules.
	{"SF4201", "Choice state without rules", "A Choice state needs a non-empty Choices list.", []string{"Choice state \"*\" has no Choices", "Choices is empty", "Choices must be a list"}},
	{"SF4202", "Malformed Choice rule", "A top-level Choice rule has Next and exactly one comparison (with Variable) or And/Or/Not; nested rules have no Next.", []string{"a Choice rule has more than one operator", "a Choice rule has no Variable", "a Choice rule has no comparison", "a Choice rule has no Next", "a Choice rule must be an object", "a JSONata Choice rule has no Condition", "Variable is not allowed next to *", "* is not allowed in a nested Choice rule", "nested list item must be an object"}},
	{"SF4203", "Wrong comparison operand", "The comparison operator takes a value of another type (a string, a number, a boolean or a timestamp).", []string{"* takes a string", "* takes a number", "* takes true or false", "* takes a literal", "* takes an RFC 3339 timestamp"}},

	// Definitions: Retry and Catch.
	{"SF4301", "Retrier or catcher without ErrorEquals", "Every retrier and catcher needs a non-empty ErrorEquals list.", []string{"a * has no ErrorEquals", "ErrorEquals is empty", "ErrorEquals must be a list", "a retrier must be an object", "a catcher must be an object", "Retry must be a list", "Catch must be a list"}},
	{"SF4302", "States.ALL misplaced", "States.ALL must be alone in its ErrorEquals and in the last retrier or catcher.", []string{"States.ALL must be alone in ErrorEquals", "States.ALL must be in the last *"}},
	{"SF4303", "Catcher without Next", "A catcher needs Next: the state to go to when it catches an error.", []string{"a catcher has no Next"}},
	{"SF4304", "Invalid retry setting", "BackoffRate is at least 1.0; JitterStrategy is FULL or NONE; MaxDelaySeconds is a number.", []string{"BackoffRate must be at least 1.0", "JitterStrategy must be FULL or NONE", "MaxDelaySeconds must be a number"}},
	{"SF4305", "Invalid error name", "Error names are strings; States.* names are the ones Step Functions defines.", []string{"an error name must be a string", "unknown error name \"*\""}},

	// Definitions: paths, payload templates and JSONata.
	{"SF4401", "Invalid path", "A path starts with $ (the input), $$ (the context object) or $name (a variable); a Reference Path selects one value.", []string{"invalid path in \"*\"", "\"*\" must be a path", "* must be a path", "invalid *Path \"*\"", "invalid *Path", "invalid Variable \"*\""}},
	{"SF4402", "Duplicate payload field", "Two keys of a payload template name the same field once .$ is stripped.", []string{"duplicate field \"*\" in *"}},
	{"SF4403", "Value asl-validator rejects", "asl-validator (run by validate: true) rejects this value in a payload template.", []string{"null in a list of a payload template", "string not accepted in *"}},
	{"SF4404", "Invalid JSONata", "The JSONata expression does not parse, or is not wrapped as {% ... %}.", []string{"invalid JSONata expression in *", "empty JSONata expression", "JSONata expression not in the form asl-validator accepts", "* must be a JSONata expression", "* must be a JSONata expression or an object", "empty or multi-line string in a JSONata state", "Items must be a list or a JSONata expression"}},

	// Definitions: Map and Parallel.
	{"SF4501", "Map without processor", "A Map state needs ItemProcessor (or the older Iterator).", []string{"Map state without ItemProcessor"}},
	{"SF4502", "Distributed Map settings", "A DISTRIBUTED Map's ProcessorConfig needs ExecutionType STANDARD or EXPRESS; Mode is INLINE or DISTRIBUTED.", []string{"a DISTRIBUTED Map needs an ExecutionType", "ExecutionType must be STANDARD or EXPRESS", "ProcessorConfig Mode must be INLINE or DISTRIBUTED"}},
	{"SF4503", "Parallel without branches", "A Parallel state needs a non-empty Branches list.", []string{"Parallel state \"*\" has no Branches", "Branches is empty", "Branches must be a list"}},

	// Definitions: Step Functions' own validation warnings.
	{"SF4901", "NO_DOLLAR: path without .$", "Step Functions' NO_DOLLAR: the value looks like a JSONPath or an intrinsic function, but its key does not end in .$, so it is passed on as a literal string. Add .$ to the key, or keep it if the literal is meant.", []string{"NO_DOLLAR: *"}},
	{"SF4902", "NO_PATH: path in a field that takes no path", "Step Functions' NO_PATH: the field's value looks like a path, but the field's name does not end in Path, so it is not read as one. Use the field's Path variant (e.g. SecondsPath, ErrorPath).", []string{"NO_PATH: *"}},
	{"SF4903", "PASS_RESULT_IS_STATIC: path in a Pass state's Result", "Step Functions' PASS_RESULT_IS_STATIC: Result is static, so a .$ key or path in it is not evaluated. Use Parameters to build the output from the input.", []string{"PASS_RESULT_IS_STATIC: *"}},
	{"SF4904", "$eval in JSONata", "Step Functions implements JSONata 2.0.6 without $eval; an expression that calls it fails when the state runs. Use $parse.", []string{"$eval is not available in Step Functions' JSONata"}},
	{"SF4905", "JSONata 2.1 operator", "Step Functions implements JSONata 2.0.6, without the ?? and ?: operators of JSONata 2.1. Write $exists(a) ? a : b.", []string{"JSONata operator * is not available in Step Functions"}},

	// IAM and service integrations.
	{"SF5001", "No permission inferred", "stepform (like the plugin) infers no IAM permission for this Resource; add what it needs with iamRoleStatements.", []string{"no IAM permission inferred for this integration"}},
	{"SF5002", "Plugin crashes on this task", "serverless-step-functions throws while building the execution role for this task; give the machine a role: of its own or fix the task.", []string{"serverless-step-functions crashes on this task"}},
	{"SF5003", "DynamoDB task without a table", "A DynamoDB task needs TableName (or RequestItems for batch calls) to scope its permission.", []string{"DynamoDB task without TableName", "DynamoDB batch task without RequestItems"}},
	{"SF5004", "Unknown Step Functions action", "The http event's action is not a Step Functions API action.", []string{"unknown Step Functions action \"*\""}},
	{"SF5005", "Action cannot be scoped", "The action does not act on one state machine, so the endpoint's role cannot be limited to it.", []string{"action * cannot be scoped to this state machine"}},
	{"SF5006", "Endpoint role permissions", "The endpoint's iamRole lacks a permission the integration needs, or grants more than it needs.", []string{"iamRole * allows * on every state machine", "iamRole * does not allow *", "iamRole * cannot decrypt the execution output"}},
	{"SF5007", "KMS key alias", "An alias cannot scope kms:Decrypt in a policy; give the key's ARN.", []string{"KMS key for the API role given as an alias"}},
	{"SF5008", "StartSyncExecution on a STANDARD machine", "Synchronous executions need an EXPRESS state machine.", []string{"StartSyncExecution on a STANDARD state machine"}},
	{"SF5009", "Permission without a resource", "An inferred IAM permission would have no resource to apply to; give the task's target explicitly.", []string{"the task's IAM permission has no resource"}},

	// HTTP endpoints.
	{"SF6001", "Invalid http event", "An http event is \"METHOD path\" or an object with method and path.", []string{"invalid http event", "malformed http shorthand", "missing or invalid http path", "missing or invalid http method", "invalid http method \"*\""}},
	{"SF6002", "Invalid http path", "API Gateway paths are segments of letters, digits and -._~ with {param} or a final {proxy+}.", []string{"invalid http path \"*\"", "invalid character in http path \"*\"", "greedy path parameter * is not last", "invalid path parameter name *"}},
	{"SF6003", "Duplicate endpoint", "Two http events have the same method and path.", []string{"* /* is already an http event"}},
	{"SF6004", "Unknown http setting", "The key is not one this http event block accepts; it is most likely misspelt.", []string{"unknown http event key \"*\"", "unknown cors key \"*\"", "unknown authorizer key \"*\"", "unknown envelope key \"*\""}},
	{"SF6005", "CORS settings", "cors takes origin or origins, headers as a list and a positive maxAge; endpoints of one API share their CORS gateway responses.", []string{"cors has both origin and origins", "cors headers must be a list", "invalid cors", "invalid cors maxAge", "cors.cacheControl is ignored", "endpoints allow different CORS origins", "no CORS gateway responses on a shared API", "--base: * holds CORS settings of a state machine's endpoint"}},
	{"SF6006", "Authorizer settings", "authorizer is aws_iam, a function name, an ARN, or an object with name or arn and a valid type.", []string{"invalid authorizer", "invalid authorizer type", "authorizer needs a name", "authorizer needs a name or arn", "authorizerId is ignored with type AWS_IAM", "unknown authorizer function \"*\"", "no invoke permission for authorizer *", "Cognito claims need integration: lambda"}},
	{"SF6007", "Unauthenticated endpoint", "The endpoint has no authorizer, API key or IAM auth: anyone can start executions. Add one, or say public: true.", []string{"endpoint has no authentication", "endpoint is both public and private", "public must be true or false"}},
	{"SF6008", "stepform-only key in plugin mode", "The key is a stepform extension that serverless-step-functions does not know.", []string{"* is a stepform key"}},
	{"SF6009", "Execution response settings", "errorStatusCodes, errorDetails, asyncStatusCode and envelope shape what a client gets back; they need an action that starts an execution, and some need StartSyncExecution.", []string{"* needs action: StartSyncExecution", "* needs an action that starts an execution", "* is ignored with responses", "asyncStatusCode on a synchronous endpoint", "asyncStatusCode is 200 or 202", "invalid error name \"*\"", "invalid error status code", "invalid errorDetails entry \"*\"", "invalid envelope", "invalid header name \"*\""}},
	{"SF6010", "Data exposure", "The endpoint passes request or execution data further than expected: headers into the execution input, or execution causes to clients.", []string{"forwarding * into the execution input", "execution causes are sent to clients", "lambda_proxy forwards every header into the execution input"}},
	{"SF6011", "Asynchronous call to an EXPRESS machine", "StartExecution on an EXPRESS machine returns before the work is done and keeps no execution history to poll.", []string{"asynchronous StartExecution on an EXPRESS machine"}},
	{"SF6012", "Integration timeout", "A synchronous endpoint must finish within the integration timeout (29 s unless raised): set the machine's TimeoutSeconds below it.", []string{"sync machine has no TimeoutSeconds", "TimeoutSeconds is not below the integration timeout", "timeoutInMillis above 29000 needs a quota increase", "timeoutInMillis above 29000 on an EDGE API"}},
	{"SF6013", "Request or response template", "A mapping template would not do what the endpoint needs: it mis-escapes input, lets a client pick the state machine, or misses execution statuses.", []string{"request template does not fix stateMachineArn", "* escapes without the apostrophe fix", "* puts request data into a JSON string unescaped", "sync response template does not handle *", "* executions will answer 200", "template post-processes assembled user data", "invalid request template", "VTL formal reference inside Fn::Sub"}},
	{"SF6014", "Request and response settings", "The http event's request or responses settings are not applied, or name something that does not exist.", []string{"unknown request schema \"*\"", "request.parameters is ignored", "responses have no default", "invalid integration \"*\""}},
	{"SF6015", "API Gateway provider settings", "provider.apiGateway and endpointType settings the plugin does not support or that conflict.", []string{"endpointType must be a string", "invalid endpointType \"*\"", "vpcEndpointIds need a private API", "provider.apiGateway.* is not applied", "invalid API key", "a list of usage plans is not supported", "per-usage-plan API keys are not supported", "API key group \"*\" has no usage plan", "API key outside the usage plans"}},
	{"SF6016", "Shared API resources", "With a shared restApiId, every path's parent needs its resource ID in restApiResources.", []string{"resource ID for path * is required", "no API Gateway resource for path *", "restApiResources entry * has no resourceId"}},
	{"SF6017", "Invalid state machine HTTP API route", "A state machine's httpApi event is \"METHOD /path\" or {method, path, action, authorizer}: a method API Gateway knows, a path starting with /, action StartExecution or StartSyncExecution, a route no function or other machine has, and an authorizer that is aws_iam or one the functions' HTTP API compiles.", []string{"state machine \"*\": httpApi event is neither \"METHOD /path\" nor an object", "state machine \"*\": httpApi event: unknown key \"*\"", "state machine \"*\": httpApi event has no path", "state machine \"*\": httpApi event: invalid path \"*\"", "state machine \"*\": httpApi event: path \"*\" takes no method", "state machine \"*\": httpApi event has no method", "state machine \"*\": httpApi event: invalid method \"*\"", "state machine \"*\": httpApi event: unknown action \"*\"", "state machine \"*\": httpApi event: route \"*\" is also a function's", "state machine \"*\": httpApi event: duplicate route \"*\"", "state machine \"*\": httpApi event: an aws_iam authorizer takes no other settings", "state machine \"*\": httpApi event references not configured authorizer \"*\""}},
	{"SF6018", "HTTP API synchronous result", "An HTTP API's StepFunctions-StartSyncExecution integration answers 200 whatever the execution's status, with the output as a JSON string inside StartSyncExecution's response, and ends the request after 30 seconds. A REST http event with action: StartSyncExecution maps failures to error statuses and returns the bare output.", []string{"state machine \"*\": an HTTP API cannot report a failed execution"}},

	// Schedules and event rules.
	{"SF7001", "Invalid schedule", "A schedule is a rate(...) or cron(...) string, or an object with rate and optional settings.", []string{"schedule must be a string or an object", "schedule has no rate", "schedule is empty", "schedule rate must be a string", "unknown schedule method *", "a named schedule has several rates", "the plugin joins a list of rates into one expression"}},
	{"SF7002", "Invalid schedule expression", "rate(N unit) with a singular unit for 1, cron(six fields) with ? in day-of-month or day-of-week, or at(yyyy-mm-ddThh:mm:ss).", []string{"invalid rate expression \"*\"", "invalid rate unit \"*\"", "invalid rate value \"*\"", "rate(* *) needs the singular unit", "rate(* *) needs the plural unit", "invalid cron expression \"*\"", "invalid schedule expression \"*\"", "invalid at() time \"*\""}},
	{"SF7003", "Scheduler-only setting", "Some settings work only with method: scheduler (EventBridge Scheduler), others only without it.", []string{"inputTransformer does not work with method: scheduler", "inputPath does not work with method: scheduler", "timezone works only with method: scheduler", "at() works only with method: scheduler"}},
	{"SF7004", "Invalid time zone", "timezone is an IANA time zone name such as Europe/Paris.", []string{"unknown time zone \"*\"", "timezone must be a time zone name"}},
	{"SF7005", "Conflicting input settings", "input, inputPath and inputTransformer each set the target input; give one.", []string{"input, inputPath and inputTransformer exclude each other"}},
	{"SF7006", "Input transformer", "inputTransformer needs an inputTemplate string and an inputPathsMap object.", []string{"inputTransformer has no inputTemplate", "inputTransformer needs an inputTemplate string", "inputTransformer must be an object", "inputPathsMap must be an object"}},
	{"SF7007", "Invalid event rule", "An eventBridge (or cloudwatchEvent) event needs an event pattern object.", []string{"event rule must be an object", "event rule has no event pattern", "event pattern must be an object"}},
	{"SF7008", "Plugin cannot compile the event", "serverless-step-functions throws on this schedule or event rule, or writes broken JSON for it.", []string{"the plugin cannot compile this event rule", "the plugin cannot compile this schedule", "the plugin crashes on this *"}},

	// Alarms.
	{"SF8001", "Alarms without topics or metrics", "alarms needs topics (ok, alarm, insufficientData ARNs) and a non-empty metrics list.", []string{"alarms needs topics", "alarms needs metrics", "alarms.metrics is empty", "alarms.metrics must be a list", "alarms.topics must be an object", "alarms.topics names no topic"}},
	{"SF8002", "Unknown alarm metric", "Metrics are executionThrottled, executionsAborted, executionsFailed, executionsTimedOut and executionsSucceeded.", []string{"unknown alarm metric \"*\"", "alarms metric has no metric name"}},
	{"SF8003", "Unknown nameTemplate variable", "alarms.nameTemplate knows $[stateMachineName], $[cloudWatchMetricName] and $[metricName].", []string{"unknown variable $[*] in alarms.nameTemplate"}},

	// Notifications.
	{"SF8101", "Notifications on an EXPRESS machine", "Execution status change events are emitted for STANDARD machines only.", []string{"notifications do not work with EXPRESS machines"}},
	{"SF8102", "Invalid notification target", "A notification target is an object with one destination (sns, sqs, kinesis, firehose, lambda, stepFunctions) and its settings.", []string{"notification target must be an object", "notification target has no destination", "notifications.* must be a list of targets", "sqs target needs a queue ARN string or Fn::GetAtt", "sqs target has no messageGroupId", "sqs target has no arn", "kinesis target has no arn", "kinesis target has no partitionKeyPath"}},

	// Template assembly.
	{"SF9001", "Cannot extend resource", "resources.extensions names a resource or attribute stepform does not create.", []string{"cannot extend \"*\"", "cannot extend \"*\" of \"*\""}},
	{"SF9002", "Reference to an undefined resource", "The value refers to a logical ID that is neither created by stepform nor in resources: or --base.", []string{"* is not defined in the template"}},
	{"SF9003", "Fn::Sub placeholder", "${...} in a definition becomes an Fn::Sub reference in the template; write ${!Name} for a literal ${Name}.", []string{"Fn::Sub reads * as a reference"}},
	{"SF9004", "Invalid logical ID", "CloudFormation logical IDs are letters and digits only; the name gives another character.", []string{"invalid logical ID \"*\""}},
	{"SF9005", "useExactVersion needs the framework's template", "useExactVersion refers to function versions the framework creates; pass its template with --base.", []string{"useExactVersion needs --base"}},
	{"SF9006", "Logical ID collision", "Two resources get the same logical ID, or one collides with a resource of resources: or --base. Rename one of them, or set id:.", []string{"logical ID \"*\" is generated twice", "logical ID \"*\" is taken in the --base template", "logical ID \"*\" is taken in the framework's template (from functions:)", "logical ID \"*\" is taken in *", "event resource IDs * are generated twice", "resource \"*\" collides with a generated one"}},
	{"SF9007", "Circular dependency", "Resources depend on each other in a loop (through DependsOn, Ref or Fn::GetAtt); CloudFormation cannot create them.", []string{"circular dependency between resources"}},
	{"SF9008", "Unknown attribute", "Fn::GetAtt names an attribute the resource type does not have.", []string{"* has no attribute \"*\""}},
	{"SF9009", "Too many resources", "CloudFormation allows at most 500 resources in one stack. Move some into a nested stack or a separate service.", []string{"the template has * resources"}},
	{"SF9010", "Template too large", "CloudFormation accepts a template of at most 1 MB from S3. Move resources into a nested stack, or shorten large definitions.", []string{"the template is * bytes"}},

	// Functions and packaging: the framework's own half.
	{"SF9550", "Handler and image", "A function runs code from a zip (handler) or a container image (image): exactly one of them.", []string{"function \"*\" has both handler and image", "function \"*\" has neither handler nor image"}},
	{"SF9551", "Handler file not found", "The handler's file is not in the service folder, so the zip would not hold it. Fix the handler's path or add the file.", []string{"handler file for \"*\" not found"}},
	{"SF9552", "Unknown runtime", "Serverless Framework v3 does not list the runtime; it deploys it as written. Check the spelling.", []string{"runtime \"*\" is not one Serverless Framework v3 knows"}},
	{"SF9553", "Invalid role", "A function or provider role is an ARN, a logical ID, Fn::GetAtt, Fn::ImportValue or Fn::Sub; provider.iam.role may instead hold the generated role's settings.", []string{"* is not a role", "provider.iam.role cannot be a Ref", "unknown key \"*\" in provider.iam.role", "invalid role name"}},
	{"SF9554", "Invalid name or description", "IAM role names and Lambda function names have at most 64 characters (function names only letters, digits, - and _), descriptions 256; the framework writes them as given. Set a valid name.", []string{"function name too long", "the default Lambda role name is too long", "invalid function name", "function description too long"}},
	{"SF9555", "SnapStart with provisioned concurrency", "Lambda does not support both on one function. Remove one of them.", []string{"function \"*\" has both snapStart and provisionedConcurrency"}},
	{"SF9556", "File system without a VPC", "A function reaches EFS only from inside a VPC: give it (or the provider) vpc settings.", []string{"function \"*\": fileSystemConfig needs a VPC"}},
	{"SF9557", "Unknown destination", "A destination is an ARN of a Lambda function, SQS queue, SNS topic or EventBridge bus, {arn, type}, or a function of the service.", []string{"destination \"*\" is not a function of this service", "unsupported destination"}},
	{"SF9558", "Needs the framework's template", "The framework builds this with AWS, Docker or a plugin stepform does not reproduce. Run sls package and pass its template with --base.", []string{"function \"*\": image needs a digest", "lambdaHashingVersion 20200924 is not supported", "plugin * changes what sls package builds", "S3 artifacts are not supported"}},
	{"SF9559", "Unknown plugin", "stepform does not know the plugin. If it changes the template or the code zips, pass the framework's template with --base.", []string{"unknown plugin *"}},
	{"SF9560", "Missing code artifact", "A function's or layer's code zip is not there (a package.artifact that does not exist, package.disable with nothing in its place), so its S3 key and hashes are unknown. Build the artifact, or let stepform package zip the code.", []string{"no code artifact for function \"*\"", "no code artifact for layer \"*\"", "cannot read the zip of layer \"*\"", "cannot access package artifact", "function * has no code"}},
	{"SF9561", "Unknown function setting", "Serverless Framework v3 does not know the function setting and ignores it. Check its spelling.", []string{"unknown key \"*\" in function \"*\""}},
	{"SF9562", "Cannot package", "The files of a zip cannot be selected: no file matches the patterns, a layer has no usable path, or a file cannot be read. Fix package.patterns or the layer's path.", []string{"cannot package function *", "cannot package the service", "cannot package layer *", "layer * has no usable path", "cannot package custom-resources.zip"}},
	{"SF9563", "Function patterns ignored", "A function's package.patterns apply only when it is packaged individually; the framework ignores them otherwise. Set package.individually, or move the patterns to the service.", []string{"function package patterns are ignored"}},
	{"SF9564", "Two zips with one name", "An individually packaged function's zip would have the shared zip's name, and one would overwrite the other. Rename the function or the service.", []string{"two zips named *"}},
	{"SF9565", "custom-resources.zip outside .serverless", "sls deploy uploads custom-resources.zip, the code of the framework's custom resource functions, from the service's .serverless folder only. Package into .serverless, or copy the zip there before deploying.", []string{"sls deploy does not upload this package's custom-resources.zip"}},

	// Function events.
	{"SF9601", "Function event kind not compiled", "stepform does not compile this kind of function event; without --base it would be missing from the stack. Run sls package and pass its template with --base.", []string{"stepform does not compile * events (function \"*\")", "stepform does not compile * of http events"}},
	{"SF9602", "Not a function event", "Each entry of a function's events: is an object with one key, the event's kind (sqs, stream, sns, schedule, s3, eventBridge, cloudwatchEvent, cloudwatchLog, ...).", []string{"function \"*\": events entry * is not an event", "function \"*\": unknown event \"*\"", "function \"*\": empty * event"}},
	{"SF9603", "Incomplete function event", "The event lacks a setting the framework needs to compile it (a queue or stream ARN, a stream type, a topic name, a bucket name, a rate, a pattern, a log group).", []string{"function \"*\": the * event needs *", "function \"*\": a stream event given by an intrinsic needs type", "function \"*\": the stream's onFailure destination needs type", "function \"*\": startingPosition AT_TIMESTAMP needs startingPositionTimestamp", "function \"*\": an sns event with an intrinsic arn needs topicName", "function \"*\": the sns event is neither a topic name nor an ARN", "function \"*\": redrivePolicy needs a dead-letter queue"}},
	{"SF9604", "Conflicting event settings", "The event combines settings the framework or AWS does not accept together. Keep one of them.", []string{"function \"*\": * event has one of input, inputPath and inputTransformer", "function \"*\": a schedule with several rates cannot have a name", "function \"*\": * is not supported with method: scheduler", "function \"*\": timezone needs method: scheduler", "* above 10 needs maximumBatchingWindow", "a FIFO queue takes no batching window"}},
	{"SF9605", "Event text the framework cannot read", "The framework pastes this value into JSON text and parses it, and the backslashes or quotes in it break that text.", []string{"function \"*\": the framework cannot read this *"}},
	{"SF9606", "Invalid event resource name", "The bucket or topic name breaks the service's naming rules.", []string{"invalid bucket name \"*\"", "invalid SNS topic name \"*\"", "invalid Cognito user pool name \"*\"", "invalid target group name \"*\"", "SNS topic \"*\": a FIFO topic cannot trigger Lambda"}},
	{"SF9607", "Too many subscription filters", "CloudWatch Logs allows two subscription filters per log group.", []string{"more than 2 subscription filters on log group \"*\""}},
	{"SF9608", "Shared event resource of a conditional function", "A topic or bucket the events create is unconditional but names a function with a condition; it fails to deploy when the condition is false.", []string{"function \"*\" has a condition, and * names it"}},
	{"SF9609", "Invalid HTTP API route", "An httpApi event is \"METHOD /path\" or \"*\", or {method, path, authorizer}: a method API Gateway knows (or * for any), a path starting with /, and each method and path once.", []string{"function \"*\": httpApi event is neither \"*\" nor \"METHOD /path\"", "function \"*\": httpApi event: path \"*\" takes no method", "function \"*\": httpApi event has no method", "function \"*\": httpApi event: invalid method \"*\"", "function \"*\": httpApi event: duplicate route \"*\"", "function \"*\": httpApi event has no path", "function \"*\": httpApi event: invalid path \"*\"", "function \"*\": httpApi event: a second catch-all route \"*\"", "function \"*\": httpApi event: unknown key \"*\""}},
	{"SF9610", "Invalid HTTP API authorizer", "A route's authorizer names one of provider.httpApi.authorizers (or, on an external API, gives its id, or is type: aws_iam alone); a request authorizer names one function, by functionName or functionArn, and caches only with an identitySource; a JWT authorizer has identitySource, issuerUrl and audience.", []string{"function \"*\": httpApi event: the authorizer needs an id or a name", "function \"*\": httpApi event: an aws_iam authorizer takes no other settings", "function \"*\": httpApi event references external authorizer, but the HTTP API is part of this stack", "function \"*\": httpApi event references not configured authorizer \"*\"", "HTTP API authorizer \"*\" needs functionArn or functionName", "HTTP API authorizer \"*\" has both functionArn and functionName", "function \"*\" for HTTP API authorizer \"*\" not found in service", "HTTP API authorizer \"*\" caches results but has no identitySource", "JWT authorizer \"*\" has no *"}},
	{"SF9611", "HTTP API settings", "provider.httpApi settings the framework refuses or API Gateway rejects: CORS, authorizers and access logs of an API this stack does not create (provider.httpApi.id), a payload version other than 1.0 and 2.0, the retired useProviderTags.", []string{"cannot set up * for an externally configured HTTP API", "provider.httpApi.payload must be \"1.0\" or \"2.0\"", "provider.httpApi.authorizers.*.payloadVersion must be \"1.0\" or \"2.0\"", "provider.httpApi.useProviderTags is no longer effective"}},
	{"SF9612", "Function timeout over the HTTP API's", "API Gateway ends an HTTP API request after 30 seconds: a function that may run as long can succeed while the caller gets a timeout.", []string{"function \"*\": timeout * exceeds the HTTP API's 30 s", "function \"*\": timeout 30 leaves the HTTP API no room"}},
	{"SF9613", "Invalid REST API http event", "A function's http event is \"METHOD path\" or {path, method, ...} with a method API Gateway knows; its authorizer names a function of the service, an ARN (a Cognito one with an intrinsic needs a name), aws_iam, or type and authorizerId; Cognito claims need integration: lambda; an existing API (restApiId) needs restApiRootResourceId and takes no provider.logs.restApi; HTTP and HTTP_PROXY integrations need request.uri (and connectionId with VPC_LINK), an HTTP integration a response, a MOCK integration's response statusCodes.", []string{"function \"*\": http event must be a string or an object", "function \"*\": http event needs a path and a method", "function \"*\": http event path and method must be strings", "function \"*\": invalid http method \"*\"", "function \"*\": a Cognito authorizer with an intrinsic ARN needs a name", "function \"*\": an authorizer with an intrinsic ARN needs a name", "function \"*\": the authorizer needs a name or an ARN", "function \"*\": authorizer function \"*\" does not exist", "function \"*\": Cognito claims need the lambda integration", "provider.apiGateway.restApiId needs restApiRootResourceId", "provider.logs.restApi has no effect with provider.apiGateway.restApiId", "function \"*\": the * integration needs request.uri", "function \"*\": connectionType VPC_LINK needs connectionId", "function \"*\": the HTTP integration needs a response", "function \"*\": the MOCK integration's response needs statusCodes", "API key \"*\" has no usage plan defined"}},
	{"SF9614", "Setting dropped with a proxy integration", "The framework removes request settings other than parameters and schemas (and uri with HTTP_PROXY), and response settings, from AWS_PROXY (lambda-proxy) and HTTP_PROXY http events. Remove them, or use a non-proxy integration.", []string{"function \"*\": request.* is dropped with the * integration", "function \"*\": response is dropped with the * integration"}},
	{"SF9615", "Two http events on one method", "A state machine's (or another function's) http event has the path and method of a function's http event: the plugin (the framework) merges both integrations into one API Gateway method. Give one of them another path or method.", []string{"state machine \"*\": * /* is also a function's http endpoint", "function \"*\": * /* is also function \"*\"'s http endpoint"}},
	{"SF9616", "Custom resource runtime Lambda no longer creates", "The framework's custom resource functions (existing s3 buckets, eventBridge's custom-resource mode, the REST API's CloudWatch role) use nodejs18.x, which Lambda refuses for new functions. The default mode uses nodejs22.x.", []string{"the framework's * function uses nodejs18.x, which Lambda no longer creates"}},
	{"SF9617", "s3 events on existing buckets", "The framework gives each function one Custom::S3 resource for one existing bucket, reads forceDeploy from its first event, and takes rules of one prefix: or suffix: each.", []string{"function \"*\": s3 events on existing buckets name one bucket per function", "function \"*\": forceDeploy is read from the function's first s3 event on an existing bucket only", "function \"*\": an s3 rule is one prefix: or suffix:"}},
	{"SF9618", "eventBridge custom-resource mode", "The framework's legacy custom resource for eventBridge events (provider.eventBridge without useCloudFormation: true) takes no retryPolicy, deadLetterQueueArn, intrinsic eventBus or description. Set provider.eventBridge.useCloudFormation: true.", []string{"function \"*\": * needs provider.eventBridge.useCloudFormation: true", "function \"*\": description is ignored in the eventBridge custom-resource mode"}},
	{"SF9619", "Function named like a custom resource function", "The framework adds its custom resource function under the logical ID of a function with the key custom-resource-existing-s3, custom-resource-event-bridge or custom-resource-apigw-cw-role, replacing it. Rename the function.", []string{"the framework's * function replaces the resource *"}},
	{"SF9620", "Invalid websocket event", "A websocket event is a route key or {route, routeResponseSelectionExpression, authorizer}: each route once, $default as the response selection expression, and an authorizer (a function of the service, a Lambda ARN, or {name, arn, identitySource} with name when arn is an intrinsic) on the $connect route only.", []string{"function \"*\": websocket route \"*\" is already a route", "function \"*\": websocket route \"*\" has an authorizer", "function \"*\": websocket authorizer \"*\" is not a function of the service", "function \"*\": a websocket authorizer with an intrinsic arn needs name", "function \"*\": the websocket authorizer needs name or arn", "function \"*\": the websocket authorizer must be a function name, an ARN or an object", "function \"*\": the websocket event needs route", "function \"*\": the websocket route must be a string", "function \"*\": routeResponseSelectionExpression must be $default"}},
	{"SF9621", "websocket API settings", "provider.logs.websocket: a level of INFO or ERROR, and no logs for an existing websocket API (provider.apiGateway.websocketApiId), whose stage the framework does not configure.", []string{"provider.logs.websocket.level must be INFO or ERROR, not *", "provider.logs.websocket has no effect with provider.apiGateway.websocketApiId"}},
	{"SF9622", "Invalid cognitoUserPool event", "A cognitoUserPool event is {pool, trigger}: a trigger Cognito has, each trigger of a pool once (the pool keeps the last), and for the custom sender triggers a kmsKeyId, the same for every sender trigger of the pool. Events on existing pools name one pool per function, and forceDeploy on its first such event.", []string{"function \"*\": the cognitoUserPool event's * must be a string", "function \"*\": unknown Cognito trigger \"*\"", "function \"*\": user pool \"*\" already has a * trigger", "function \"*\": the * trigger needs kmsKeyId", "user pool \"*\" has custom sender triggers with different KMS keys", "function \"*\": cognitoUserPool events on existing pools name one pool per function", "function \"*\": forceDeploy is read from the function's first cognitoUserPool event on an existing pool only"}},
	{"SF9623", "Invalid alb event", "An alb event is {listenerArn, priority, conditions, ...}: an application load balancer listener's ARN or a Ref, at least one condition the framework knows (path, host, method, header, query, ip), a priority unique per listener (and per function), authorizers defined in provider.alb.authorizers, and targetGroupName only without provider.alb.targetGroupPrefix.", []string{"function \"*\": invalid ALB listenerArn", "function \"*\": ALB authorizer * is not in provider.alb.authorizers", "function \"*\": ALB priority * is already in use", "function \"*\": targetGroupName and provider.alb.targetGroupPrefix exclude each other", "function \"*\": the alb event has no condition the framework knows", "function \"*\": the alb event is not an object"}},
	{"SF9999", "Internal error", "stepform failed unexpectedly. Please report it with the serverless.yml that causes it.", []string{"internal error"}},
}

type compiledPattern struct {
	re       *regexp.Regexp
	literals int // characters outside wildcards: more means more specific
	code     int
}

// patterns compiles on first use: a run without diagnostics needs none
// of them, and compiling them all is most of the start-up time.
var patterns = sync.OnceValue(compilePatterns)

func compilePatterns() []compiledPattern {
	var out []compiledPattern
	for i, c := range Codes {
		for _, p := range c.Patterns {
			parts := strings.Split(p, "*")
			quoted := make([]string, len(parts))
			for j, part := range parts {
				quoted[j] = regexp.QuoteMeta(part)
			}
			out = append(out, compiledPattern{
				re:       regexp.MustCompile("^" + strings.Join(quoted, "(?s:.+)") + "$"),
				literals: len(p) - (len(parts) - 1),
				code:     i,
			})
		}
	}
	return out
}

// shortenedQuote is how shortenMessage ends a long quoted value.
var shortenedQuote = lazyre.New(`…" \(\d+ characters\)`)

// CodeOf returns the code of a diagnostic summary: the code of the most
// specific pattern it matches (the one with the most literal text). ok is
// false for a summary no pattern covers.
func CodeOf(summary string) (c Code, ok bool) {
	summary = shortenedQuote.ReplaceAllString(summary, `…"`)
	best := -1
	compiled := patterns()
	for i, p := range compiled {
		if (best < 0 || p.literals > compiled[best].literals) && p.re.MatchString(summary) {
			best = i
		}
	}
	if best < 0 {
		return Code{}, false
	}
	return Codes[compiled[best].code], true
}

// CodeByID returns the code with the given ID.
func CodeByID(id string) (Code, bool) {
	for _, c := range Codes {
		if c.ID == id {
			return c, true
		}
	}
	return Code{}, false
}

// ConcernOf names the group of a code.
func ConcernOf(id string) string {
	name, longest := "", 0
	for _, c := range Concerns {
		if strings.HasPrefix(id, c.Prefix) && len(c.Prefix) > longest {
			name, longest = c.Name, len(c.Prefix)
		}
	}
	return name
}

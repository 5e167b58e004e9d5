// Package mode names every way plugin mode (--compat plugin) departs from
// the default mode. Each departure is one field of Quirks, documented with
// the docs/differences.md row it reproduces, so that the table and the code
// read side by side.
//
// Invariants: the zero Quirks is the default mode; Plugin.Quirks() sets
// every field. The compiler's concerns consult a field, never the mode
// itself, so a behaviour that differs between the modes is listed here or
// nowhere.
package mode

// Mode selects between stepform's own output and an exact reproduction of
// the plugin's.
type Mode uint8

const (
	// Default is stepform's output: the plugin's, minus its accidents
	// (see docs/differences.md).
	Default Mode = iota
	// Plugin reproduces serverless-step-functions exactly, quirks included.
	Plugin
)

// Quirks returns the behaviours of the mode.
func (m Mode) Quirks() *Quirks {
	if m == Plugin {
		q := pluginQuirks
		return &q
	}
	return &Quirks{}
}

// Quirks is the set of the plugin's behaviours plugin mode reproduces and
// the default mode does not. A field's comment names its row in
// docs/differences.md ("Plugin mode in the code" lists them the other way
// round).
type Quirks struct {
	// Diagnostics

	// Lenient: a finding on input the plugin accepts (it writes a template)
	// is a warning; the default mode reports it as an error. The finding
	// itself is the same in both modes. Rows 7, 10, S5, S6, E3, N2, V1-V6,
	// T1-T7, H8, H9, H11, H14, Y8-Y10, F1-F3, FE1-FE4, FE7, FE9-FE14.
	Lenient bool
	// ReproducesCrashes: input on which the plugin throws (and writes no
	// template) is an error, since plugin mode cannot write the plugin's
	// output for it; the default mode compiles it. Rows I3, I7, S4, E2, A4.
	ReproducesCrashes bool

	// State machines and definitions

	// ValidateInjectsQueryLanguage: with validate: true every state of the
	// deployed definition gets the QueryLanguage asl-validator wrote into
	// it. Row 1.
	ValidateInjectsQueryLanguage bool
	// StringDefinitionAsLiteral: a definition given as JSON text becomes a
	// JSON string literal instead of being parsed. Rows 2, V5.
	StringDefinitionAsLiteral bool
	// TagValuesAsJSStrings: tag values go through (value || '').toString(),
	// so false and 0 become "" and objects "[object Object]". Row 3.
	TagValuesAsJSStrings bool
	// DuplicateTagKeys: a machine tag with a provider tag's key is written
	// twice instead of replacing it. Row 4.
	DuplicateTagKeys bool
	// ActivityOutputsIgnoreNoOutput: noOutput: true leaves the activities'
	// outputs in. Row 5.
	ActivityOutputsIgnoreNoOutput bool
	// RetainWithoutUpdateReplace: retain: true sets DeletionPolicy only, no
	// UpdateReplacePolicy. Row 6.
	RetainWithoutUpdateReplace bool
	// GetAttStringAsCharacters: the string form "Hello.Arn" of Fn::GetAtt is
	// destructured as characters (["H", "e"]) in definitions and roles.
	// Row 8.
	GetAttStringAsCharacters bool
	// SubTextUnescaped: a definition's own ${Name} text goes into its
	// Fn::Sub template as is (and is warned about) instead of as ${!Name}.
	// Row 9.
	SubTextUnescaped bool
	// NoDefaultLogGroup: a loggingConfig that logs without destinations is
	// written as is (Step Functions rejects it), and retentionInDays, the
	// retention of the log group the default mode makes for it, is an
	// unknown key. Row 11.
	NoDefaultLogGroup bool
	// ASLValidatorOnly: the definition is checked as asl-validator checks
	// it (with validate: true) or not at all; the default mode adds the
	// rules of Step Functions. Rows V1-V6 (see package asl).
	ASLValidatorOnly bool

	// MachineHTTPAPIIgnored: a state machine's httpApi event is ignored
	// (the plugin has none); the default mode makes it a route on the
	// service's HTTP API. Row FE8.
	MachineHTTPAPIIgnored bool

	// Schedules, event rules, alarms and notifications

	// ScheduleAsJSONText: schedules are built as the plugin's JSON text
	// templates: a rate list joined into one expression, one role whose
	// principal is the last schedule's, retryPolicy dropped with the
	// scheduler, settings pasted unescaped. Rows S1-S4.
	ScheduleAsJSONText bool
	// EventRuleAsJSONText: event rules are built as the plugin's JSON text
	// template, losing \n and \r escapes. Rows E1, E2.
	EventRuleAsJSONText bool
	// The alarms and notifications quirks below (and the schedules', event
	// rules' and http events' findings) are applied where those blocks are
	// decoded, in package schema, under schema.CompatPlugin, which
	// emit.Context.Compat derives from Lenient; these fields name them.

	// UnknownAlarmMetricsDropped: an unknown metric name gets no alarm and
	// no error. Row A1.
	UnknownAlarmMetricsDropped bool
	// MalformedBlocksDropped: a malformed alarms or notifications block is
	// logged and dropped whole (plugin mode warns at each problem). Rows
	// A2, N1.
	MalformedBlocksDropped bool
	// AlarmNameVariablesUnchecked: a nameTemplate with an unknown
	// $[variable] is logged and gives no name. Row A3.
	AlarmNameVariablesUnchecked bool
	// AlarmNameWithoutVariableCrashes: a nameTemplate without $[...]
	// crashes the plugin. Row A4.
	AlarmNameWithoutVariableCrashes bool
	// NotificationTargetsUnchecked: a notification target without a
	// destination passes the plugin's schema. Row N1.
	NotificationTargetsUnchecked bool

	// IAM role inference

	// IAMTableNamesAsText: DynamoDB table names and RequestItems keys are
	// pasted into ARNs as text. Row I1.
	IAMTableNamesAsText bool
	// IAMNamesAsText: other names in ARNs are String(value), so intrinsics
	// become "[object Object]" and a missing Redshift cluster "undefined".
	// Row I2.
	IAMNamesAsText bool
	// IAMReadsParametersOnly: the builders read Parameters only, never a
	// JSONata state's Arguments. Row I3.
	IAMReadsParametersOnly bool
	// IAMRunTimeValuesAsText: values computed at run time (JSONata, "key.$")
	// are written into ARNs as text instead of "*". Row I4.
	IAMRunTimeValuesAsText bool
	// AthenaS3AWSPartition: Athena's S3 permissions name the aws partition.
	// Row I5.
	AthenaS3AWSPartition bool
	// SQSChinaURLsUnparsed: queue URLs of the China regions give no queue
	// ARN. Row I6.
	SQSChinaURLsUnparsed bool
	// UnknownIntegrationsSilent: a service integration no strategy knows
	// gets no permission and no warning. Row I9.
	UnknownIntegrationsSilent bool

	// The framework's functions (compiler/lambda)

	// DestinationAliasByOrder: a destination naming a local function with
	// an alias targets the alias only when that function comes earlier
	// under functions: (the framework: when its hash finished first), and
	// the role names the unqualified function. Row F4.
	DestinationAliasByOrder bool
	// FunctionRoleGetAttAsOneName: a function role in Fn::GetAtt's string
	// form becomes {"Fn::GetAtt": ["Role.Arn"]}, as the framework's schema
	// coerces it. Row F6.
	FunctionRoleGetAttAsOneName bool
	// ConditionOnFunctionOnly: a function's condition guards the function
	// only, not its log group, version, aliases, URL, permissions and
	// outputs. Row F7.
	ConditionOnFunctionOnly bool
	// CustomResourceNodejs18: the framework's custom resource functions
	// (existing s3 buckets, existing Cognito user pools, eventBridge's
	// custom-resource mode, the API Gateway CloudWatch role of the REST
	// and websocket APIs' logs) run on nodejs18.x, which Lambda no longer
	// creates. Row F8.
	CustomResourceNodejs18 bool

	// DefaultBusRuleArnWithBusName: a function's eventBridge event on the
	// default bus gets a permission whose SourceArn names the bus, which
	// matches no rule. Row FE5.
	DefaultBusRuleArnWithBusName bool
	// CreatedTopicDLQConditionEmpty: an sns event on a topic the service
	// creates gets a dead-letter queue policy whose condition names no
	// topic. Row FE6.
	CreatedTopicDLQConditionEmpty bool

	// API Gateway (http events)

	// CORSUndefinedOrigin: cors without origin or origins writes
	// 'undefined' as the allowed origin of the method's responses. Row H1.
	// Applied by schema.DecodeHTTPEvent under schema.CompatPlugin.
	CORSUndefinedOrigin bool
	// SharedAPIRefsNothing: with a shared API, API keys and the usage plan
	// name the API as {} (a Ref to nothing). Row H2.
	SharedAPIRefsNothing bool
	// AuthorizerPermissionsBySixthSegment: a Lambda-ARN authorizer's invoke
	// permission is named after the ARN's sixth segment, so only the last
	// survives. Row H3.
	AuthorizerPermissionsBySixthSegment bool
	// RequestAuthorizersWithoutPermission: REQUEST authorizers get no
	// Lambda invoke permission. Row H4.
	RequestAuthorizersWithoutPermission bool
	// CognitoMethodAsCustom: a non-Cognito arn with type
	// COGNITO_USER_POOLS gives a CUSTOM method. Row H5.
	CognitoMethodAsCustom bool
	// PrivateEndpointCaseSensitive: endpointType private with
	// vpcEndpointIds is PRIVATE only in upper case. Row H7.
	PrivateEndpointCaseSensitive bool
	// RequestSchemaNamesUnchecked: a request.schemas string that names no
	// provider model is used as the schema text. Row H8.
	RequestSchemaNamesUnchecked bool
	// RestAPIResourcesUnchecked: a restApiResources entry without
	// resourceId gives a Resource without PathPart. Row H12.
	RestAPIResourcesUnchecked bool
	// UsagePlanListsFlattened: a list of usage plans is one plain usage
	// plan, and API keys grouped per plan one unnamed key per group. Row H15.
	UsagePlanListsFlattened bool
	// PluginStartIntegration: an http event whose action starts an
	// execution gets the plugin's integration: no request template, the
	// answer passed through with 200, errors under a 400 pattern, method
	// responses 200 and 400. Rows Y1, Y3-Y6.
	PluginStartIntegration bool
	// APIRoleOnAllResources: the API's role allows every action on
	// Resource "*". Row Y2.
	APIRoleOnAllResources bool
	// NoGatewayResponses: API Gateway's own errors get no CORS headers.
	// Row Y7.
	NoGatewayResponses bool
	// UserRequestTemplatesUnchecked: user request templates are used as
	// written (${StateMachineArn} in their Fn::Sub stays unbound). Row Y10.
	UserRequestTemplatesUnchecked bool
	// NoHTTPAdvice: no warnings about timing, semantics or exposure of an
	// endpoint. Row Y11.
	NoHTTPAdvice bool
	// StepformHTTPKeysUnknown: the http event keys stepform adds are
	// unknown to the plugin, so plugin mode rejects them and does not check
	// how they combine. Row Y12.
	StepformHTTPKeysUnknown bool
	// CORSAsPlugin: CORS headers as the plugin writes them: several origins
	// joined into one header value, Access-Control-Allow-Credentials on the
	// preflight only, origin values in method responses. Rows Y13, Y14.
	CORSAsPlugin bool
	// DeploymentSkipsPreflights: the API deployment depends on the event
	// methods only, not on the OPTIONS methods. Row Y15.
	DeploymentSkipsPreflights bool
}

// pluginQuirks is serverless-step-functions 3.31.2: every field set.
var pluginQuirks = Quirks{
	Lenient:                             true,
	ReproducesCrashes:                   true,
	ValidateInjectsQueryLanguage:        true,
	StringDefinitionAsLiteral:           true,
	TagValuesAsJSStrings:                true,
	DuplicateTagKeys:                    true,
	ActivityOutputsIgnoreNoOutput:       true,
	RetainWithoutUpdateReplace:          true,
	GetAttStringAsCharacters:            true,
	SubTextUnescaped:                    true,
	ASLValidatorOnly:                    true,
	NoDefaultLogGroup:                   true,
	CustomResourceNodejs18:              true,
	MachineHTTPAPIIgnored:               true,
	ScheduleAsJSONText:                  true,
	EventRuleAsJSONText:                 true,
	UnknownAlarmMetricsDropped:          true,
	MalformedBlocksDropped:              true,
	AlarmNameVariablesUnchecked:         true,
	AlarmNameWithoutVariableCrashes:     true,
	NotificationTargetsUnchecked:        true,
	IAMTableNamesAsText:                 true,
	IAMNamesAsText:                      true,
	IAMReadsParametersOnly:              true,
	IAMRunTimeValuesAsText:              true,
	AthenaS3AWSPartition:                true,
	SQSChinaURLsUnparsed:                true,
	UnknownIntegrationsSilent:           true,
	DestinationAliasByOrder:             true,
	FunctionRoleGetAttAsOneName:         true,
	ConditionOnFunctionOnly:             true,
	DefaultBusRuleArnWithBusName:        true,
	CreatedTopicDLQConditionEmpty:       true,
	CORSUndefinedOrigin:                 true,
	SharedAPIRefsNothing:                true,
	AuthorizerPermissionsBySixthSegment: true,
	RequestAuthorizersWithoutPermission: true,
	CognitoMethodAsCustom:               true,
	PrivateEndpointCaseSensitive:        true,
	RequestSchemaNamesUnchecked:         true,
	RestAPIResourcesUnchecked:           true,
	UsagePlanListsFlattened:             true,
	PluginStartIntegration:              true,
	APIRoleOnAllResources:               true,
	NoGatewayResponses:                  true,
	UserRequestTemplatesUnchecked:       true,
	NoHTTPAdvice:                        true,
	StepformHTTPKeysUnknown:             true,
	CORSAsPlugin:                        true,
	DeploymentSkipsPreflights:           true,
}

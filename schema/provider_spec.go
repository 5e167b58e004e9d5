package schema

import "sync"

// The spec tables of the provider settings stepform reads. The provider
// block stays open (it holds framework settings stepform has no use
// for); the blocks below are closed where the framework's schema is.

var policyStatementSpec = sync.OnceValue(func() *Spec {
	return openSpec("An IAM statement.",
		keySpec("Effect", stringEnumSpec("Allow or Deny.", "Allow", "Deny")),
		keySpec("Action", stringOrList("Actions.")),
		keySpec("Resource", anyOfSpec("Resources.", stringOrIntrinsic(""), listSpec(anySpec(""), ""))),
	)
})

var policyStatementsSpec = sync.OnceValue(func() *Spec {
	return listSpec(policyStatementSpec(), "IAM statements.")
})

// ProviderIAMRoleSpec is provider.iam.role as an object: the settings of
// the role the framework makes for the functions.
var ProviderIAMRoleSpec = sync.OnceValue(func() *Spec {
	return closedSpec("The settings of the role made for the functions.",
		keySpec("name", strSpec("The role's name.")),
		keySpec("path", strSpec("The role's path, e.g. /service/.")),
		keySpec("managedPolicies", listSpec(arnSpec(""), "Managed policies attached.")),
		keySpec("statements", policyStatementsSpec()),
		keySpec("permissionBoundary", arnSpec("Older spelling of permissionsBoundary.")),
		keySpec("permissionsBoundary", arnSpec("The role's permissions boundary.")),
		keySpec("tags", scalarMapSpec("The role's tags.")),
	)
})

// IAMRoleKeys are the keys of provider.iam.role as an object:
// ProviderIAMRoleSpec's.
var IAMRoleKeys = []string{"name", "path", "managedPolicies", "statements", "permissionBoundary", "permissionsBoundary", "tags"}

var apiKeysSpec = sync.OnceValue(func() *Spec {
	return listSpec(anySpec("A name, {name, value, description, customerId, enabled}, or a usage plan name to such keys."), "API keys made for the REST API.")
})

var usagePlanSpec = sync.OnceValue(func() *Spec {
	return anyOfSpec("Quota and throttle of the API keys, or a list of named plans.", openSpec(""), listSpec(openSpec(""), ""))
})

var apiGatewaySpec = sync.OnceValue(func() *Spec {
	return closedSpec("REST API settings.",
		keySpec("apiKeys", apiKeysSpec()),
		keySpec("apiKeySourceType", strSpec("HEADER (default) or AUTHORIZER.")),
		keySpec("binaryMediaTypes", stringList("Media types treated as binary.")),
		keySpec("description", strSpec("The API's description.")),
		keySpec("disableDefaultEndpoint", frameworkBool("Turn off the execute-api endpoint.")),
		keySpec("endpointType", stringEnumSpec("The API's endpoint type.", "REGIONAL", "EDGE", "PRIVATE", "regional", "edge", "private")),
		keySpec("metrics", frameworkBool("Detailed CloudWatch metrics.")),
		keySpec("minimumCompressionSize", frameworkInt("Smallest body compressed, in bytes.")),
		keySpec("resourcePolicy", policyStatementsSpec().describe("The API's resource policy.")),
		keySpec("restApiId", stringOrIntrinsic("An existing API to add the endpoints to.")),
		keySpec("restApiResources", anyOfSpec("Existing resources of that API: paths to IDs, or a list of {path, resourceId}.",
			openSpec(""), listSpec(closedSpec("", keySpec("path", strSpec("")), keySpec("resourceId", stringOrIntrinsic("")), keySpec("name", strSpec(""))), ""))),
		keySpec("restApiRootResourceId", stringOrIntrinsic("The root resource of that API.")),
		keySpec("request", closedSpec("Request settings.",
			keySpec("schemas", openSpec("Named request models.").withValues(closedSpec("",
				keySpec("schema", anySpec("The JSON schema.")), keySpec("name", strSpec("The model's name.")),
				keySpec("description", strSpec("The model's description."))))))),
		keySpec("shouldStartNameWithService", frameworkBool("Name the API <service>-<stage>.")),
		keySpec("stage", strSpec("The stage name.")),
		keySpec("timeoutInMillis", frameworkInt("Default integration timeout of the state machines' http events.")),
		keySpec("usagePlan", usagePlanSpec()),
		keySpec("websocketApiId", stringOrIntrinsic("An existing WebSocket API.")),
	)
})

var httpAPIAuthorizerSpec = sync.OnceValue(func() *Spec {
	return openSpec("An authorizer: type jwt (identitySource, issuerUrl, audience) or request (functionName or functionArn).",
		keySpec("type", stringEnumSpec("jwt (default) or request.", "jwt", "request")),
		keySpec("name", strSpec("Its name (default the key).")),
		keySpec("identitySource", anyOfSpec("Where the identity comes from.", stringOrIntrinsic(""), listSpec(stringOrIntrinsic(""), ""))),
		keySpec("issuerUrl", stringOrIntrinsic("The JWT issuer.")),
		keySpec("audience", anyOfSpec("The JWT audiences.", stringOrIntrinsic(""), listSpec(stringOrIntrinsic(""), ""))),
		keySpec("functionName", strSpec("A function of this service.")),
		keySpec("functionArn", stringOrIntrinsic("A Lambda function elsewhere.")),
		keySpec("managedExternally", frameworkBool("No invoke permission is added.")),
		keySpec("resultTtlInSeconds", frameworkInt("Seconds a result is cached (0–3600).")),
		keySpec("enableSimpleResponses", frameworkBool("The function answers {isAuthorized}.")),
		keySpec("payloadVersion", stringEnumSpec("The payload format version.", "1.0", "2.0")),
	)
})

var httpAPISpec = sync.OnceValue(func() *Spec {
	return closedSpec("HTTP API settings.",
		keySpec("authorizers", openSpec("Authorizers by name.").withValues(httpAPIAuthorizerSpec())),
		keySpec("cors", anyOfSpec("CORS: true, or settings.", typedSpec("", "boolean"), FunctionURLCORSSpec())),
		keySpec("id", anyOfSpec("An existing API to add the routes to.", typedSpec("", "string"), refSpec("intrinsic", ""))),
		keySpec("name", strSpec("The API's name (default <stage>-<service>).")),
		keySpec("payload", strSpec("The payload format version of the routes: 1.0 or 2.0 (default).")),
		keySpec("metrics", frameworkBool("Detailed CloudWatch metrics.")),
		keySpec("useProviderTags", enumSpec("Tag the API with provider.tags.", true)),
		keySpec("disableDefaultEndpoint", frameworkBool("Turn off the execute-api endpoint.")),
		keySpec("shouldStartNameWithService", frameworkBool("Name the API <service>-<stage>.")),
	)
})

var logsSpec = sync.OnceValue(func() *Spec {
	return openSpec("Logs of the APIs.",
		keySpec("frameworkLambda", frameworkBool("Log groups for the framework's custom resources.")),
		keySpec("httpApi", anyOfSpec("Access logs of the HTTP API: true, or {format}.", typedSpec("", "boolean"),
			closedSpec("", keySpec("format", strSpec("The log line format."))))),
		keySpec("restApi", anyOfSpec("Logs of the REST API: true, or settings.", typedSpec("", "boolean"),
			closedSpec("",
				keySpec("accessLogging", frameworkBool("Access logs (default true).")),
				keySpec("executionLogging", frameworkBool("Execution logs (default true).")),
				keySpec("format", strSpec("The access log line format.")),
				keySpec("fullExecutionData", frameworkBool("Log whole requests and responses (default true).")),
				keySpec("level", stringEnumSpec("The execution log level.", "INFO", "ERROR")),
				keySpec("role", arnSpec("The role API Gateway writes logs with.")),
				keySpec("roleManagedExternally", frameworkBool("The account's logging role is set up elsewhere."))))),
		keySpec("websocket", anyOfSpec("Logs of the websocket API: true, or settings.", typedSpec("", "boolean"),
			closedSpec("",
				keySpec("accessLogging", frameworkBool("Access logs (default true).")),
				keySpec("executionLogging", frameworkBool("Execution logs (default true).")),
				keySpec("format", strSpec("The access log line format.")),
				keySpec("fullExecutionData", frameworkBool("Log whole messages (default true).")),
				keySpec("level", stringEnumSpec("The execution log level.", "INFO", "ERROR"))))),
	)
})

var albAuthorizerCommonKeys = sync.OnceValue(func() []Key {
	return []Key{
		keySpec("onUnauthenticatedRequest", stringEnumSpec("What an unauthenticated request gets (default deny).", "allow", "authenticate", "deny")),
		keySpec("requestExtraParams", openSpec("Extra query parameters of the authentication request (up to 10).").withValues(typedSpec("", "string"))),
		keySpec("scope", strSpec("The scopes asked for.")),
		keySpec("sessionCookieName", strSpec("The session cookie's name.")),
		keySpec("sessionTimeout", frameworkInt("The session's length in seconds.")),
	}
})

var albSpec = sync.OnceValue(func() *Spec {
	return closedSpec("Application load balancer settings of the alb events.",
		keySpec("targetGroupPrefix", strSpec("Prefix of the generated target group names (up to 16 characters).")),
		keySpec("authorizers", openSpec("Authorizers by name.").withValues(anyOfSpec("A Cognito or OIDC authorizer.",
			closedSpec("", append([]Key{
				keySpec("type", stringEnumSpec("cognito.", "cognito")),
				keySpec("userPoolArn", stringOrIntrinsic("The user pool.")),
				keySpec("userPoolClientId", strSpec("The app client.")),
				keySpec("userPoolDomain", strSpec("The user pool's domain prefix.")),
			}, albAuthorizerCommonKeys()...)...),
			closedSpec("", append([]Key{
				keySpec("type", stringEnumSpec("oidc.", "oidc")),
				keySpec("authorizationEndpoint", strSpec("The authorization endpoint.")),
				keySpec("clientId", strSpec("The client ID.")),
				keySpec("clientSecret", strSpec("The client secret (else the listener's existing one).")),
				keySpec("issuer", strSpec("The issuer.")),
				keySpec("tokenEndpoint", strSpec("The token endpoint.")),
				keySpec("userInfoEndpoint", strSpec("The user info endpoint.")),
			}, albAuthorizerCommonKeys()...)...)))),
	)
})

var deploymentBucketSpec = sync.OnceValue(func() *Spec {
	return anyOfSpec("The bucket the artifacts are uploaded to: its name, or settings.", typedSpec("", "string"),
		closedSpec("",
			keySpec("name", strSpec("An existing bucket.")),
			keySpec("blockPublicAccess", frameworkBool("Block public access to the bucket made.")),
			keySpec("skipPolicySetup", frameworkBool("Leave the bucket policy alone.")),
			keySpec("maxPreviousDeploymentArtifacts", frameworkInt("Deployments kept.")),
			keySpec("versioning", frameworkBool("Version the bucket made.")),
			keySpec("serverSideEncryption", stringEnumSpec("Encryption of the uploads.", "AES256", "aws:kms")),
			keySpec("sseCustomerAlgorithim", strSpec("")),
			keySpec("sseCustomerKey", strSpec("")),
			keySpec("sseCustomerKeyMD5", strSpec("")),
			keySpec("sseKMSKeyId", strSpec("The KMS key of aws:kms.")),
			keySpec("tags", scalarMapSpec("Tags of the bucket made.")),
		))
})

// ProviderSpec is the provider block: the framework's settings, of which
// stepform reads these.
var ProviderSpec = sync.OnceValue(func() *Spec {
	return named("provider", openSpec("The provider (the framework's settings).",
		keySpec("name", strSpec("aws.")),
		keySpec("stage", strSpec("The default stage (default dev).")),
		keySpec("region", strSpec("The default region (default us-east-1).")),
		keySpec("tags", openSpec("Tags of every state machine and function.")),
		keySpec("stackTags", scalarMapSpec("Tags of the stack.")),
		keySpec("stackName", strSpec("The stack's name (default <service>-<stage>).")),
		keySpec("runtime", runtimeSpec()),
		keySpec("architecture", architectureSpec()),
		keySpec("memorySize", frameworkInt("Default function memory in MB.")),
		keySpec("timeout", frameworkInt("Default function timeout in seconds.")),
		keySpec("environment", scalarMapSpec("Environment variables of every function.")),
		keySpec("kmsKeyArn", arnSpec("Default KMS key of the functions' environment variables.")),
		keySpec("logRetentionInDays", logRetentionSpec()),
		keySpec("logDataProtectionPolicy", logDataProtectionSpec()),
		keySpec("tracing", closedSpec("X-Ray tracing.",
			keySpec("apiGateway", frameworkBool("Trace the REST API.")), keySpec("lambda", tracingSpec()))),
		keySpec("vpc", VPCSpec()),
		keySpec("layers", anyOfSpec("Layer version ARNs of every function.", arnSpec(""), listSpec(arnSpec(""), ""))),
		keySpec("runtimeManagement", runtimeManagementSpec()),
		keySpec("versionFunctions", frameworkBool("Publish function versions (default true).")),
		keySpec("deploymentBucket", deploymentBucketSpec()),
		keySpec("deploymentPrefix", strSpec("The artifacts' S3 prefix (default serverless).")),
		keySpec("lambdaHashingVersion", stringEnumSpec("Deprecated.", "20200924", "20201221")),
		keySpec("rolePermissionsBoundary", stringOrIntrinsic("Permissions boundary of generated roles.")),
		keySpec("iam", closedSpec("IAM settings.",
			keySpec("role", anyOfSpec("The functions' role: an existing one (ARN, logical ID, Fn::GetAtt, Fn::ImportValue, Fn::Sub), or the settings of the one made.",
				typedSpec("", "string"), refSpec("intrinsic", ""), ProviderIAMRoleSpec())),
			keySpec("deploymentRole", arnSpec("The role CloudFormation deploys with.")))),
		keySpec("role", stringOrIntrinsic("Older form of iam.role (an existing role).")),
		keySpec("iamRoleStatements", policyStatementsSpec().describe("Older form of iam.role.statements.")),
		keySpec("iamManagedPolicies", listSpec(arnSpec(""), "Older form of iam.role.managedPolicies.")),
		keySpec("cfnRole", arnSpec("Older form of iam.deploymentRole.")),
		keySpec("apiGateway", apiGatewaySpec()),
		keySpec("apiName", strSpec("The REST API's name.")),
		keySpec("endpointType", stringEnumSpec("The REST API's endpoint type.", "REGIONAL", "EDGE", "PRIVATE", "regional", "edge", "private")),
		keySpec("vpcEndpointIds", anyOfSpec("VPC endpoints of a PRIVATE REST API.", listSpec(stringOrIntrinsic(""), ""), refSpec("intrinsic", ""))),
		keySpec("apiKeys", apiKeysSpec().describe("Older form of apiGateway.apiKeys.")),
		keySpec("usagePlan", usagePlanSpec().describe("Older form of apiGateway.usagePlan.")),
		keySpec("resourcePolicy", policyStatementsSpec().describe("Older form of apiGateway.resourcePolicy.")),
		keySpec("httpApi", httpAPISpec()),
		keySpec("logs", logsSpec()),
		keySpec("eventBridge", closedSpec("EventBridge settings.",
			keySpec("useCloudFormation", frameworkBool("false: buses and rules through a custom resource (older behaviour).")))),
		keySpec("s3", openSpec("Buckets the s3 events make, by key: the bucket's properties.").withValues(
			openSpec("", keySpec("name", strSpec("The bucket's name (default the key)."))))),
		keySpec("websocketsApiName", strSpec("The websocket API's name (default <stage>-<service>-websockets).")),
		keySpec("websocketsApiRouteSelectionExpression", strSpec("The websocket API's route selection expression (default $request.body.action).")),
		keySpec("websocketsDescription", strSpec("The websocket API's description (default Serverless Websockets).")),
		keySpec("websocket", closedSpec("Websocket API settings.",
			keySpec("useProviderTags", frameworkBool("Tag the websocket API with provider.tags.")))),
		keySpec("alb", albSpec()),
		keySpec("kinesis", closedSpec("Kinesis settings.",
			keySpec("consumerNamingMode", stringEnumSpec("serviceSpecific: consumer names include the service.", "serviceSpecific")))),
	))
})

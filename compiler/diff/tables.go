package diff

// replacingProperties lists, for the resource types stepform and the
// framework emit, the properties whose change makes CloudFormation replace
// the resource ("Update requires: Replacement" in CloudFormation's
// resource reference).
var replacingProperties = map[string][]string{
	"AWS::StepFunctions::StateMachine":  {"StateMachineName", "StateMachineType"},
	"AWS::StepFunctions::Activity":      {"Name"},
	"AWS::IAM::Role":                    {"RoleName", "Path"},
	"AWS::IAM::ManagedPolicy":           {"ManagedPolicyName", "Path"},
	"AWS::Logs::LogGroup":               {"LogGroupName"},
	"AWS::Events::Rule":                 {"Name", "EventBusName"},
	"AWS::Scheduler::Schedule":          {"Name", "GroupName"},
	"AWS::CloudWatch::Alarm":            {"AlarmName"},
	"AWS::SNS::Topic":                   {"TopicName", "FifoTopic"},
	"AWS::SNS::Subscription":            {"Endpoint", "Protocol", "TopicArn"},
	"AWS::SQS::Queue":                   {"QueueName", "FifoQueue"},
	"AWS::Lambda::Function":             {"FunctionName", "PackageType"},
	"AWS::Lambda::Permission":           {"Action", "EventSourceToken", "FunctionName", "Principal", "SourceAccount", "SourceArn"},
	"AWS::Lambda::Version":              {"CodeSha256", "Description", "FunctionName"},
	"AWS::ApiGateway::Resource":         {"ParentId", "PathPart", "RestApiId"},
	"AWS::ApiGateway::Method":           {"ResourceId", "RestApiId"},
	"AWS::ApiGateway::Deployment":       {"DeploymentCanarySettings", "RestApiId"},
	"AWS::ApiGateway::Authorizer":       {"RestApiId"},
	"AWS::ApiGateway::GatewayResponse":  {"ResponseType", "RestApiId"},
	"AWS::ApiGateway::ApiKey":           {"GenerateDistinctId", "Name", "Value"},
	"AWS::ApiGateway::UsagePlanKey":     {"KeyId", "KeyType", "UsagePlanId"},
	"AWS::ApiGateway::Model":            {"ContentType", "Name", "RestApiId"},
	"AWS::ApiGateway::RequestValidator": {"Name", "RestApiId"},
	"AWS::Kinesis::Stream":              {"Name"},
}

// nameProperties is the property that gives a resource of each type its
// physical name; a resource under a new logical ID with the same name is
// the same resource renamed.
var nameProperties = map[string]string{
	"AWS::StepFunctions::StateMachine": "StateMachineName",
	"AWS::StepFunctions::Activity":     "Name",
	"AWS::IAM::Role":                   "RoleName",
	"AWS::IAM::ManagedPolicy":          "ManagedPolicyName",
	"AWS::Logs::LogGroup":              "LogGroupName",
	"AWS::Events::Rule":                "Name",
	"AWS::Scheduler::Schedule":         "Name",
	"AWS::CloudWatch::Alarm":           "AlarmName",
	"AWS::SNS::Topic":                  "TopicName",
	"AWS::SQS::Queue":                  "QueueName",
	"AWS::Lambda::Function":            "FunctionName",
	"AWS::Kinesis::Stream":             "Name",
}

// Package customresources holds the code of the Lambda function behind the
// CloudFormation custom resources the Serverless Framework (v3.40.0) deploys
// for settings CloudFormation has no resource for: S3 events on an existing
// bucket (Custom::S3), Cognito user pool events on an existing pool
// (Custom::CognitoUserPool), EventBridge events in the legacy
// custom-resource mode (Custom::EventBridge) and the API Gateway account's
// CloudWatch role (Custom::ApiGatewayAccountRole).
//
// The handlers are stepform's own JavaScript, not the framework's, for the
// Node.js runtimes of Lambda with only the AWS SDK v3 they include. They use
// the framework's physical resource IDs and name what they create as the
// framework does, so a stack deployed with `sls deploy` can be updated and
// deleted by a stack compiled by stepform, and the other way round.
//
// FS is what goes into the zip, nothing else; the template's Handler values
// (`s3/handler.handler`, …) name its files.
package customresources

import "embed"

// ArtifactName is the zip's file name, as the framework names it.
const ArtifactName = "custom-resources.zip"

// FS holds the files of the zip at their paths in it: s3/handler.js,
// event-bridge/handler.js, api-gateway-cloud-watch-role/handler.js,
// cognito-user-pool/handler.js and the modules they share under lib/.
//
//go:embed s3/handler.js event-bridge/handler.js api-gateway-cloud-watch-role/handler.js cognito-user-pool/handler.js lib/*.js
var FS embed.FS

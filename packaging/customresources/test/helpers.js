'use strict';

// Fakes for the handlers' tests: AWS callers that record their calls and
// answer from a script, a Lambda context, and an https.request stand-in that
// captures the answer to CloudFormation.

const { EventEmitter } = require('events');

const ACCOUNT_ID = '123456789012';
const REGION = 'eu-west-1';
const RESPONSE_URL =
  'https://cloudformation-custom-resource-response-euwest1.s3-eu-west-1.amazonaws.com/arn%3Aaws%3Acloudformation/resp?X-Amz-Signature=abc&X-Amz-Expires=7200';

function awsError(name, message = `${name} raised by the fake`) {
  const error = new Error(message);
  error.name = name;
  return error;
}

// fakeAws returns { calls, factory }: factory(region) is an AWS caller that
// records { service, region, operation, input } and answers with
// script[operation](input, callNumber), which may throw; operations missing
// from the script answer {}.
function fakeAws(service, script = {}, calls = []) {
  const counts = {};
  const factory = (region) => async (operation, input) => {
    calls.push({ service, region, operation, input: JSON.parse(JSON.stringify(input)) });
    counts[operation] = (counts[operation] || 0) + 1;
    const answer = script[operation];
    return answer ? answer(input, counts[operation]) : {};
  };
  return { calls, factory };
}

function lambdaContext({ remainingMs = 180000 } = {}) {
  return {
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:svc-dev-custom-resource-handler`,
    logStreamName: '2026/01/01/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => remainingMs,
  };
}

function cfnEvent(requestType, resourceType, properties, oldProperties) {
  const event = {
    RequestType: requestType,
    ServiceToken: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:svc-dev-custom-resource-handler`,
    ResponseURL: RESPONSE_URL,
    StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT_ID}:stack/svc-dev/00000000-1111-2222-3333-444444444444`,
    RequestId: 'request-1',
    LogicalResourceId: 'CustomResourceLogicalId',
    ResourceType: resourceType,
    ResourceProperties: { ServiceToken: 'token', ...properties },
  };
  if (requestType !== 'Create') event.PhysicalResourceId = 'PreviousPhysicalId';
  if (oldProperties) event.OldResourceProperties = { ServiceToken: 'token', ...oldProperties };
  return event;
}

// fakeHttps returns { responses, request }: request stands in for
// https.request and keeps each { options, body } it is asked to send.
function fakeHttps({ statusCode = 200 } = {}) {
  const responses = [];
  function request(options, onResponse) {
    const req = new EventEmitter();
    req.setTimeout = () => req;
    req.destroy = (error) => req.emit('error', error);
    req.end = (body) => {
      responses.push({ options, body, json: JSON.parse(body) });
      const res = new EventEmitter();
      res.statusCode = statusCode;
      res.resume = () => res;
      setImmediate(() => {
        onResponse(res);
        res.emit('end');
      });
    };
    return req;
  }
  return { responses, request };
}

module.exports = { ACCOUNT_ID, REGION, RESPONSE_URL, awsError, cfnEvent, fakeAws, fakeHttps, lambdaContext };

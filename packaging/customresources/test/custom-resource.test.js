'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { cfnEvent, fakeHttps, lambdaContext, RESPONSE_URL } = require('./helpers');
const {
  awsCaller,
  customResourceHandler,
  environmentOf,
  functionArn,
  isAwsError,
  putResponse,
} = require('../lib/custom-resource');

test('environmentOf reads partition, region and account from the invoked ARN', () => {
  assert.deepEqual(environmentOf({ invokedFunctionArn: 'arn:aws-cn:lambda:cn-north-1:210987654321:function:f:live' }), {
    partition: 'aws-cn',
    region: 'cn-north-1',
    accountId: '210987654321',
  });
  const environment = environmentOf(lambdaContext());
  assert.equal(functionArn(environment, 'svc-dev-hello'), 'arn:aws:lambda:eu-west-1:123456789012:function:svc-dev-hello');
  assert.throws(() => environmentOf({ invokedFunctionArn: 'not-an-arn' }), /Cannot read the partition/);
});

test('awsCaller sends the operation\'s command through a client for the region', async () => {
  const made = [];
  class FakeClient {
    constructor(config) {
      made.push(config);
    }
    async send(command) {
      return { sent: command };
    }
  }
  class PutRuleCommand {
    constructor(input) {
      this.input = input;
    }
  }
  const call = awsCaller({ FakeClient, PutRuleCommand }, 'FakeClient', 'us-east-2');
  assert.deepEqual(made, [{ region: 'us-east-2', maxAttempts: 8 }]);
  const output = await call('PutRule', { Name: 'r' });
  assert.ok(output.sent instanceof PutRuleCommand);
  assert.deepEqual(output.sent.input, { Name: 'r' });
  assert.throws(() => call('DeleteEverything', {}), /FakeClient has no operation DeleteEverything/);
});

test('isAwsError matches SDK v3 names and older codes', () => {
  assert.ok(isAwsError(Object.assign(new Error('x'), { name: 'NoSuchEntityException' }), 'NoSuchEntityException'));
  assert.ok(isAwsError({ code: 'NoSuchEntity' }, 'NoSuchEntityException', 'NoSuchEntity'));
  assert.ok(!isAwsError(new Error('x'), 'NoSuchEntityException'));
  assert.ok(!isAwsError(undefined, 'NoSuchEntityException'));
});

test('putResponse PUTs the body to the pre-signed URL with an empty content type', async () => {
  const https = fakeHttps();
  const body = JSON.stringify({ Reason: 'Zugriff verweigert – ä' });
  await putResponse(RESPONSE_URL, body, https.request);
  const { options } = https.responses[0];
  assert.equal(options.hostname, 'cloudformation-custom-resource-response-euwest1.s3-eu-west-1.amazonaws.com');
  assert.equal(options.port, 443);
  assert.equal(options.method, 'PUT');
  assert.equal(options.path, '/arn%3Aaws%3Acloudformation/resp?X-Amz-Signature=abc&X-Amz-Expires=7200');
  assert.deepEqual(options.headers, { 'content-type': '', 'content-length': Buffer.byteLength(body) });
  assert.ok(options.headers['content-length'] > body.length);
});

test('putResponse fails when the response is refused', async () => {
  const https = fakeHttps({ statusCode: 403 });
  await assert.rejects(putResponse(RESPONSE_URL, '{}', https.request), /HTTP 403/);
});

test('a handler that would outlive the function answers FAILED before the timeout', async () => {
  const https = fakeHttps();
  const handler = customResourceHandler({
    physicalResourceId: 'Fixed',
    operations: { Create: () => new Promise(() => {}) },
    request: https.request,
    deadlineMarginMs: 10000,
  });
  const started = Date.now();
  const outcome = await handler(cfnEvent('Create', 'Custom::Test', {}), lambdaContext({ remainingMs: 10050 }));
  assert.ok(Date.now() - started < 5000);
  assert.equal(outcome.status, 'FAILED');
  assert.equal(https.responses.length, 1);
  assert.equal(https.responses[0].json.Status, 'FAILED');
  assert.match(https.responses[0].json.Reason, /^Create did not finish before the function's timeout/);
  assert.equal(https.responses[0].json.PhysicalResourceId, 'Fixed');
});

test('an unknown request type, a synchronous throw and a long message are answered FAILED within 4096 bytes', async () => {
  const https = fakeHttps();
  const handler = customResourceHandler({
    physicalResourceId: 'Fixed',
    operations: {
      Create: () => {
        throw new Error('x'.repeat(10000));
      },
    },
    request: https.request,
  });
  await handler(cfnEvent('Create', 'Custom::Test', {}), lambdaContext());
  await handler(cfnEvent('Replace', 'Custom::Test', {}), lambdaContext());
  await handler(cfnEvent('toString', 'Custom::Test', {}), lambdaContext());
  assert.deepEqual(https.responses.map((r) => r.json.Status), ['FAILED', 'FAILED', 'FAILED']);
  assert.ok(Buffer.byteLength(https.responses[0].body) < 4096);
  assert.match(https.responses[1].json.Reason, /^Unsupported request type "Replace"/);
  assert.match(https.responses[2].json.Reason, /^Unsupported request type "toString"/);
});

test('the answer carries the operation\'s data and the request\'s IDs', async () => {
  const https = fakeHttps();
  const handler = customResourceHandler({
    physicalResourceId: 'Fixed',
    operations: { Update: async () => ({ Arn: 'arn:x' }) },
    request: https.request,
  });
  const event = cfnEvent('Update', 'Custom::Test', {});
  await handler(event, lambdaContext());
  assert.deepEqual(https.responses[0].json, {
    Status: 'SUCCESS',
    Reason: '',
    PhysicalResourceId: 'Fixed',
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: { Arn: 'arn:x' },
  });
});

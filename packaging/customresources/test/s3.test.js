'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { ACCOUNT_ID, REGION, awsError, cfnEvent, fakeAws, fakeHttps, lambdaContext } = require('./helpers');
const { createHandler, PHYSICAL_RESOURCE_ID } = require('../s3/handler');

const FUNCTION = 'svc-dev-resize';
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${FUNCTION}`;
const CREATED_JPG = { Event: 's3:ObjectCreated:*', Rules: [{ Prefix: 'uploads/' }, { Suffix: '.jpg' }] };
const REMOVED = { Event: 's3:ObjectRemoved:*', Rules: [] };
// `<function>-<md5 of the entry's JSON>`, the framework's IDs for these entries.
const CREATED_JPG_ID = `${FUNCTION}-e9570fa7c86cce4df943f4c116563d60`;
const REMOVED_ID = `${FUNCTION}-b25e50c744382a745dfce80b176020ec`;
// An entry the framework's handler wrote for a configuration since changed.
const STALE_ID = `${FUNCTION}-224c3963d3a3f9c35018ae93a9fffea4`;

// The bucket's configuration as others left it: a topic, a queue,
// EventBridge, another function, and a function whose name extends ours.
function foreignConfiguration() {
  return {
    TopicConfigurations: [{ Id: 'topic', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t', Events: ['s3:ObjectCreated:*'] }],
    QueueConfigurations: [{ Id: 'queue', QueueArn: 'arn:aws:sqs:eu-west-1:123456789012:q', Events: ['s3:ObjectRemoved:*'] }],
    EventBridgeConfiguration: {},
    LambdaFunctionConfigurations: [
      { Id: 'other-function', LambdaFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:other', Events: ['s3:ObjectCreated:*'] },
      {
        Id: `${FUNCTION}-admin-e9570fa7c86cce4df943f4c116563d60`,
        LambdaFunctionArn: `${FUNCTION_ARN}-admin`,
        Events: ['s3:ObjectCreated:*'],
      },
    ],
  };
}

function bucketWith(ownEntries) {
  const configuration = foreignConfiguration();
  configuration.LambdaFunctionConfigurations.push(...ownEntries);
  return { $metadata: { httpStatusCode: 200 }, ...configuration };
}

function setup(script = {}) {
  const calls = [];
  const s3 = fakeAws('s3', script.s3, calls);
  const lambda = fakeAws('lambda', script.lambda, calls);
  const https = fakeHttps();
  const handler = createHandler({ clients: { s3: s3.factory, lambda: lambda.factory }, request: https.request });
  return { calls, https, handler };
}

const properties = { FunctionName: FUNCTION, BucketName: 'my.bucket', BucketConfigs: [CREATED_JPG, REMOVED] };

const ownEntries = [
  {
    Id: CREATED_JPG_ID,
    LambdaFunctionArn: FUNCTION_ARN,
    Events: ['s3:ObjectCreated:*'],
    Filter: {
      Key: {
        FilterRules: [
          { Name: 'prefix', Value: 'uploads/' },
          { Name: 'suffix', Value: '.jpg' },
        ],
      },
    },
  },
  { Id: REMOVED_ID, LambdaFunctionArn: FUNCTION_ARN, Events: ['s3:ObjectRemoved:*'] },
];

test('Create allows S3 to invoke the function and adds its entries, keeping the rest', async () => {
  const { calls, https, handler } = setup({ s3: { GetBucketNotificationConfiguration: () => bucketWith([]) } });
  await handler(cfnEvent('Create', 'Custom::S3', properties), lambdaContext());

  const expectedConfiguration = bucketWith(ownEntries);
  delete expectedConfiguration.$metadata;
  assert.deepEqual(calls, [
    {
      service: 'lambda',
      region: REGION,
      operation: 'AddPermission',
      input: {
        Action: 'lambda:InvokeFunction',
        FunctionName: FUNCTION,
        Principal: 's3.amazonaws.com',
        StatementId: `${FUNCTION}-mybucket`,
        SourceArn: 'arn:aws:s3:::my.bucket',
        SourceAccount: ACCOUNT_ID,
      },
    },
    { service: 's3', region: REGION, operation: 'GetBucketNotificationConfiguration', input: { Bucket: 'my.bucket' } },
    {
      service: 's3',
      region: REGION,
      operation: 'PutBucketNotificationConfiguration',
      input: { Bucket: 'my.bucket', NotificationConfiguration: expectedConfiguration },
    },
  ]);
  assert.equal(https.responses.length, 1);
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
  assert.equal(https.responses[0].json.PhysicalResourceId, 'CustomResourceExistingS3');
});

test('Create replaces a permission statement left with the same ID', async () => {
  const { calls, https, handler } = setup({
    lambda: {
      AddPermission: (input, n) => {
        if (n === 1) throw awsError('ResourceConflictException');
        return {};
      },
    },
  });
  await handler(cfnEvent('Create', 'Custom::S3', properties), lambdaContext());
  assert.deepEqual(
    calls.map((call) => call.operation),
    ['AddPermission', 'RemovePermission', 'AddPermission', 'GetBucketNotificationConfiguration', 'PutBucketNotificationConfiguration']
  );
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
});

test('Update rewrites the entries the framework wrote and leaves the permission', async () => {
  const frameworkEntries = [{ Id: STALE_ID, LambdaFunctionArn: FUNCTION_ARN, Events: ['s3:ObjectCreated:Put'] }];
  const { calls, https, handler } = setup({
    s3: { GetBucketNotificationConfiguration: () => bucketWith(frameworkEntries) },
  });
  await handler(
    cfnEvent('Update', 'Custom::S3', properties, { FunctionName: FUNCTION, BucketName: 'my.bucket', BucketConfigs: [] }),
    lambdaContext()
  );
  assert.deepEqual(
    calls.map((call) => call.operation),
    ['GetBucketNotificationConfiguration', 'PutBucketNotificationConfiguration']
  );
  const written = calls[1].input.NotificationConfiguration;
  const expected = bucketWith(ownEntries);
  delete expected.$metadata;
  assert.deepEqual(written, expected);
  assert.ok(!JSON.stringify(written).includes(STALE_ID));
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
  assert.equal(https.responses[0].json.PhysicalResourceId, PHYSICAL_RESOURCE_ID);
});

test('Update to another bucket moves permission and entries', async () => {
  const { calls, https, handler } = setup({
    s3: {
      GetBucketNotificationConfiguration: (input) => (input.Bucket === 'old-bucket' ? bucketWith(ownEntries) : {}),
    },
  });
  await handler(
    cfnEvent('Update', 'Custom::S3', properties, { ...properties, BucketName: 'old-bucket' }),
    lambdaContext()
  );
  assert.deepEqual(
    calls.map((call) => `${call.operation} ${call.input.StatementId || call.input.Bucket}`),
    [
      `RemovePermission ${FUNCTION}-old-bucket`,
      'GetBucketNotificationConfiguration old-bucket',
      'PutBucketNotificationConfiguration old-bucket',
      `AddPermission ${FUNCTION}-mybucket`,
      'GetBucketNotificationConfiguration my.bucket',
      'PutBucketNotificationConfiguration my.bucket',
    ]
  );
  const oldBucket = calls[2].input.NotificationConfiguration;
  const foreign = foreignConfiguration();
  assert.deepEqual(oldBucket, foreign);
  assert.deepEqual(calls[5].input.NotificationConfiguration, { LambdaFunctionConfigurations: ownEntries });
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
});

test('Delete removes the permission and only the function\'s own entries', async () => {
  const { calls, https, handler } = setup({
    s3: { GetBucketNotificationConfiguration: () => bucketWith([...ownEntries, { Id: STALE_ID, LambdaFunctionArn: FUNCTION_ARN, Events: ['s3:ObjectCreated:Put'] }]) },
  });
  await handler(cfnEvent('Delete', 'Custom::S3', properties), lambdaContext());
  assert.deepEqual(calls[0], {
    service: 'lambda',
    region: REGION,
    operation: 'RemovePermission',
    input: { FunctionName: FUNCTION, StatementId: `${FUNCTION}-mybucket` },
  });
  assert.deepEqual(calls[2].input, { Bucket: 'my.bucket', NotificationConfiguration: foreignConfiguration() });
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
});

test('Delete succeeds when the permission and the bucket are already gone', async () => {
  const { calls, https, handler } = setup({
    lambda: { RemovePermission: () => { throw awsError('ResourceNotFoundException'); } },
    s3: { GetBucketNotificationConfiguration: () => { throw awsError('NoSuchBucket'); } },
  });
  await handler(cfnEvent('Delete', 'Custom::S3', properties), lambdaContext());
  assert.equal(calls.length, 2);
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
});

test('Delete after a Create refused for missing properties does nothing and succeeds', async () => {
  const { calls, https, handler } = setup();
  await handler(cfnEvent('Delete', 'Custom::S3', { BucketName: 'my.bucket' }), lambdaContext());
  assert.deepEqual(calls, []);
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
});

test('an AWS error is answered FAILED with its message', async () => {
  const { https, handler } = setup({
    s3: {
      GetBucketNotificationConfiguration: () => bucketWith([]),
      PutBucketNotificationConfiguration: () => {
        throw awsError('AccessDenied', 'Access Denied');
      },
    },
  });
  const event = cfnEvent('Update', 'Custom::S3', properties, properties);
  await handler(event, lambdaContext());
  assert.equal(https.responses.length, 1);
  const { json, options, body } = https.responses[0];
  assert.deepEqual(Object.keys(json), ['Status', 'Reason', 'PhysicalResourceId', 'StackId', 'RequestId', 'LogicalResourceId', 'Data']);
  assert.equal(json.Status, 'FAILED');
  assert.equal(json.Reason, 'Access Denied (details in CloudWatch Logs, log stream 2026/01/01/[$LATEST]0123456789abcdef)');
  assert.equal(json.PhysicalResourceId, PHYSICAL_RESOURCE_ID);
  assert.equal(json.StackId, event.StackId);
  assert.equal(json.RequestId, event.RequestId);
  assert.equal(json.LogicalResourceId, event.LogicalResourceId);
  assert.deepEqual(json.Data, {});
  assert.equal(options.method, 'PUT');
  assert.equal(options.headers['content-type'], '');
  assert.equal(options.headers['content-length'], Buffer.byteLength(body));
});

test('a Create without BucketName is answered FAILED', async () => {
  const { calls, https, handler } = setup();
  await handler(cfnEvent('Create', 'Custom::S3', { FunctionName: FUNCTION }), lambdaContext());
  assert.deepEqual(calls, []);
  assert.equal(https.responses[0].json.Status, 'FAILED');
  assert.match(https.responses[0].json.Reason, /FunctionName and BucketName/);
});

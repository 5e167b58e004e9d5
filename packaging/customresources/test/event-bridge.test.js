'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { ACCOUNT_ID, REGION, awsError, cfnEvent, fakeAws, fakeHttps, lambdaContext } = require('./helpers');
const { createHandler, PHYSICAL_RESOURCE_ID, targetId } = require('../event-bridge/handler');

const FUNCTION = 'svc-dev-consumer';
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${FUNCTION}`;
const PATTERN = { source: ['acme.orders'], 'detail-type': ['OrderPlaced'] };

function setup(script = {}) {
  const calls = [];
  const eventBridge = fakeAws('events', script.events, calls);
  const lambda = fakeAws('lambda', script.lambda, calls);
  const https = fakeHttps();
  const handler = createHandler({
    clients: { eventBridge: eventBridge.factory, lambda: lambda.factory },
    request: https.request,
  });
  return { calls, https, handler };
}

function propertiesFor(config) {
  return { FunctionName: FUNCTION, EventBridgeConfig: { RuleName: 'svc-dev-consumer-rule-1', State: 'ENABLED', ...config } };
}

function summary(calls) {
  return calls.map((call) => [call.operation, call.input]);
}

test('targetId is the framework\'s, hashed beyond 64 characters', () => {
  assert.equal(targetId('svc-dev-consumer-rule-1'), 'svc-dev-consumer-rule-1-target');
  assert.equal(
    targetId('svc-production-image-processing-pipeline-thumbnailer-rule-1'),
    'svc-production-image-proc78cdbfbb6538903f48bf18be8b1fb90d-target'
  );
});

test('Create on a named bus: permission, bus, rule and target', async () => {
  const { calls, https, handler } = setup();
  await handler(
    cfnEvent('Create', 'Custom::EventBridge', propertiesFor({ RuleName: 'Svc-Dev.Rule', EventBus: 'orders', Pattern: PATTERN, Input: { key: 'value' } })),
    lambdaContext()
  );
  assert.deepEqual(summary(calls), [
    [
      'AddPermission',
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: FUNCTION,
        Principal: 'events.amazonaws.com',
        StatementId: `${FUNCTION}-svc-devrule`,
        SourceArn: `arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/orders/Svc-Dev.Rule`,
      },
    ],
    ['CreateEventBus', { Name: 'orders' }],
    ['PutRule', { Name: 'Svc-Dev.Rule', EventBusName: 'orders', EventPattern: JSON.stringify(PATTERN), State: 'ENABLED' }],
    [
      'PutTargets',
      {
        Rule: 'Svc-Dev.Rule',
        EventBusName: 'orders',
        Targets: [{ Id: 'Svc-Dev.Rule-target', Arn: FUNCTION_ARN, Input: '{"key":"value"}' }],
      },
    ],
  ]);
  assert.ok(calls.every((call) => call.region === REGION));
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
  assert.equal(https.responses[0].json.PhysicalResourceId, 'CustomResourceEventBridge');
});

test('Create on the default bus, on a bus ARN and without a bus creates no bus', async () => {
  for (const [eventBus, busName, sourcePath] of [
    ['default', 'default', 'rule/svc-dev-consumer-rule-1'],
    [`arn:aws:events:${REGION}:${ACCOUNT_ID}:event-bus/shared`, 'shared', 'rule/shared/svc-dev-consumer-rule-1'],
    [undefined, undefined, 'rule/svc-dev-consumer-rule-1'],
  ]) {
    const { calls, https, handler } = setup();
    await handler(
      cfnEvent('Create', 'Custom::EventBridge', propertiesFor({ EventBus: eventBus, Schedule: 'rate(5 minutes)', InputPath: '$.detail' })),
      lambdaContext()
    );
    assert.deepEqual(calls.map((call) => call.operation), ['AddPermission', 'PutRule', 'PutTargets'], String(eventBus));
    assert.equal(calls[0].input.SourceArn, `arn:aws:events:${REGION}:${ACCOUNT_ID}:${sourcePath}`);
    assert.deepEqual(calls[1].input, {
      Name: 'svc-dev-consumer-rule-1',
      ...(busName && { EventBusName: busName }),
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
    });
    assert.deepEqual(calls[2].input.Targets, [{ Id: 'svc-dev-consumer-rule-1-target', Arn: FUNCTION_ARN, InputPath: '$.detail' }]);
    assert.equal(https.responses[0].json.Status, 'SUCCESS');
  }
});

test('Create on a bus another rule created already succeeds', async () => {
  const { https, handler } = setup({
    events: { CreateEventBus: () => { throw awsError('ResourceAlreadyExistsException'); } },
  });
  await handler(cfnEvent('Create', 'Custom::EventBridge', propertiesFor({ EventBus: 'orders', Pattern: PATTERN })), lambdaContext());
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
});

test('Update of the same rule puts rule and target again, nothing else', async () => {
  const { calls, https, handler } = setup();
  const transformer = { InputPathsMap: { id: '$.detail.id' }, InputTemplate: '{"id": <id>}' };
  await handler(
    cfnEvent(
      'Update',
      'Custom::EventBridge',
      propertiesFor({ EventBus: 'orders', Pattern: PATTERN, State: 'DISABLED', InputTransformer: transformer }),
      propertiesFor({ EventBus: 'orders', Pattern: PATTERN })
    ),
    lambdaContext()
  );
  assert.deepEqual(summary(calls), [
    ['PutRule', { Name: 'svc-dev-consumer-rule-1', EventBusName: 'orders', EventPattern: JSON.stringify(PATTERN), State: 'DISABLED' }],
    [
      'PutTargets',
      {
        Rule: 'svc-dev-consumer-rule-1',
        EventBusName: 'orders',
        Targets: [{ Id: 'svc-dev-consumer-rule-1-target', Arn: FUNCTION_ARN, InputTransformer: transformer }],
      },
    ],
  ]);
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
  assert.equal(https.responses[0].json.PhysicalResourceId, PHYSICAL_RESOURCE_ID);
});

test('Update to a renamed rule creates the new one, then removes the old one but keeps the bus', async () => {
  const { calls, https, handler } = setup();
  await handler(
    cfnEvent(
      'Update',
      'Custom::EventBridge',
      propertiesFor({ RuleName: 'new-rule', EventBus: 'orders', Pattern: PATTERN }),
      propertiesFor({ RuleName: 'old-rule', EventBus: 'orders', Pattern: PATTERN })
    ),
    lambdaContext()
  );
  assert.deepEqual(
    calls.map((call) => `${call.operation} ${call.input.StatementId || call.input.Name || call.input.Rule}`),
    [
      `AddPermission ${FUNCTION}-new-rule`,
      'CreateEventBus orders',
      'PutRule new-rule',
      'PutTargets new-rule',
      `RemovePermission ${FUNCTION}-old-rule`,
      'RemoveTargets old-rule',
      'DeleteRule old-rule',
    ]
  );
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
});

test('Update to another function on the same rule keeps the rule and moves the permission', async () => {
  const { calls, handler } = setup();
  await handler(
    cfnEvent(
      'Update',
      'Custom::EventBridge',
      propertiesFor({ Pattern: PATTERN }),
      { ...propertiesFor({ Pattern: PATTERN }), FunctionName: 'svc-dev-old' }
    ),
    lambdaContext()
  );
  assert.deepEqual(
    calls.map((call) => `${call.operation} ${call.input.FunctionName || call.input.Name || call.input.Rule}`),
    [
      `AddPermission ${FUNCTION}`,
      'PutRule svc-dev-consumer-rule-1',
      'PutTargets svc-dev-consumer-rule-1',
      'RemovePermission svc-dev-old',
    ]
  );
});

test('Delete removes permission, target, rule and the named bus, tolerating what is gone', async () => {
  const { calls, https, handler } = setup({
    events: { DeleteRule: () => { throw awsError('ResourceNotFoundException'); } },
    lambda: { RemovePermission: () => { throw awsError('ResourceNotFoundException'); } },
  });
  await handler(cfnEvent('Delete', 'Custom::EventBridge', propertiesFor({ EventBus: 'orders', Pattern: PATTERN })), lambdaContext());
  assert.deepEqual(summary(calls), [
    ['RemovePermission', { FunctionName: FUNCTION, StatementId: `${FUNCTION}-svc-dev-consumer-rule-1` }],
    ['RemoveTargets', { Rule: 'svc-dev-consumer-rule-1', EventBusName: 'orders', Ids: ['svc-dev-consumer-rule-1-target'] }],
    ['DeleteRule', { Name: 'svc-dev-consumer-rule-1', EventBusName: 'orders' }],
    ['DeleteEventBus', { Name: 'orders' }],
  ]);
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
});

test('Delete never deletes the default bus nor a bus given by ARN', async () => {
  for (const eventBus of ['default', `arn:aws:events:${REGION}:${ACCOUNT_ID}:event-bus/shared`]) {
    const { calls, https, handler } = setup();
    await handler(cfnEvent('Delete', 'Custom::EventBridge', propertiesFor({ EventBus: eventBus, Pattern: PATTERN })), lambdaContext());
    assert.deepEqual(calls.map((call) => call.operation), ['RemovePermission', 'RemoveTargets', 'DeleteRule'], eventBus);
    assert.equal(https.responses[0].json.Status, 'SUCCESS');
  }
});

test('a refused target and an AWS error are answered FAILED', async () => {
  const refused = setup({
    events: {
      PutTargets: () => ({ FailedEntryCount: 1, FailedEntries: [{ ErrorCode: 'ValidationException', ErrorMessage: 'bad input' }] }),
    },
  });
  await refused.handler(cfnEvent('Create', 'Custom::EventBridge', propertiesFor({ Pattern: PATTERN })), lambdaContext());
  assert.equal(refused.https.responses[0].json.Status, 'FAILED');
  assert.match(refused.https.responses[0].json.Reason, /refused the target of rule svc-dev-consumer-rule-1: ValidationException: bad input/);

  const denied = setup({ events: { DeleteRule: () => { throw awsError('AccessDeniedException', 'not allowed'); } } });
  await denied.handler(cfnEvent('Delete', 'Custom::EventBridge', propertiesFor({ Pattern: PATTERN })), lambdaContext());
  const { json } = denied.https.responses[0];
  assert.equal(json.Status, 'FAILED');
  assert.match(json.Reason, /^not allowed/);
  assert.equal(json.PhysicalResourceId, PHYSICAL_RESOURCE_ID);
  assert.deepEqual(json.Data, {});
});

'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { ACCOUNT_ID, REGION, awsError, cfnEvent, fakeAws, fakeHttps, lambdaContext } = require('./helpers');
const { createHandler, PHYSICAL_RESOURCE_ID } = require('../api-gateway-cloud-watch-role/handler');

const OWN_ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/serverlessApiGatewayCloudWatchRole`;
const POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs';
const RESOURCE_TYPE = 'Custom::ApiGatewayAccountRole';

function setup(script = {}) {
  const calls = [];
  const waits = [];
  const apiGateway = fakeAws('apigateway', script.apiGateway, calls);
  const iam = fakeAws('iam', script.iam, calls);
  const https = fakeHttps();
  const handler = createHandler({
    clients: { apiGateway: apiGateway.factory, iam: iam.factory },
    request: https.request,
    wait: async (ms) => {
      waits.push(ms);
    },
  });
  return { calls, waits, https, handler };
}

const pointAtOwnRole = [
  'UpdateAccount',
  { patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: OWN_ROLE_ARN }] },
];

test('Create makes the role when missing and points the account at it', async () => {
  const { calls, https, handler } = setup({
    iam: { ListAttachedRolePolicies: () => { throw awsError('NoSuchEntityException'); } },
  });
  await handler(cfnEvent('Create', RESOURCE_TYPE, {}), lambdaContext());
  assert.deepEqual(
    calls.map((call) => [call.operation, call.input]),
    [
      ['GetAccount', {}],
      ['ListAttachedRolePolicies', { RoleName: 'serverlessApiGatewayCloudWatchRole' }],
      [
        'CreateRole',
        {
          RoleName: 'serverlessApiGatewayCloudWatchRole',
          Path: '/',
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: ['apigateway.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
          }),
        },
      ],
      ['AttachRolePolicy', { RoleName: 'serverlessApiGatewayCloudWatchRole', PolicyArn: POLICY_ARN }],
      pointAtOwnRole,
    ]
  );
  assert.ok(calls.every((call) => call.region === REGION));
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
  assert.equal(https.responses[0].json.PhysicalResourceId, 'CustomResourceApiGatewayAccountCloudWatchRole');
});

test('Create leaves an account that already uses the role with its policy alone', async () => {
  const { calls, https, handler } = setup({
    apiGateway: { GetAccount: () => ({ cloudwatchRoleArn: OWN_ROLE_ARN }) },
    iam: {
      ListAttachedRolePolicies: (input, n) =>
        n === 1
          ? { AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/Other' }], IsTruncated: true, Marker: 'page-2' }
          : { AttachedPolicies: [{ PolicyArn: POLICY_ARN }], IsTruncated: false },
    },
  });
  await handler(cfnEvent('Create', RESOURCE_TYPE, {}), lambdaContext());
  assert.deepEqual(
    calls.map((call) => [call.operation, call.input.Marker]),
    [
      ['GetAccount', undefined],
      ['ListAttachedRolePolicies', undefined],
      ['ListAttachedRolePolicies', 'page-2'],
    ]
  );
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
});

test('Create points an account using another role at its own, as the framework does', async () => {
  const { calls, https, handler } = setup({
    apiGateway: { GetAccount: () => ({ cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/someone-elses` }) },
    iam: { ListAttachedRolePolicies: () => ({ AttachedPolicies: [] }) },
  });
  await handler(cfnEvent('Create', RESOURCE_TYPE, {}), lambdaContext());
  assert.deepEqual(
    calls.map((call) => call.operation),
    ['GetAccount', 'ListAttachedRolePolicies', 'AttachRolePolicy', 'UpdateAccount']
  );
  assert.deepEqual([calls[3].operation, calls[3].input], pointAtOwnRole);
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
});

test('Create with RoleArn uses that role and touches no IAM role', async () => {
  const roleArn = `arn:aws:iam::${ACCOUNT_ID}:role/custom-logs`;
  const { calls, https, handler } = setup();
  await handler(cfnEvent('Create', RESOURCE_TYPE, { RoleArn: roleArn }), lambdaContext());
  assert.deepEqual(
    calls.map((call) => [call.service, call.operation, call.input]),
    [
      ['apigateway', 'GetAccount', {}],
      ['apigateway', 'UpdateAccount', { patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: roleArn }] }],
    ]
  );
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
});

test('Create tries the account update again while the new role is not usable yet', async () => {
  const { calls, waits, https, handler } = setup({
    apiGateway: {
      UpdateAccount: (input, n) => {
        if (n < 3) throw awsError('BadRequestException', 'The role ARN does not have required permissions');
        return {};
      },
    },
    iam: { ListAttachedRolePolicies: () => ({ AttachedPolicies: [{ PolicyArn: POLICY_ARN }] }) },
  });
  await handler(cfnEvent('Create', RESOURCE_TYPE, {}), lambdaContext());
  assert.equal(calls.filter((call) => call.operation === 'UpdateAccount').length, 3);
  assert.deepEqual(waits, [10000, 10000]);
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
});

test('Create gives up after 10 account updates and answers FAILED', async () => {
  const { calls, waits, https, handler } = setup({
    apiGateway: { UpdateAccount: () => { throw awsError('BadRequestException', 'still not usable'); } },
    iam: { ListAttachedRolePolicies: () => ({ AttachedPolicies: [{ PolicyArn: POLICY_ARN }] }) },
  });
  await handler(cfnEvent('Create', RESOURCE_TYPE, {}), lambdaContext());
  assert.equal(calls.filter((call) => call.operation === 'UpdateAccount').length, 10);
  assert.equal(waits.length, 9);
  const { json } = https.responses[0];
  assert.equal(json.Status, 'FAILED');
  assert.match(json.Reason, /^still not usable/);
  assert.equal(json.PhysicalResourceId, PHYSICAL_RESOURCE_ID);
});

test('Create answers FAILED on an IAM error other than a missing role', async () => {
  const { calls, https, handler } = setup({
    iam: { ListAttachedRolePolicies: () => { throw awsError('AccessDeniedException', 'no iam for you'); } },
  });
  await handler(cfnEvent('Create', RESOURCE_TYPE, {}), lambdaContext());
  assert.deepEqual(calls.map((call) => call.operation), ['GetAccount', 'ListAttachedRolePolicies']);
  assert.equal(https.responses[0].json.Status, 'FAILED');
  assert.match(https.responses[0].json.Reason, /^no iam for you/);
});

test('Update and Delete change nothing: the role belongs to the account', async () => {
  for (const requestType of ['Update', 'Delete']) {
    const { calls, https, handler } = setup();
    const event = cfnEvent(requestType, RESOURCE_TYPE, { RoleArn: 'arn:aws:iam::123456789012:role/new' }, {});
    await handler(event, lambdaContext());
    assert.deepEqual(calls, [], requestType);
    assert.deepEqual(https.responses[0].json, {
      Status: 'SUCCESS',
      Reason: '',
      PhysicalResourceId: PHYSICAL_RESOURCE_ID,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      Data: {},
    });
  }
});

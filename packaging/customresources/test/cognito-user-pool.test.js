'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { ACCOUNT_ID, REGION, awsError, cfnEvent, fakeAws, fakeHttps, lambdaContext } = require('./helpers');
const { createHandler, PHYSICAL_RESOURCE_ID, statementId } = require('../cognito-user-pool/handler');

const RESOURCE_TYPE = 'Custom::CognitoUserPool';
const FUNCTION = 'svc-dev-signUp';
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${FUNCTION}`;
const OTHER_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:other`;
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/k';

// describedPool is DescribeUserPool's answer: settings UpdateUserPool takes
// back, read-only fields it refuses, and the triggers of this function (an
// old one) and of another.
function describedPool(lambdaConfig) {
  return {
    UserPool: {
      Id: 'eu-west-1_pool2',
      Name: 'legacy users',
      Arn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_pool2',
      Status: 'Enabled',
      CreationDate: '2020-01-01T00:00:00Z',
      LastModifiedDate: '2021-01-01T00:00:00Z',
      EstimatedNumberOfUsers: 7,
      SchemaAttributes: [{ Name: 'email' }],
      UsernameAttributes: ['email'],
      Domain: 'legacy',
      Policies: { PasswordPolicy: { MinimumLength: 12 } },
      AutoVerifiedAttributes: ['email'],
      MfaConfiguration: 'OPTIONAL',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true, UnusedAccountValidityDays: 5 },
      UserPoolTags: { team: 'id' },
      LambdaConfig: lambdaConfig,
    },
  };
}

function setup({ cognito = {}, lambda = {}, lambdaConfig } = {}) {
  const calls = [];
  const cognitoFake = fakeAws('cognito', {
    ListUserPools: (input) =>
      input.NextToken
        ? { UserPools: [{ Id: 'eu-west-1_pool2', Name: 'legacy users' }] }
        : { UserPools: [{ Id: 'eu-west-1_pool1', Name: 'legacy' }], NextToken: 'page-2' },
    DescribeUserPool: () =>
      describedPool(
        lambdaConfig || {
          PreSignUp: FUNCTION_ARN,
          PostConfirmation: OTHER_ARN,
        }
      ),
    ...cognito,
  }, calls);
  const lambdaFake = fakeAws('lambda', lambda, calls);
  const https = fakeHttps();
  const handler = createHandler({ clients: { cognito: cognitoFake.factory, lambda: lambdaFake.factory }, request: https.request });
  return { calls, https, handler };
}

const PROPERTIES = {
  FunctionName: FUNCTION,
  UserPoolName: 'legacy users',
  UserPoolConfigs: [
    { Trigger: 'PreAuthentication' },
    { Trigger: 'CustomEmailSender', LambdaVersion: 'V1_0', KMSKeyID: KEY },
  ],
};

// The settings the pool keeps, as UpdateUserPool takes them: no read-only
// fields, the deprecated validity moved to the password policy.
const KEPT_SETTINGS = {
  Policies: { PasswordPolicy: { MinimumLength: 12, TemporaryPasswordValidityDays: 5 } },
  AutoVerifiedAttributes: ['email'],
  MfaConfiguration: 'OPTIONAL',
  AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
  UserPoolTags: { team: 'id' },
};

test('Create finds the pool by name, allows Cognito to invoke the function and replaces its triggers', async () => {
  const { calls, https, handler } = setup();
  await handler(cfnEvent('Create', RESOURCE_TYPE, PROPERTIES), lambdaContext());
  assert.deepEqual(
    calls.map((call) => [call.service, call.operation, call.input]),
    [
      ['cognito', 'ListUserPools', { MaxResults: 60 }],
      ['cognito', 'ListUserPools', { MaxResults: 60, NextToken: 'page-2' }],
      [
        'lambda',
        'AddPermission',
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: FUNCTION,
          Principal: 'cognito-idp.amazonaws.com',
          StatementId: `${FUNCTION}-legacyusers`,
          SourceArn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT_ID}:userpool/eu-west-1_pool2`,
        },
      ],
      ['cognito', 'DescribeUserPool', { UserPoolId: 'eu-west-1_pool2' }],
      [
        'cognito',
        'UpdateUserPool',
        {
          UserPoolId: 'eu-west-1_pool2',
          LambdaConfig: {
            PostConfirmation: OTHER_ARN,
            PreAuthentication: FUNCTION_ARN,
            CustomEmailSender: { LambdaArn: FUNCTION_ARN, LambdaVersion: 'V1_0' },
            KMSKeyID: KEY,
          },
          ...KEPT_SETTINGS,
        },
      ],
    ]
  );
  assert.ok(calls.every((call) => call.region === REGION));
  assert.equal(https.responses.length, 1);
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
  assert.equal(https.responses[0].json.PhysicalResourceId, PHYSICAL_RESOURCE_ID);
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
  await handler(cfnEvent('Create', RESOURCE_TYPE, PROPERTIES), lambdaContext());
  assert.deepEqual(
    calls.filter((call) => call.service === 'lambda').map((call) => call.operation),
    ['AddPermission', 'RemovePermission', 'AddPermission']
  );
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
});

test('Create fails, naming the pool, when no pool has the name', async () => {
  const { calls, https, handler } = setup({ cognito: { ListUserPools: () => ({ UserPools: [] }) } });
  await handler(cfnEvent('Create', RESOURCE_TYPE, PROPERTIES), lambdaContext());
  assert.deepEqual(calls.map((call) => call.operation), ['ListUserPools']);
  assert.equal(https.responses[0].json.Status, 'FAILED');
  assert.match(https.responses[0].json.Reason, /No Cognito user pool named "legacy users" in eu-west-1/);
});

test('Update to another pool takes the triggers and permission off the old one', async () => {
  const { calls, https, handler } = setup({
    cognito: {
      ListUserPools: () => ({
        UserPools: [
          { Id: 'eu-west-1_old', Name: 'old.pool' },
          { Id: 'eu-west-1_pool2', Name: 'legacy users' },
        ],
      }),
    },
  });
  const old = { FunctionName: FUNCTION, UserPoolName: 'old.pool', UserPoolConfigs: [{ Trigger: 'PreSignUp' }] };
  await handler(cfnEvent('Update', RESOURCE_TYPE, PROPERTIES, old), lambdaContext());
  const summary = calls.map((call) => [call.operation, call.input.UserPoolId || call.input.StatementId || '']);
  assert.deepEqual(summary, [
    ['ListUserPools', ''],
    ['DescribeUserPool', 'eu-west-1_old'],
    ['UpdateUserPool', 'eu-west-1_old'],
    ['RemovePermission', `${FUNCTION}-oldpool`],
    ['ListUserPools', ''],
    ['AddPermission', `${FUNCTION}-legacyusers`],
    ['DescribeUserPool', 'eu-west-1_pool2'],
    ['UpdateUserPool', 'eu-west-1_pool2'],
  ]);
  assert.deepEqual(calls[2].input.LambdaConfig, { PostConfirmation: OTHER_ARN });
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
});

test('Update of the triggers alone rewrites them on the same pool', async () => {
  const { calls, https, handler } = setup();
  await handler(cfnEvent('Update', RESOURCE_TYPE, PROPERTIES, { ...PROPERTIES, UserPoolConfigs: [{ Trigger: 'PreSignUp' }] }), lambdaContext());
  assert.deepEqual(
    calls.map((call) => call.operation),
    ['ListUserPools', 'ListUserPools', 'AddPermission', 'DescribeUserPool', 'UpdateUserPool']
  );
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
});

test('Delete takes the function off the pool, with the KMS key when no sender trigger is left', async () => {
  const { calls, https, handler } = setup({
    lambdaConfig: {
      PreSignUp: OTHER_ARN,
      CustomSMSSender: { LambdaArn: FUNCTION_ARN, LambdaVersion: 'V1_0' },
      KMSKeyID: KEY,
    },
  });
  await handler(cfnEvent('Delete', RESOURCE_TYPE, PROPERTIES), lambdaContext());
  const update = calls.find((call) => call.operation === 'UpdateUserPool');
  assert.deepEqual(update.input.LambdaConfig, { PreSignUp: OTHER_ARN });
  assert.deepEqual(calls[calls.length - 1], {
    service: 'lambda',
    region: REGION,
    operation: 'RemovePermission',
    input: { FunctionName: FUNCTION, StatementId: `${FUNCTION}-legacyusers` },
  });
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
});

test('Delete succeeds when the pool and the permission are already gone', async () => {
  const { calls, https, handler } = setup({
    cognito: { ListUserPools: () => ({ UserPools: [] }) },
    lambda: { RemovePermission: () => { throw awsError('ResourceNotFoundException'); } },
  });
  await handler(cfnEvent('Delete', RESOURCE_TYPE, PROPERTIES), lambdaContext());
  assert.deepEqual(calls.map((call) => call.operation), ['ListUserPools', 'RemovePermission']);
  assert.equal(https.responses[0].json.Status, 'SUCCESS');
});

test('Delete fails on other errors', async () => {
  const { https, handler } = setup({ cognito: { UpdateUserPool: () => { throw awsError('InvalidParameterException', 'bad settings'); } } });
  await handler(cfnEvent('Delete', RESOURCE_TYPE, PROPERTIES), lambdaContext());
  assert.equal(https.responses[0].json.Status, 'FAILED');
  assert.match(https.responses[0].json.Reason, /bad settings/);
});

test('statementId is the framework\'s: the pool name lower-cased without . : * and spaces, cut to 100', () => {
  assert.equal(statementId('fn', 'My Pool.v2:*x'), 'fn-mypoolv2x');
  assert.equal(statementId('f'.repeat(90), 'p'.repeat(20)).length, 100);
});

'use strict';

// The resource-policy statement that lets S3, EventBridge or Cognito invoke the
// subscribed function. Its statement ID is the framework's, so a statement
// the framework's handler added is found and removed by ours.

const { isAwsError } = require('./custom-resource');

// statementId is `<function name>-<source>` cut to Lambda's 100 characters.
function statementId(functionName, source) {
  return `${functionName}-${source}`.slice(0, 100);
}

// allowInvoke adds the statement. A statement with the same ID already there
// (left by an earlier attempt, or by the framework) is replaced, so that its
// source ARN is the one asked for.
async function allowInvoke(lambda, statement) {
  const input = {
    Action: 'lambda:InvokeFunction',
    FunctionName: statement.functionName,
    Principal: statement.principal,
    StatementId: statement.statementId,
    SourceArn: statement.sourceArn,
  };
  if (statement.sourceAccount) input.SourceAccount = statement.sourceAccount;
  try {
    return await lambda('AddPermission', input);
  } catch (error) {
    if (!isAwsError(error, 'ResourceConflictException')) throw error;
    await revokeInvoke(lambda, statement);
    return lambda('AddPermission', input);
  }
}

// revokeInvoke removes the statement; one that is already gone is fine.
async function revokeInvoke(lambda, statement) {
  try {
    await lambda('RemovePermission', {
      FunctionName: statement.functionName,
      StatementId: statement.statementId,
    });
  } catch (error) {
    if (!isAwsError(error, 'ResourceNotFoundException')) throw error;
  }
}

module.exports = { allowInvoke, revokeInvoke, statementId };

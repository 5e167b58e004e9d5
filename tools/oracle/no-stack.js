'use strict';

// Preloaded (node --require) by package-zips.sh. Packaging a service with
// local `layers:` makes the framework ask CloudFormation (DescribeStacks)
// whether the layer is already deployed, which fails offline. This answers
// as AWS does for a stack that was never deployed, so layers package
// offline exactly as for a first deployment. Every other AWS request goes
// through untouched (and fails offline, as before).

const path = require('path');

const AwsProvider = require(path.join(
  __dirname,
  'node_modules/serverless/lib/plugins/aws/provider.js'
));
const request = AwsProvider.prototype.request;

AwsProvider.prototype.request = async function (service, method, params, options) {
  if (service === 'CloudFormation' && method === 'describeStacks') {
    throw new Error(`Stack with id ${params && params.StackName} does not exist`);
  }
  return request.call(this, service, method, params, options);
};

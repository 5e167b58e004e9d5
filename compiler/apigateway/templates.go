package apigateway

// The plugin's request templates (lib/deploy/events/apiGateway/methods.js), byte for byte.

// lambdaProxyJSONTemplate and lambdaProxyFormTemplate differ only in how
// they define $body; the rest, the request object they build, is
// lambdaProxyRequestTemplate.
const lambdaProxyJSONTemplate = `
  #set( $body = $input.body )
  ` + lambdaProxyRequestTemplate

const lambdaProxyFormTemplate = `
  #define( $body )
    {
    #foreach( $token in $input.path('$').split('&') )
      #set( $keyVal = $token.split('=') )
      #set( $keyValSize = $keyVal.size() )
      #if( $keyValSize >= 1 )
        #set( $key = $util.escapeJavaScript($util.urlDecode($keyVal[0])) )
        #if( $keyValSize >= 2 )
          #set($val = $util.escapeJavaScript($util.urlDecode($keyVal[1])).replaceAll("\\'","'"))
        #else
          #set( $val = '' )
        #end
        "$key": "$val"#if($foreach.hasNext),#end
      #end
    #end
    }
  #end
  ` + lambdaProxyRequestTemplate

const lambdaProxyRequestTemplate = `
  #define( $loop )
  {
    #foreach($key in $map.keySet())
      #set( $k = $util.escapeJavaScript($key) )
      #set( $v = $util.escapeJavaScript($map.get($key)).replaceAll("\\'", "'") )
      "$k":
        #if ("$v" == "")
          null
        #else
          "$v"
        #end
        #if( $foreach.hasNext ) , #end
    #end
  }
  #end
  #define( $smInput )
  {
    "resource": "$context.resourcePath",
    "path": "$context.path",
    "httpMethod": "$context.httpMethod",
    #set( $map = $input.params().header )
    "headers": $loop,

    #if ($input.params().querystring.size() == 0)
    "queryStringParameters": null,
    #else
    #set( $map = $input.params().querystring )
    "queryStringParameters": $loop,
    #end

    #if ($input.params().path.size() == 0)
    "pathParameters": null,
    #else
    #set( $map = $input.params().path )
    "pathParameters": $loop,
    #end

    #if ($stageVariables.size() == 0)
    "stageVariables": null,
    #else
    #set( $map = $stageVariables )
    "stageVariables": $loop,
    #end

    "requestContext": {
      "resourceId": "$context.resourceId",
      "resourcePath": "$context.resourcePath",
      "httpMethod": "$context.httpMethod",
      "extendedRequestId": "$context.extendedRequestId",
      "requestTime": "$context.requestTime",
      "path": "$context.path",
      "accountId": "${AccountId}",
      "protocol": "$context.protocol",
      "stage": "$context.stage",
      "domainPrefix": "$context.domainPrefix",
      "requestTimeEpoch": $context.requestTimeEpoch,
      "requestId": "$context.requestId",
      #set( $map = $context.identity )
      "identity": $loop,
      "domainName": "$context.domainName",
      #set( $map = $context.authorizer )
      "authorizer": $loop,
      "apiId": "$context.apiId"
    },
    "body": "$util.escapeJavaScript("$body").replaceAll("\\'", "'")",
    "isBase64Encoded": false
  }
  #end
  {
    "input": "$util.escapeJavaScript("$smInput").replaceAll("\\'", "'")",
    "name":"$context.requestId",
    "stateMachineArn":"${StateMachineArn}"
  }`

const defaultRequestTemplate = `
#set( $body = $util.escapeJavaScript($input.json('$')).replaceAll("\\'", "'") )
{"input": "$body", "name": "$context.requestId", "stateMachineArn":"${StateMachineArn}"}`

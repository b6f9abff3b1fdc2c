# The widget API: routes, integrations, authorizers, CORS and request validation come
# from the service's router (api_private.json, exported by aws-spec); this file supplies
# what the spec leaves to Terraform: the functions, the table, the roles, the stage, the
# API key, and the values of the spec's placeholders.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  package_dir = var.lambda_package_dir != "" ? var.lambda_package_dir : "${path.module}/dist"
  account_id  = data.aws_caller_identity.current.account_id
  partition   = data.aws_partition.current.partition

  # The placeholders of api_private.json, exactly those `aws-spec vars` reports
  # (make test checks the keys, and renders the spec with this map).
  api_vars = {
    apigw_dynamodb_role_arn = aws_iam_role.apigw_dynamodb.arn
    authorizer_invoke_arn   = aws_lambda_function.authorizer.invoke_arn
    cors_origin             = var.cors_origin
    region                  = var.region
    widget_invoke_arn       = aws_lambda_function.api.invoke_arn
    widgets_table           = aws_dynamodb_table.widgets.name
  }
}

# ---- encryption: one customer-managed key for the table, logs and function settings --

data "aws_iam_policy_document" "kms" {
  # In a key policy, resource "*" means this key and nothing else.
  #checkov:skip=CKV_AWS_109:a key policy's "*" resource is the key itself; the account administers its own key
  #checkov:skip=CKV_AWS_111:a key policy's "*" resource is the key itself; logs may use it only for this stack's log groups
  #checkov:skip=CKV_AWS_356:a key policy's "*" resource is the key itself
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchLogsOfThisStack"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:*${var.name}*"]
    }
  }
}

resource "aws_kms_key" "widgets" {
  description         = "${var.name}: DynamoDB table, CloudWatch logs, Lambda environment"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.kms.json
}

resource "aws_kms_alias" "widgets" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.widgets.key_id
}

# ---- the table ------------------------------------------------------------------------

resource "aws_dynamodb_table" "widgets" {
  name         = "${var.name}-widgets"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "name"

  attribute {
    name = "name"
    type = "S"
  }

  attribute {
    name = "color"
    type = "S"
  }

  # GET /reports/color queries it (widget_service::store::COLOR_INDEX).
  global_secondary_index {
    name            = "by-color"
    hash_key        = "color"
    range_key       = "name"
    projection_type = "ALL"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.widgets.arn
  }
}

# ---- the functions (make -C terraform-example package builds the zips) ----------------

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/aws/lambda/${var.name}-api"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.widgets.arn
}

resource "aws_cloudwatch_log_group" "authorizer" {
  name              = "/aws/lambda/${var.name}-authorizer"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.widgets.arn
}

# The API function: its own log group, X-Ray, and exactly the table operations the
# store uses (widget_service::store::DynamoStore).
data "aws_iam_policy_document" "api" {
  statement {
    sid       = "WidgetTable"
    actions   = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Scan"]
    resources = [aws_dynamodb_table.widgets.arn]
  }

  # Items are read and written through the table; only Query reads an index.
  statement {
    sid       = "ColorIndex"
    actions   = ["dynamodb:Query"]
    resources = ["${aws_dynamodb_table.widgets.arn}/index/by-color"]
  }

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.api.arn}:*"]
  }

  statement {
    sid       = "EnvironmentKey"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.widgets.arn]
  }

  statement {
    sid       = "Tracing"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"] # X-Ray has no resource-level permissions
  }
}

resource "aws_iam_role" "api" {
  name               = "${var.name}-api"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_iam_role_policy" "api" {
  name   = "widgets-api"
  role   = aws_iam_role.api.id
  policy = data.aws_iam_policy_document.api.json
}

resource "aws_lambda_function" "api" {
  #checkov:skip=CKV_AWS_116:API Gateway invokes it synchronously and gets the error back; a DLQ only receives failed asynchronous invocations
  #checkov:skip=CKV_AWS_117:it reaches only DynamoDB's public endpoint with IAM; a VPC would add NAT or endpoints and protect nothing here
  #checkov:skip=CKV_AWS_272:the zip is built by this repository's CI (make package); set code_signing_config_arn when an AWS Signer profile signs it
  function_name                  = "${var.name}-api"
  description                    = "Widget API (widget-service): the axum router behind the Lambda-proxy routes"
  role                           = aws_iam_role.api.arn
  runtime                        = "provided.al2023"
  handler                        = "bootstrap"
  architectures                  = ["x86_64"]
  filename                       = "${local.package_dir}/widget-service.zip"
  source_code_hash               = filebase64sha256("${local.package_dir}/widget-service.zip")
  memory_size                    = 256
  timeout                        = 10
  reserved_concurrent_executions = var.api_concurrency
  kms_key_arn                    = aws_kms_key.widgets.arn

  environment {
    variables = {
      WIDGETS_TABLE = aws_dynamodb_table.widgets.name
      CORS_ORIGIN   = var.cors_origin
    }
  }

  tracing_config {
    mode = "Active"
  }

  depends_on = [aws_cloudwatch_log_group.api, aws_iam_role_policy.api]
}

# The authorizer function: logs and X-Ray only.
data "aws_iam_policy_document" "authorizer" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.authorizer.arn}:*"]
  }

  statement {
    sid       = "EnvironmentKey"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.widgets.arn]
  }

  statement {
    sid       = "Tracing"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"] # X-Ray has no resource-level permissions
  }
}

resource "aws_iam_role" "authorizer" {
  name               = "${var.name}-authorizer"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_iam_role_policy" "authorizer" {
  name   = "widgets-authorizer"
  role   = aws_iam_role.authorizer.id
  policy = data.aws_iam_policy_document.authorizer.json
}

resource "aws_lambda_function" "authorizer" {
  #checkov:skip=CKV_AWS_116:API Gateway invokes authorizers synchronously; a DLQ only receives failed asynchronous invocations
  #checkov:skip=CKV_AWS_117:it calls no other service; a VPC would protect nothing
  #checkov:skip=CKV_AWS_272:the zip is built by this repository's CI (make package); set code_signing_config_arn when an AWS Signer profile signs it
  function_name                  = "${var.name}-authorizer"
  description                    = "TOKEN authorizer of PUT /widget (widget-authorizer): compares the bearer token's SHA-256"
  role                           = aws_iam_role.authorizer.arn
  runtime                        = "provided.al2023"
  handler                        = "bootstrap"
  architectures                  = ["x86_64"]
  filename                       = "${local.package_dir}/widget-authorizer.zip"
  source_code_hash               = filebase64sha256("${local.package_dir}/widget-authorizer.zip")
  memory_size                    = 128
  timeout                        = 5
  reserved_concurrent_executions = var.api_concurrency
  kms_key_arn                    = aws_kms_key.widgets.arn

  environment {
    variables = {
      WRITE_TOKEN_SHA256 = var.write_token_sha256
    }
  }

  tracing_config {
    mode = "Active"
  }

  depends_on = [aws_cloudwatch_log_group.authorizer, aws_iam_role_policy.authorizer]
}

# ---- API Gateway ----------------------------------------------------------------------

# GET /widget/{widgetName} is a direct DynamoDB integration: API Gateway assumes this
# role to call GetItem on the table, and nothing else.
data "aws_iam_policy_document" "apigw_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

data "aws_iam_policy_document" "apigw_dynamodb" {
  statement {
    actions   = ["dynamodb:GetItem"]
    resources = [aws_dynamodb_table.widgets.arn]
  }
}

resource "aws_iam_role" "apigw_dynamodb" {
  name               = "${var.name}-apigw-dynamodb"
  assume_role_policy = data.aws_iam_policy_document.apigw_assume.json
}

resource "aws_iam_role_policy" "apigw_dynamodb" {
  name   = "widgets-get-item"
  role   = aws_iam_role.apigw_dynamodb.id
  policy = data.aws_iam_policy_document.apigw_dynamodb.json
}

resource "aws_api_gateway_rest_api" "api" {
  name        = var.name
  description = "Widget API, exported from widget_service::router() by aws-spec"
  body        = templatefile("${path.module}/api_private.json", local.api_vars)

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  lifecycle {
    create_before_destroy = true
  }
}

# A new deployment whenever the rendered spec changes; created before the old one is
# destroyed, since the stage still points at the old one until it is switched.
resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id

  triggers = {
    redeployment = sha1(aws_api_gateway_rest_api.api.body)
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}-access"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.widgets.arn
}

resource "aws_api_gateway_stage" "live" {
  #checkov:skip=CKV_AWS_120:caching would serve stale widgets after a PUT; the reads are single-item DynamoDB lookups and a page scan
  #checkov:skip=CKV2_AWS_51:client certificates authenticate API Gateway to HTTP backends; the backends here are Lambda and DynamoDB, called with IAM
  #checkov:skip=CKV2_AWS_29:WAF is a per-account cost and policy decision; attach a web ACL with aws_wafv2_web_acl_association when you have one
  rest_api_id          = aws_api_gateway_rest_api.api.id
  deployment_id        = aws_api_gateway_deployment.api.id
  stage_name           = var.stage_name
  xray_tracing_enabled = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId   = "$context.requestId"
      ip          = "$context.identity.sourceIp"
      apiKeyId    = "$context.identity.apiKeyId"
      principal   = "$context.authorizer.principalId"
      method      = "$context.httpMethod"
      path        = "$context.resourcePath"
      status      = "$context.status"
      latencyMs   = "$context.responseLatency"
      error       = "$context.error.message"
      integration = "$context.integration.error"
    })
  }

  depends_on = [aws_api_gateway_account.this]
}

resource "aws_api_gateway_method_settings" "all" {
  #checkov:skip=CKV_AWS_225:caching would serve stale widgets after a PUT (see the stage)
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.live.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    logging_level          = "ERROR"
    data_trace_enabled     = false
    throttling_rate_limit  = var.throttle_rate_limit
    throttling_burst_limit = var.throttle_burst_limit
  }
}

# Access and execution logs need the region's API Gateway account to name a CloudWatch
# role. It is one setting per account and region: turn this off if another stack owns it.
data "aws_iam_policy_document" "apigw_logs_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "apigw_logs" {
  count              = var.manage_api_gateway_account ? 1 : 0
  name               = "${var.name}-apigw-logs"
  assume_role_policy = data.aws_iam_policy_document.apigw_logs_assume.json
}

resource "aws_iam_role_policy_attachment" "apigw_logs" {
  count      = var.manage_api_gateway_account ? 1 : 0
  role       = aws_iam_role.apigw_logs[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "this" {
  count               = var.manage_api_gateway_account ? 1 : 0
  cloudwatch_role_arn = aws_iam_role.apigw_logs[0].arn
  depends_on          = [aws_iam_role_policy_attachment.apigw_logs]
}

# API Gateway may invoke the API function for methods of this API's stage, and the
# authorizer function as an authorizer of this API (a different source ARN).
resource "aws_lambda_permission" "api" {
  statement_id  = "AllowApiGatewayInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/${var.stage_name}/*/*"
}

resource "aws_lambda_permission" "authorizer" {
  statement_id  = "AllowApiGatewayAuthorizer"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.authorizer.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/authorizers/*"
}

# ---- the writer's API key (PUT /widget needs it and the authorizer's token) -----------

resource "aws_api_gateway_api_key" "writer" {
  name        = "${var.name}-writer"
  description = "The front end's key for PUT /widget"
  enabled     = true
}

resource "aws_api_gateway_usage_plan" "writers" {
  name = "${var.name}-writers"

  api_stages {
    api_id = aws_api_gateway_rest_api.api.id
    stage  = aws_api_gateway_stage.live.stage_name
  }

  throttle_settings {
    rate_limit  = var.throttle_rate_limit
    burst_limit = var.throttle_burst_limit
  }

  quota_settings {
    limit  = var.write_quota_per_day
    period = "DAY"
  }
}

resource "aws_api_gateway_usage_plan_key" "writer" {
  key_id        = aws_api_gateway_api_key.writer.id
  key_type      = "API_KEY"
  usage_plan_id = aws_api_gateway_usage_plan.writers.id
}

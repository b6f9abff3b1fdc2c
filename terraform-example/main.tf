# The widget API: its routes, integrations, authorizers, CORS and request validation come
# from the service's router, and so does its API Gateway side: api-module/ is generated
# from the router by `aws-spec terraform` (make -C terraform-example module) and holds the
# API, its stage, the Lambda permissions, the role of the direct DynamoDB integration, the
# usage plan and API key, and the logs. This file supplies the application (the functions,
# the table, the key) and the values of the spec's placeholders.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  package_dir = var.lambda_package_dir != "" ? var.lambda_package_dir : "${path.module}/dist"
  account_id  = data.aws_caller_identity.current.account_id
  partition   = data.aws_partition.current.partition
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

# ---- the API (generated from the router) ---------------------------------------------

module "api" {
  source = "./api-module"

  name                       = var.name
  stage_name                 = var.stage_name
  log_retention_days         = var.log_retention_days
  log_kms_key_arn            = aws_kms_key.widgets.arn
  throttling_rate_limit      = var.throttle_rate_limit
  throttling_burst_limit     = var.throttle_burst_limit
  manage_api_gateway_account = var.manage_api_gateway_account

  # PUT /widget needs an API key besides the authorizer's token: the front end's.
  api_keys               = { writer = "The front end's key for PUT /widget" }
  usage_plan_quota_limit = var.write_quota_per_day

  # The table is encrypted with the stack's key: GET /widget/{widgetName}'s role may use it
  # through DynamoDB.
  kms_key_arns = [aws_kms_key.widgets.arn]

  # The spec's placeholders (`aws-spec vars`; make test checks that each is passed).
  # The module creates the role of ${apigw_dynamodb_role_arn} itself.
  authorizer_invoke_arn = aws_lambda_function.authorizer.invoke_arn
  cors_origin           = var.cors_origin
  region                = var.region
  widget_invoke_arn     = aws_lambda_function.api.invoke_arn
  widgets_table         = aws_dynamodb_table.widgets.name
}

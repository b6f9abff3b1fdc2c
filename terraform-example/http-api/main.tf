# The widget API as an API Gateway HTTP API: routes, integrations, the JWT authorizer and
# CORS come from widget_service::http_api_router() (api_http_private.json, exported by
# `aws-spec export --target http-api`); this file supplies the Cognito user pool, the
# stage, the Lambda permission and the values of the spec's placeholders. The function
# (and its table) are the ones ../ deploys: both APIs can run side by side.

data "aws_lambda_function" "api" {
  function_name = var.function_name
}

locals {
  # The placeholders of api_http_private.json, exactly those
  # `aws-spec vars --target http-api` reports (make test checks the keys, and renders
  # the spec with this map).
  api_vars = {
    app_client_id     = aws_cognito_user_pool_client.app.id
    cors_origin       = var.cors_origin
    region            = var.region
    user_pool_id      = aws_cognito_user_pool.users.id
    widget_invoke_arn = data.aws_lambda_function.api.invoke_arn
  }
}

# ---- who may write: tokens of this user pool, issued to this app client --------------

resource "aws_cognito_user_pool" "users" {
  name                     = "${var.name}-users"
  auto_verified_attributes = ["email"]
  username_attributes      = ["email"]
  deletion_protection      = "ACTIVE"
  mfa_configuration        = "OPTIONAL"

  software_token_mfa_configuration {
    enabled = true
  }

  password_policy {
    minimum_length    = 12
    require_lowercase = true
    require_uppercase = true
    require_numbers   = true
    require_symbols   = true
  }
}

resource "aws_cognito_user_pool_client" "app" {
  name                          = "${var.name}-app"
  user_pool_id                  = aws_cognito_user_pool.users.id
  generate_secret               = false
  explicit_auth_flows           = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors = "ENABLED"
}

# ---- the API --------------------------------------------------------------------------

resource "aws_apigatewayv2_api" "api" {
  name          = var.name        # = info.title: the provider keeps the name it reads back
  version       = var.api_version # = info.version
  protocol_type = "HTTP"
  # Import warnings (an ignored property) fail the apply instead of being dropped.
  fail_on_warnings = true
  body             = templatefile("${path.module}/api_http_private.json", local.api_vars)

  # Must equal x-amazon-apigateway-cors in the body: after the import the provider
  # deletes body CORS that this block does not repeat (terraform-provider-aws#33390).
  cors_configuration {
    allow_origins = [var.cors_origin]
    allow_methods = ["GET", "OPTIONS", "PUT"]
    allow_headers = ["Content-Type", "Authorization"]
    max_age       = 600
  }
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}-http-access"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

# $default serves at the root URL; auto-deploy puts every reimport live (no
# aws_apigatewayv2_deployment needed, and deployment_id left unset).
resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.api.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = 100
    throttling_rate_limit  = 50
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId = "$context.requestId"
      routeKey  = "$context.routeKey"
      status    = "$context.status"
      latency   = "$context.integrationLatency"
      sourceIp  = "$context.identity.sourceIp"
      error     = "$context.integrationErrorMessage"
    })
  }
}

# API Gateway invokes the function for every route of this API (no integration role).
resource "aws_lambda_permission" "http_api" {
  statement_id  = "AllowWidgetHttpApi"
  action        = "lambda:InvokeFunction"
  function_name = data.aws_lambda_function.api.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/*/*"
}

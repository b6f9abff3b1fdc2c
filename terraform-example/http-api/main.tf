# The widget API as an API Gateway HTTP API: routes, integrations, the JWT authorizer and
# CORS come from widget_service::http_api_router(), and so does its API Gateway side:
# api-module/ is generated from the router by `aws-spec terraform --target http-api`
# (make -C terraform-example module) and holds the API, its stage, the access logs and
# the Lambda permissions. This file supplies the Cognito user pool and the values of the
# spec's placeholders. The function (and its table) are the ones ../ deploys: both APIs
# can run side by side.

data "aws_lambda_function" "api" {
  function_name = var.function_name
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

# ---- the API (generated from the router) ---------------------------------------------

module "api" {
  source = "./api-module"

  name                   = var.name
  log_retention_days     = var.log_retention_days
  log_kms_key_arn        = var.kms_key_arn
  throttling_rate_limit  = var.throttle_rate_limit
  throttling_burst_limit = var.throttle_burst_limit

  # The spec's placeholders (`aws-spec vars --target http-api`; make test checks that
  # each is passed).
  app_client_id     = aws_cognito_user_pool_client.app.id
  cors_origin       = var.cors_origin
  region            = var.region
  user_pool_id      = aws_cognito_user_pool.users.id
  widget_invoke_arn = data.aws_lambda_function.api.invoke_arn
}

variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Prefix of every resource name."
  type        = string
  default     = "widgets"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "The name must be 2-31 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "stage_name" {
  description = "API Gateway stage the API is deployed to."
  type        = string
  default     = "live"
}

variable "cors_origin" {
  description = "Origin of the browser front end allowed to call the API (CORS), e.g. https://app.example.com."
  type        = string

  validation {
    condition     = can(regex("^https?://[^/]+$", var.cors_origin))
    error_message = "The CORS origin is a scheme and host (and port), without a path: https://app.example.com."
  }
}

variable "write_token_sha256" {
  description = "Hex SHA-256 of the bearer token PUT /widget requires (the authorizer compares hashes and never holds the token): sha256(\"the-token\")."
  type        = string
  sensitive   = true

  validation {
    condition     = can(regex("^[0-9a-f]{64}$", var.write_token_sha256))
    error_message = "Give the hex SHA-256 of the token (64 lower-case hex digits), not the token."
  }
}

variable "lambda_package_dir" {
  description = "Folder holding widget-service.zip and widget-authorizer.zip (make -C terraform-example package); empty means dist/ next to this file."
  type        = string
  default     = ""
}

variable "api_concurrency" {
  description = "Reserved concurrency of the API function (caps its share of the account's concurrency and its DynamoDB load)."
  type        = number
  default     = 50
}

variable "throttle_rate_limit" {
  description = "Steady-state requests per second the stage accepts (per usage plan for the API key)."
  type        = number
  default     = 50
}

variable "throttle_burst_limit" {
  description = "Burst of requests the stage accepts."
  type        = number
  default     = 100
}

variable "write_quota_per_day" {
  description = "Requests per day the writer's API key may make."
  type        = number
  default     = 10000
}

variable "log_retention_days" {
  description = "Retention of the function and access logs."
  type        = number
  default     = 365
}

variable "manage_api_gateway_account" {
  description = "Set the region's API Gateway account CloudWatch role (needed once per account and region for access and execution logs); false when another stack already manages it."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default = {
    project = "widgets"
  }
}

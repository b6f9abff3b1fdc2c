variable "region" {
  description = "AWS region of the API (the widget function must be in it too)."
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Prefix of the user pool's and the access log group's names (the API's own name is the spec's title)."
  type        = string
  default     = "Widgets"
}

variable "function_name" {
  description = "The widget function (widget-service) behind every route: the one ../ deploys (\"<name>-api\"), or your own."
  type        = string
}

variable "cors_origin" {
  description = "The browser front end allowed to call the API (CORS), e.g. https://app.example.com."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the stage's access logs."
  type        = number
  default     = 365
}

variable "throttle_rate_limit" {
  description = "Steady-state requests per second of every route."
  type        = number
  default     = 50
}

variable "throttle_burst_limit" {
  description = "Burst of requests of every route."
  type        = number
  default     = 100
}

variable "kms_key_arn" {
  description = "KMS key encrypting the access logs (its policy must let CloudWatch Logs use it); ../ creates one (aws_kms_key.widgets)."
  type        = string
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}

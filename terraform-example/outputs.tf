output "invoke_url" {
  description = "Base URL of the deployed stage: PUT {invoke_url}/widget, GET {invoke_url}/widget/{name}, …"
  value       = module.api.invoke_url
}

output "rest_api_id" {
  description = "The REST API's id."
  value       = module.api.api_id
}

output "writer_api_key" {
  description = "The API key PUT /widget needs (header x-api-key), besides the bearer token."
  value       = module.api.api_key_values["writer"]
  sensitive   = true
}

output "table_name" {
  description = "The DynamoDB table holding the widgets."
  value       = aws_dynamodb_table.widgets.name
}

output "api_function_name" {
  description = "The API function."
  value       = aws_lambda_function.api.function_name
}

output "authorizer_function_name" {
  description = "The authorizer function."
  value       = aws_lambda_function.authorizer.function_name
}

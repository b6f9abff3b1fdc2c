output "invoke_url" {
  description = "The API's URL ($default stage: no stage prefix)."
  value       = module.api.invoke_url
}

output "user_pool_id" {
  description = "The Cognito user pool whose tokens PUT /widget accepts."
  value       = aws_cognito_user_pool.users.id
}

output "app_client_id" {
  description = "The app client those tokens must be issued to (the JWT audience)."
  value       = aws_cognito_user_pool_client.app.id
}

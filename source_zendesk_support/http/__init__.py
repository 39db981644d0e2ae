"""The HTTP layer every request passes through: credentials, the error and retry policy, the account's rate budget."""

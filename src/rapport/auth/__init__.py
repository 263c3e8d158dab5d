"""Accounts and access as policy: who may sign in, how, and what each role may do.

One concept per module: `passwords`, `roles`, `users` (field checks), `sessions`, `tokens`,
`throttle`. No SQL here: the store keeps the rows (`rapport.store.users`, `.sessions`,
`.tokens`, `.throttle`), `rapport.actions.accounts` makes the changes, and
`rapport.web.security` joins them into request dependencies.
"""

"""Accounts and access for the care desk: who may sign in, how, and what each role may do.

One concept per module: `passwords`, `roles`, `users`, `sessions`, `tokens`, `throttle`,
`audit`. The web layer (`rapport.web.security`) joins them into request dependencies.
"""

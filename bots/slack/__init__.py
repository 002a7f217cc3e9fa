"""Slack: /passback, @mentions in the help channel, direct messages and the Escalate button.

`web.mount_slack(app, settings, assistant, escalation, metrics, in_flight)` adds it to the
server: `POST /slack/events` in HTTP mode, or a Socket Mode connection when `SLACK_APP_TOKEN`
is set. `listeners.register` shows every
listener; `replies` turns text into the message the bot sends.
"""

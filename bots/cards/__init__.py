"""Everything the bot shows people, drawn from two neutral models.

An `Answer` (bots/answer.py) is drawn by `slack.render_slack_message` (Block Kit),
`teams.render_teams_card` (Adaptive Card 1.5) and `text.render_text` (the terminal). A support
case becomes a `ticket.Ticket`, drawn by `support_slack` (the support channel's message),
`support_teams` (a channel webhook's Adaptive Card) and `ticket.render_ticket_text` (e-mail and
the webhook). `sentences` holds what every renderer says in the same words.
"""

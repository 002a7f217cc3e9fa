"""One `Answer`, rendered natively per platform: `slack.render_slack_message` (Block Kit) and
`teams.render_teams_card` (Adaptive Card 1.5). `wording` holds what both say the same way."""

"""A question from Slack to an answer in Slack: who asks, where the answer goes, access, audit."""

"""Conversation flows. Each flow is a small state machine over ConversationState."""

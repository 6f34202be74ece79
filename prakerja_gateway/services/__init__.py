"""Gateway services: take ``session`` and a clock or ``now`` explicitly, flush but never commit.

A refusal (``GatewayError``) is a result, not a crash: whatever the service recorded about it
(an OTP attempt counted, a payment marked failed) is meant to be committed with the answer.
"""

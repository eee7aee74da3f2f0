"""Voice: the operator's profile, learned from their Sent mail and refined by their edits.

Only the profile types are exported here (the writer and the quality gate import them); the
learning, storage and measurement functions live in their own modules.
"""

from sales_agent.memory.voice.learned import HeldOutMetrics, LearnedVoice
from sales_agent.memory.voice.profile import VoiceProfile, default_voice_profile

__all__ = ["HeldOutMetrics", "LearnedVoice", "VoiceProfile", "default_voice_profile"]

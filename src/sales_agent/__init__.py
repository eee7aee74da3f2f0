"""sales-agent: an operator-mode prospecting and nurturing agent built on LangGraph."""

import warnings

# google-api-core warns at import about a grpcio we never use (REST clients only). Set here,
# before any module can import it, so no entry point (CLI, server, Studio) prints it.
warnings.filterwarnings("ignore", category=FutureWarning, module=r"google\.api_core\..*")

__version__ = "0.1.0"

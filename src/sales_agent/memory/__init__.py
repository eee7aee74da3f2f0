"""Memory: the operator's voice profile now; embeddings, indexing and retrieval later."""

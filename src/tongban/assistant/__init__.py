"""智能问答 — Search assistant: The search index and question answering over the catalog."""

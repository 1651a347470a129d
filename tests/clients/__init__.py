"""Drive the real ``huggingface_hub`` client, at several versions, against a live fakehub."""

"""The message bus that lets the pipeline's stages run in many processes on many machines."""

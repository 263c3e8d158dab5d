"""Every change a person or the pipeline makes, one function each."""

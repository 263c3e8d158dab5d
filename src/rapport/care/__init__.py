"""Care: cases built from routed posts, team queues, and the SLA clocks that run on them."""

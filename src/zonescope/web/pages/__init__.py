"""One module per page family; each registers its pages on `router`."""

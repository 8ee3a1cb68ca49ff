"""Source health: what each fetch of a source brought, kept in .sitegen/ for `sitegen sources status`."""

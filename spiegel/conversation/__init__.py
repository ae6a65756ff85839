"""The team conversation: the facilitator's projector steps through a released mirror to a plan."""

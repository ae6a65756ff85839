"""The item bank: versioned data files, loaded and validated once."""
from spiegel.instrument.loader import InstrumentError, load_instrument  # noqa: F401

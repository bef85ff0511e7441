"""The ``u4b-vouchers`` command line: one module per command, dispatched by :mod:`.main`."""

"""Testing with a real DynamoDB implementation in this process.

`MemoryBackend` (a context manager and decorator) and the pytest fixtures that pydynox
registers (`pydynox_memory_backend`, `pydynox_memory_backend_seeded` with `pydynox_seed`,
`pydynox_memory_backend_factory`, `pydynox_table`) run your code against moto's DynamoDB
server on a loopback port: started once per process, emptied for each test, with a table
for every model. Needs the `testing` extra: `pip install "pydynox[testing]"`.
"""

from pydynox.testing.memory import MemoryBackend, memory_backend

__all__ = ["MemoryBackend", "memory_backend"]

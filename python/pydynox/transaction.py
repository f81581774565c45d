"""Transactions: `Transaction` (`with`) and `AsyncTransaction` (`async with`).

Writes collected in the block are sent together in one TransactWriteItems when the block
ends without an exception: all of them are applied, or none. An exception in the block
sends nothing. `commit()` sends what was collected so far (and may be called again after
a failure: the same writes go with the same client request token, so DynamoDB applies
them once).

    with Transaction(client) as txn:
        txn.put("orders", {"pk": "ORDER#1", "total": 30})
        txn.update("accounts", {"pk": "ACC#1"}, "SET balance = balance - :t",
                   expression_attribute_values={":t": 30})
        txn.save(invoice)                       # a model instance, as invoice.save() sends it
        txn.condition_check(account, Account.balance >= 30)

The pair is declared in spec/model.yaml (`class_pairs`) and generated: both classes share
every method of `pydynox._model.transaction.TransactionCore` and differ only in `commit`
and the context-manager protocol (ADR 21).
"""

from pydynox._generated.model_ops import AsyncTransaction, Transaction

__all__ = ["AsyncTransaction", "Transaction"]

"""Attributes that transform or move their values through another service or codec:
compressed (`compressed`), KMS-encrypted (`encrypted`) and S3-backed (`s3`). Public
through `pydynox.attributes`, which loads them on first use."""

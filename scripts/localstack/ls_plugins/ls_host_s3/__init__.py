"""LocalStack provider plugin 's3:host': the default S3 provider, with object bytes kept
under $FILESYSTEM_ROOT/s3-storage instead of the hard-coded /tmp/localstack-s3-storage, so
that a host-mode run leaves nothing outside its own folder.

Enable with PROVIDER_OVERRIDE_S3=host and this directory on PYTHONPATH (scripts/localstack/up.sh).
"""
import os

from localstack.services.plugins import Service, aws_provider


@aws_provider(api="s3", name="host")
def s3_host():
    from localstack import config
    from localstack.services.s3.provider import S3Provider
    from localstack.services.s3.storage.ephemeral import EphemeralS3ObjectStore

    root = os.path.join(config.dirs.data or config.FILESYSTEM_ROOT or "/tmp", "s3-storage")
    os.makedirs(root, exist_ok=True)
    return Service.for_provider(S3Provider(storage_backend=EphemeralS3ObjectStore(root)))

"""``cairn``: serve, migrate, token, export-schema, and the artifact client commands."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from cairn.config import Settings, SettingsError, load_settings

log = logging.getLogger("cairn")


def _fail(message: str, code: int = 2) -> int:
    print(f"cairn: {message}", file=sys.stderr)
    return code


def _jwt_secret(settings: Settings) -> Settings:
    """Embedded mode keeps a generated HS256 secret in the data dir."""
    if settings.jwt_secret or not settings.uses_hmac:
        return settings
    from cairn.cli.embedded import read_or_create_secret

    secret = read_or_create_secret(settings.data_dir / "jwt_secret", 48)
    return settings.model_copy(update={"jwt_secret": secret})


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from cairn.app import create_app
    from cairn.auth import issue_token
    from cairn.cli.embedded import EmbeddedPostgres, EmbeddedS3, ensure_service_login
    from cairn.db.migrate import migrate

    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if settings.database_url is None and not settings.jwt_secret and settings.uses_hmac:
        settings = _jwt_secret(settings)
    elif settings.uses_hmac and not settings.jwt_secret:
        return _fail("invalid setting CAIRN_JWT_SECRET: required when CAIRN_DATABASE_URL is set")
    postgres: EmbeddedPostgres | None = None
    s3: EmbeddedS3 | None = None
    try:
        if settings.database_url is None:
            postgres = EmbeddedPostgres(settings.data_dir / "postgres")
            owner = postgres.start()
            asyncio.run(migrate(owner))
            asyncio.run(ensure_service_login(owner))
            settings = settings.model_copy(update={"database_url": postgres.service_url()})
            print(f"embedded PostgreSQL ready ({settings.data_dir / 'postgres'})", flush=True)
        else:
            asyncio.run(migrate(settings.database_url))
        if settings.s3_endpoint is None:
            s3 = EmbeddedS3(settings.data_dir / "s3")
            endpoint = s3.start()
            settings = settings.model_copy(
                update={
                    "s3_endpoint": endpoint.url,
                    "s3_access_key": endpoint.access_key,
                    "s3_secret_key": endpoint.secret_key,
                }
            )
            print(f"embedded S3 (SeaweedFS) ready at {endpoint.url}", flush=True)
        app = create_app(settings)
        base = f"http://{args.host}:{args.port}"
        if settings.uses_hmac:
            token = issue_token(
                settings, org_id="default", subject="cairn-serve", ttl_seconds=86400
            )
            print(f"GraphiQL: {base}/graphql", flush=True)
            print(f"Token for organization 'default' (24 h):\n{token}", flush=True)
        else:
            print(f"GraphiQL: {base}/graphql", flush=True)
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", lifespan="on")
        return 0
    finally:
        if s3 is not None:
            s3.stop()
        if postgres is not None:
            postgres.stop()


def cmd_migrate(_: argparse.Namespace) -> int:
    from cairn.db.migrate import migrate

    settings = load_settings()
    if not settings.database_url:
        return _fail("invalid setting CAIRN_DATABASE_URL: required for 'cairn migrate'")
    applied = asyncio.run(migrate(settings.database_url))
    print(f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else ""))
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    from cairn.auth import ALL_SCOPES, issue_token

    settings = _jwt_secret(load_settings())
    try:
        token = issue_token(
            settings,
            org_id=args.org,
            subject=args.subject,
            scopes=args.scope or list(ALL_SCOPES),
            ttl_seconds=args.ttl,
        )
    except ValueError as exc:
        return _fail(str(exc))
    print(token)
    return 0


def cmd_export_schema(_: argparse.Namespace) -> int:
    from cairn.graphql.schema import build_schema

    sys.stdout.write(build_schema(Settings()).as_str() + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cairn", description="Cairn artifact service")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve /graphql (embedded PostgreSQL and S3 by default)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)

    sub.add_parser("migrate", help="apply sql/ migrations").set_defaults(func=cmd_migrate)

    token = sub.add_parser("token", help="print a signed JWT")
    token.add_argument("--org", required=True)
    token.add_argument("--subject", default="cairn-cli")
    token.add_argument("--scope", action="append")
    token.add_argument("--ttl", type=int, default=3600)
    token.set_defaults(func=cmd_token)

    sub.add_parser("export-schema", help="print the SDL").set_defaults(func=cmd_export_schema)

    from cairn.cli import client

    client.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except SettingsError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

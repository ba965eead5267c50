"""The web platform (数字治理平台): FastAPI app with server-rendered pages and a REST API.

Needs the ``web`` extra (fastapi, uvicorn, python-multipart, argon2-cffi, itsdangerous).
"""

from ronghe.web.app import create_app

__all__ = ["create_app"]

"""Routes: intel (see the module that owns it)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()

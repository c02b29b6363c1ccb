"""The demo network: real Cités des métiers sites, their référentiel and generated staff."""

from certify.demo.generator import (
    DEFAULT_SEED,
    DEFAULT_STAFF,
    AfterGeneration,
    DemoSummary,
    Progress,
    generate,
    populate,
)
from certify.demo.plans import Profile

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_STAFF",
    "AfterGeneration",
    "DemoSummary",
    "Profile",
    "Progress",
    "generate",
    "populate",
]

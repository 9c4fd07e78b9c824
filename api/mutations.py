"""Mutations: operators register charge points and id tags, and command charge points."""

from __future__ import annotations

import strawberry

from api.commands import CommandMutations
from api.operators import OperatorMutations


@strawberry.type
class Mutation(OperatorMutations, CommandMutations):
    pass

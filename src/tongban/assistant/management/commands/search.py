"""``tongban search "QUESTION" [--limit 5] [--json]``: ask the search assistant from the command line."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tongban.assistant.services import search


class Command(BaseCommand):
    help = "Answer a citizen's question with the best matching service items."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("question")
        parser.add_argument("--limit", type=int, default=5)
        parser.add_argument("--json", action="store_true", help="print [{code, name, department, score}, …]")

    def handle(self, *args: Any, **options: Any) -> None:
        answer = search(question=options["question"], limit=options["limit"], with_guides=False)
        rows = [
            {"code": h.code, "name": h.name, "department": h.department, "score": round(h.score, 4)}
            for h in answer.hits
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        if answer.bundle:
            self.stdout.write(f"一件事: {answer.bundle.name}")
        for rank, (row, hit) in enumerate(zip(rows, answer.hits, strict=True), start=1):
            self.stdout.write(f"{rank}. {row['name']} · {row['department']} · {row['code']} ({row['score']})")
            self.stdout.write(f"   {' '.join(hit.matched)}")

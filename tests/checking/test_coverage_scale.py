"""The coverage check takes time linear in a long statement's claims and findings.

Never a wall-clock bound: a statement and one four times as long (four times the claims, four
times the findings), and the larger must take less than eight times as long (linear time takes
about four times; comparing every finding with every claim took ten times and more). Processor
time, the best of three runs, the garbage collector waiting.

Internals tested directly (private modules): the coverage check
(``claimcheck.checking._coverage.uncovered``), which ``check`` runs for each claims file."""

from __future__ import annotations

from pathlib import Path

import claimcheck
from claimcheck.checking._coverage import uncovered
from support import best_cpu_seconds, numbered_word

_FACTOR = 4
_BOUND = 8


_CLAIMS = ("is here", "goes there", "stays", "ends")


def _claim_set(size: int, folder: Path) -> claimcheck.ClaimSet:
    # Each line: four claims (no finding: no quotation mark, figure or date) and a quotation no
    # claim covers (a finding), so that every finding was compared with every claim.
    folder.mkdir()
    words = [numbered_word(n) for n in range(size)]
    lines = [
        f"Now {w} is here, {w} goes there, {w} stays, {w} ends, and “{w} said so” again.\n"
        for w in words
    ]
    (folder / "s.md").write_text("".join(lines), encoding="utf-8")
    claims = "".join(
        f'[[claim]]\nid = "c{n}-{k}"\nkind = "quote"\ntext = "{numbered_word(n)} {words}"\n'
        'unsourced = "x"\n'
        for n in range(size)
        for k, words in enumerate(_CLAIMS)
    )
    (folder / "claims.toml").write_text(f'[statement]\ntext = "s.md"\n{claims}', encoding="utf-8")
    return claimcheck.load(folder / "claims.toml")


def test_coverage_grows_linearly(tmp_path: Path) -> None:
    sets = [_claim_set(size, tmp_path / str(size)) for size in (500, 500 * _FACTOR)]

    def finds_each(claim_set: claimcheck.ClaimSet) -> None:
        assert len(uncovered(claim_set)) == len(claim_set.claims) // len(_CLAIMS)

    small, large = best_cpu_seconds([lambda: finds_each(sets[0]), lambda: finds_each(sets[1])])
    assert large / max(small, 1e-4) < _BOUND, (small, large)

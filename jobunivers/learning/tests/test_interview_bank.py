"""The interview question bank (issue 18): at least 200 questions written in Danish, by occupation group
and general, each with what a good answer covers; files that break the format are refused by name."""

from pathlib import Path

import pytest

from jobunivers.learning import interview_bank
from jobunivers.learning.interview_bank import BankFileError, bank, group_for, parse, questions_for


def test_the_bank_holds_over_200_questions_in_groups_with_what_a_good_answer_covers():
    # given the bank shipped with the code
    groups = bank()
    questions = [q for g in groups.values() for q in g.questions]
    # then it has 219 questions in 14 groups, each with 2-4 points and a tip, keys unique
    assert len(questions) == 219
    assert len(groups) == 14
    assert len({q.key for q in questions}) == 219
    assert all(2 <= len(q.points) <= 4 and q.tip for q in questions)
    assert groups["generelle"].questions[0].text == "Fortæl lidt om dig selv."
    assert all(len(g.questions) >= 12 for g in groups.values())


@pytest.mark.parametrize(("isco", "group"), [
    ("5322", "omsorg-og-sundhed"), ("2221", "omsorg-og-sundhed"), ("5311", "paedagogik-og-undervisning"),
    ("7115", "haandvaerk-og-byggeri"), ("7411", "haandvaerk-og-byggeri"), ("8332", "transport"),
    ("8344", "lager"), ("9333", "lager"), ("4321", "lager"), ("4311", "kontor-og-administration"), ("5223", "butik-og-salg"),
    ("2512", "it"), ("5120", "restaurant-og-koekken"), ("9112", "rengoering-og-service"),
    ("8160", "industri-og-produktion"), ("1211", "ledelse"), ("0110", None), ("", None)])
def test_a_job_finds_its_group_by_the_longest_isco_prefix(isco, group):
    found = group_for(isco)
    assert (found.key if found else None) == group


def test_a_session_opens_and_closes_like_an_interview_and_mixes_the_jobs_own_questions():
    # when six questions are drawn for a lorry driver
    drawn = questions_for(isco_code="8332", count=6, seed=3)
    # then the opening and closing are fixed, three come from general and the job's own group, one is difficult
    keys = [q.key for q in drawn]
    assert keys[0] == "gen-01" and keys[-1] == "gen-19"
    assert len(keys) == 6 and len(set(keys)) == 6
    assert sum(q.group == "transport" for q in drawn) == 2
    assert sum(q.group == "svaere-spoergsmaal" for q in drawn) == 1
    # and the same seed gives the same session, another seed another, the count is kept within 5-8
    assert [q.key for q in questions_for(isco_code="8332", count=6, seed=3)] == keys
    assert [q.key for q in questions_for(isco_code="8332", count=6, seed=4)] != keys
    assert len(questions_for(count=2)) == 5 and len(questions_for(count=50)) == 8
    assert all(q.group in ("generelle", "svaere-spoergsmaal") for q in questions_for(isco_code="0110", count=8))


@pytest.mark.parametrize(("content", "message"), [
    ('group = "x"\ntitle = "X"\nisco_prefixes = []\n[[questions]]\nkey = "a-1"\ntext = "Spørgsmål?"\n'
     'points = ["kun ét"]\ntip = "t"\n', "'points' must list 2-4"),
    ('group = "X Y"\ntitle = "X"\nisco_prefixes = []\n', "'group' must be a key"),
    ('group = "x"\ntitle = "X"\nisco_prefixes = ["83a"]\n', "'isco_prefixes' must list"),
    ('group = "x"\ntitle = "X"\nisco_prefixes = []\n[[questions]]\nkey = "a-1"\ntext = ""\n'
     'points = ["a", "b"]\ntip = "t"\n', "a text of 1-200"),
    ('group = "x"\ntitle = "X"\nisco_prefixes = []\n', "no questions"),
    ('group = "x\n', "not valid TOML"),
])
def test_a_file_that_breaks_the_format_is_refused_by_name(tmp_path: Path, content, message):
    path = tmp_path / "99-fejl.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BankFileError, match=message) as refused:
        parse(path)
    assert str(refused.value).startswith("99-fejl.toml")


def test_a_key_used_twice_across_files_is_refused(tmp_path: Path):
    for name in ("00-generelle.toml", "12-svaere-spoergsmaal.toml"):
        (tmp_path / name).write_text((interview_bank.DATA_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "50-kopi.toml").write_text(
        'group = "kopi"\ntitle = "Kopi"\nisco_prefixes = ["9"]\n[[questions]]\nkey = "gen-01"\ntext = "Igen?"\n'
        'points = ["a", "b"]\ntip = "t"\n', encoding="utf-8")
    with pytest.raises(BankFileError, match="'gen-01' is used twice"):
        bank.__wrapped__(tmp_path)


def test_warehouse_and_driving_are_groups_of_their_own():
    # given the bank: a warehouse worker is not asked about routes and tachographs, a driver not about picking
    groups = bank()
    # then no warehouse question speaks of driving a vehicle, and every transport question is about driving
    assert not [q.key for q in groups["lager"].questions if "chauffør" in q.text.lower() or "rute" in q.text]
    assert {q.key for q in groups["transport"].questions} == {f"tra-{n:02}" for n in range(1, 13)}
    # and a lorry driver's session draws only the driving questions of the two
    drawn = {q.group for seed in range(20) for q in questions_for(isco_code="8332", count=8, seed=seed)}
    assert drawn == {"generelle", "transport", "svaere-spoergsmaal"}

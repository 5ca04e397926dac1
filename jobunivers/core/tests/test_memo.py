from jobunivers.core.memo import BoundedMemo


def test_the_least_recently_used_entry_goes_first_when_full():
    memo: BoundedMemo[str] = BoundedMemo(2)
    memo.put(1, "a")
    memo.put(2, "b")
    assert memo.get(1) == "a"  # 1 is now the most recently used
    memo.put(3, "c")
    assert (list(memo), memo.get(2), len(memo)) == ([1, 3], None, 2)


def test_the_bound_may_be_read_each_time_and_clear_empties_it():
    limit = {"n": 3}
    memo: BoundedMemo[int] = BoundedMemo(lambda: limit["n"])
    for key in range(3):
        memo.put(key, key)
    limit["n"] = 1
    memo.put(9, 9)
    assert list(memo) == [9]
    memo.clear()
    assert len(memo) == 0

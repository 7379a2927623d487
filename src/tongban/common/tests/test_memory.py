"""A process's bounded memories (common.memory)."""

from tongban.common.memory import ProcessMemory, forget_everything_remembered


def test_a_full_memory_is_emptied_before_it_takes_more_and_all_memories_forget_at_once():
    places: ProcessMemory[str, int] = ProcessMemory(limit=2)
    other: ProcessMemory[str, str] = ProcessMemory(limit=10)
    places.remember("a", 1)
    places.remember("b", 2)
    assert (places.get("a"), places.get("b"), len(places)) == (1, 2, 2)
    places.remember("c", 3)  # full: emptied, then the new fact kept
    assert (places.get("a"), places.get("c"), len(places)) == (None, 3, 1)
    other.remember("x", "y")
    forget_everything_remembered()
    assert len(places) == len(other) == 0

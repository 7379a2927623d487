"""Chinese segmentation for index and queries: jieba with the domain dictionary, reduced to the tokens both
SQLite FTS5 (unicode61) and PostgreSQL (to_tsvector 'simple') treat as one word — runs of CJK or of a-z0-9."""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

import jieba

DOMAIN_DICTIONARY = Path(__file__).resolve().parent / "data" / "domain_dict.txt"
_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+|[a-z0-9]+")
_lock = threading.Lock()
_ready = False

# Words that carry no meaning for finding an item (question words, filler, verbs every item shares).
STOPWORDS = frozenset(
    [
        "我",
        "我们",
        "你",
        "他",
        "她",
        "想",
        "想要",
        "要",
        "需要",
        "怎么",
        "怎么样",
        "怎样",
        "如何",
        "哪里",
        "哪儿",
        "在哪",
        "在哪里",
        "去",
        "什么",
        "啥",
        "吗",
        "呢",
        "吧",
        "了",
        "的",
        "地",
        "得",
        "和",
        "与",
        "及",
        "或",
        "或者",
        "是",
        "有",
        "没有",
        "能",
        "能不能",
        "可以",
        "可不",
        "不",
        "一下",
        "一个",
        "请问",
        "请",
        "帮",
        "帮我",
        "给",
        "把",
        "被",
        "到",
        "在",
        "从",
        "找",
        "办",
        "办理",
        "申请",
        "申办",
        "手续",
        "流程",
        "材料",
        "哪些",
        "那些",
        "这个",
        "那个",
        "些",
        "多久",
        "多少",
        "时间",
        "几天",
        "怎么办",
        "该",
        "应该",
        "用",
        "还",
        "又",
        "也",
        "都",
        "就",
        "刚",
        "刚刚",
        "已经",
        "时候",
        "之后",
        "以后",
        "后",
        "前",
        "里",
        "上",
        "下",
        "家",
        "个",
        "们",
        "人",
        "事",
        "事项",
        "自己",
        "咋",
        "咋办",
        "需",
        "要求",
        "啊",
        "呀",
        "哦",
        "嗯",
        "条件",
        "弄",
        "搞",
        "一",
        "新",
        "本人",
        "家里",
        "办证",
        "一下",
        "没",
        "能否",
        "是否",
        "请问",
        "好",
        "想问",
        "问",
        "问问",
        "知道",
        "查一下",
        "我家",
        "现在",
        "得",
        "开始",
        "要办",
    ]
)

log = logging.getLogger(__name__)


def _ensure_dictionary() -> None:
    global _ready
    if _ready:
        return
    with _lock:
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        if DOMAIN_DICTIONARY.is_file():
            jieba.load_userdict(str(DOMAIN_DICTIONARY))
        _ready = True


def add_words(words: list[str]) -> None:
    """Teach the segmenter words (synonym terms) so they stay whole."""
    _ensure_dictionary()
    for word in words:
        if word and len(word) <= 12:
            jieba.add_word(word, freq=2000)


def tokens(text: str) -> list[str]:
    """Search-mode segmentation (whole words and their dictionary sub-words), filtered to indexable tokens."""
    _ensure_dictionary()
    out: list[str] = []
    for word in jieba.cut_for_search(text.lower()):
        out.extend(_WORD.findall(word))
    return out


def words(text: str) -> list[str]:
    """Precise-mode segmentation without guessing unknown words (a question's words, not their sub-words)."""
    _ensure_dictionary()
    out: list[str] = []
    for word in jieba.cut(text.lower(), HMM=False):
        out.extend(_WORD.findall(word))
    return out


def query_terms(text: str) -> list[str]:
    """Distinct meaningful words of a question, in order."""
    return list(dict.fromkeys(t for t in words(text) if t not in STOPWORDS))

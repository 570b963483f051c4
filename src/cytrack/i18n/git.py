"""Words of `git-setup`."""

from __future__ import annotations

from cytrack.i18n.core import lookup

# What `git-setup` reports.
GIT_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "where": "仓库：{root}；台账：{path}",
        "added": "已在 {what} 中加入：{value}",
        "has": "{what} 已有：{value}",
        "set": "已设置 git 配置 {what} = {value}",
        "is": "git 配置 {what} 已是 {value}",
        "nothing": "合并驱动此前已设置好，本次未作改动。",
        "override": "注意：另有 .gitattributes 规则生效，git 合并 {path} 时用的是 merge={value}，"
        "请检查各 .gitattributes 文件。",
        "hint": "请提交 .gitattributes，让各部门的克隆用同一方式合并台账；"
        "git 配置不随克隆复制，每个克隆各运行一次 cytrack git-setup。",
    },
    "en": {
        "where": "Repository: {root}; ledger: {path}",
        "added": "Added to {what}: {value}",
        "has": "{what} already has: {value}",
        "set": "Set git config {what} = {value}",
        "is": "git config {what} is already {value}",
        "nothing": "The merge driver was already set up; nothing changed.",
        "override": "Warning: another .gitattributes rule wins: git merges {path} with merge={value};"
        " check your .gitattributes files.",
        "hint": "Commit .gitattributes so that every clone merges the ledger this way; git config is not"
        " copied by a clone, so run `cytrack git-setup` once in each clone.",
    },
}


def git_word(lang: str, key: str, **kwargs: object) -> str:
    """A line of what ``git-setup`` did, in ``lang``."""
    return lookup(GIT_WORDS, lang, key, **kwargs)

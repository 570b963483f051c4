"""Synthetic ledgers of N commitments and the same data as Taskwarrior import JSON.

Every commitment has five progress entries of realistic Chinese text; about one in
five is overdue as of the day the data is made, one in ten is closed.  The same
random seed always yields the same ledger, so runs are comparable.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

UNITS = ("市经济信息委", "市发展改革委", "市科技局", "市委金融办", "市教委", "市人力社保局")
TOPICS = (
    "电子信息先进制造集群", "汽车产业链协同", "氢走廊建设", "智能网联新能源汽车", "工业互联网标识解析",
    "成渝综合性科学中心", "科技成果转移转化", "金融领域双核联动", "产业引导基金", "高层次人才引进",
    "职业技能等级认定互认", "川渝产业园区合作", "数字经济创新发展", "生物医药产业协作", "能源保供协同",
)
ACTIONS = ("培育提升三年行动", "合作机制建设", "专项工作方案", "平台共建共享", "试点示范", "政策协同清单")
NOTES = (
    "已召开专题推进会，明确责任分工和时间节点。",
    "会同川方有关部门完成联合调研，形成调研报告初稿。",
    "已报请市政府审定，待印发实施。",
    "组织重点企业座谈，梳理出需协调解决的问题{n}项。",
    "完成年度目标任务的{p}%，下一步加快推进项目落地。",
    "牵头单位已书面报送阶段性进展，附会议纪要。",
    "受用地指标影响，部分子项目进度滞后，已协调解决。",
    "联合印发工作要点，建立月度调度机制。",
)
PEOPLE = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏")
TAGS = ("产业协同", "科技创新", "金融合作", "人才", "体制机制", "电子信息", "汽车")
REVIEWS = ("monthly", "quarterly", "half-yearly")

HEADER = """\
# 基准测试用合成台账（cytrack bench）：{n}项承诺事项，每项5条进展。
schema = 1

[source]
proposal = "1181"
title = "关于推动成渝地区双城经济圈产业协同的建议"
proposer = "苏静"
lead_unit = "市经济信息委"
co_units = ["市发展改革委", "市科技局", "市委金融办", "市教委", "市人力社保局"]
signed_by = "王志杰"
category = "B"
feedback = "pending"

[sections]
"1" = "持续开展体制机制创新"
"2" = "持续加强产业协同发展"
"3" = "持续强化科技创新支撑"
"4" = "持续优化金融合作机制"
"5" = "持续加强高层次人才培养"
"""


@dataclass
class Entry:
    date: date
    status: str | None
    percent: int
    note: str
    by: str
    evidence: str


@dataclass
class Item:
    id: str
    section: int
    title: str
    quote: str
    lead: str
    co_owners: list[str]
    status: str
    percent: int
    due: date
    review: str
    tags: list[str]
    progress: list[Entry]


def make_items(n: int, today: date, seed: int = 1181) -> list[Item]:
    """``n`` commitments; about 20 % overdue as of ``today``, 10 % done."""
    rng = random.Random(seed)
    items = []
    per_section = -(-n // 5)
    for k in range(n):
        section = k // per_section + 1
        topic = rng.choice(TOPICS)
        action = rng.choice(ACTIONS)
        lead = rng.choice(UNITS)
        closed = k % 10 == 9
        overdue = k % 5 == 2
        due = today - timedelta(days=rng.randint(10, 300)) if overdue else today + timedelta(days=rng.randint(5, 400))
        start = today - timedelta(days=rng.randint(200, 400))
        dates = sorted(start + timedelta(days=rng.randint(0, 190)) for _ in range(5))
        progress = []
        percent = 0
        for j, d in enumerate(dates):
            percent = min(100, percent + rng.randint(5, 25))
            status = "in_progress" if j == 0 else None
            if closed and j == 4:
                status, percent = "done", 100
            note = rng.choice(NOTES).format(n=rng.randint(2, 9), p=percent)
            evidence = f"渝经信发〔{d.year}〕{rng.randint(1, 199)}号"
            progress.append(Entry(d, status, percent, note, rng.choice(PEOPLE), evidence))
        items.append(
            Item(
                id=f"{section}-{k % per_section + 1}",
                section=section,
                title=f"{topic}{action}",
                quote=f"推动{topic}{action}，深化川渝两地产业协作，形成一批可复制推广的经验。",
                lead=lead,
                co_owners=rng.sample([u for u in UNITS if u != lead], 2),
                status="done" if closed else "in_progress",
                percent=percent,
                due=due,
                review=rng.choice(REVIEWS),
                tags=rng.sample(TAGS, 2),
                progress=progress,
            )
        )
    return items


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _list(values: list[str]) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def ledger_text(items: list[Item]) -> str:
    """The items as a cytrack ledger (schema 1), laid out the way people write it."""
    out = [HEADER.format(n=len(items))]
    for it in items:
        out.append(
            f"\n[[commitments]]\nid = {_q(it.id)}\nsection = {it.section}\ntitle = {_q(it.title)}\n"
            f"quote = {_q(it.quote)}\nlead = {_q(it.lead)}\nco_owners = {_list(it.co_owners)}\n"
            f'status = "{it.status}"\npercent = {it.percent}\ndue = {it.due.isoformat()}\ndue_basis = "assumed"\n'
            f'review = "{it.review}"\ntags = {_list(it.tags)}\n'
        )
        for e in it.progress:
            status = f'  status = "{e.status}"\n' if e.status else ""
            out.append(
                f"\n  [[commitments.progress]]\n  date = {e.date.isoformat()}\n{status}  percent = {e.percent}\n"
                f"  note = {_q(e.note)}\n  by = {_q(e.by)}\n  evidence = {_q(e.evidence)}\n"
            )
    return "".join(out)


def _tw_time(d: date) -> str:
    return datetime(d.year, d.month, d.day, 12, 0, 0).strftime("%Y%m%dT%H%M%SZ")


def taskwarrior_json(items: list[Item]) -> str:
    """The same items as Taskwarrior 2.6 import JSON: one task per commitment, notes as annotations."""
    tasks = []
    rng = random.Random(7)
    for it in items:
        task = {
            "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "description": it.title,
            "project": f"s{it.section}",
            "status": "completed" if it.status == "done" else "pending",
            "entry": _tw_time(it.progress[0].date - timedelta(days=1)),
            "due": _tw_time(it.due),
            "tags": it.tags,
            "owner": it.lead,
            "annotations": [{"entry": _tw_time(e.date), "description": e.note} for e in it.progress],
        }
        if it.status == "done":
            task["end"] = _tw_time(it.progress[-1].date)
        tasks.append(task)
    # Annotations on the same day would collide on their key; Taskwarrior keys them by
    # entry time, so spread them by a second each.
    for task in tasks:
        for j, a in enumerate(task["annotations"]):
            a["entry"] = a["entry"][:-3] + f"{j:02d}Z"
    return json.dumps(tasks, ensure_ascii=False)


REPLY_HEADER = """\
# 基准测试用合成答复件（cytrack bench）：{n}项承诺事项。
schema = 1

[source]
kind = "{kind}"
proposal = "{number}"
title = "关于{topic}的{word}"
lead_unit = "{lead}"
replied = {replied}

[sections]
"1" = "持续开展体制机制创新"
"2" = "持续加强产业协同发展"
"3" = "持续强化科技创新支撑"
"4" = "持续优化金融合作机制"
"5" = "持续加强高层次人才培养"
"""


def office_files(items: list[Item], files: int, today: date) -> tuple[str, list[tuple[str, str]]]:
    """The items as an office ledger (contract §6): the entry file's text, and ``files`` reply
    files ``(name, text)`` of about equal size.  A third are suggestions; years vary; every
    reply numbers its own commitments ``1-1``, ``1-2``…, so bare ids are shared."""
    rng = random.Random(523)
    out = []
    for f in range(files):
        chunk = items[f * len(items) // files : (f + 1) * len(items) // files]
        if not chunk:
            break
        kind = "suggestion" if f % 3 == 2 else "proposal"
        number = 100 + f
        key = f"s{number}" if kind == "suggestion" else str(number)
        per_section = -(-len(chunk) // 5)
        renumbered = []
        for k, it in enumerate(chunk):
            section = k // per_section + 1
            renumbered.append(Item(**{**it.__dict__, "id": f"{section}-{k % per_section + 1}", "section": section}))
        head = REPLY_HEADER.format(
            n=len(chunk), kind=kind, number=number, topic=rng.choice(TOPICS),
            word="建议" if kind == "suggestion" else "提案",
            lead=rng.choice(UNITS), replied=date(today.year - f % 3, 7, 1).isoformat(),
        )
        body = ledger_text(renumbered)
        body = head + body[body.index("\n[[commitments]]") :]
        out.append((f"replies/{key}.toml", body))
    return 'schema = 1\ninclude = ["replies/*.toml"]\n', out

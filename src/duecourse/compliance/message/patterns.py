"""What the checker looks for: one row per pattern, with its code, rule and explanation.

Patterns are data. Chinese patterns match characters; English ones are case-insensitive and
bounded by word edges. A match preceded in its clause by a negation or an anti-fraud warning
("不会", "谨防", "never", "beware of") is not a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Code(StrEnum):
    """Finding codes of DESIGN.md §3."""

    THREAT_VIOLENCE = "THREAT_VIOLENCE"
    HARASSMENT = "HARASSMENT"
    INSULT = "INSULT"
    THIRD_PARTY_DISCLOSURE = "THIRD_PARTY_DISCLOSURE"
    IMPERSONATION = "IMPERSONATION"
    FALSE_LEGAL_CLAIM = "FALSE_LEGAL_CLAIM"
    UNOFFICIAL_PAYMENT_CHANNEL = "UNOFFICIAL_PAYMENT_CHANNEL"
    CREDIT_REPAIR_SCAM = "CREDIT_REPAIR_SCAM"
    SUSPICIOUS_LINK = "SUSPICIOUS_LINK"
    EXTRA_FEE = "EXTRA_FEE"
    BORROW_TO_REPAY = "BORROW_TO_REPAY"
    DOOR_VISIT_MENTION = "DOOR_VISIT_MENTION"
    LEGAL_ACTION_MENTION = "LEGAL_ACTION_MENTION"


VIOLATIONS = frozenset(
    {
        Code.THREAT_VIOLENCE,
        Code.HARASSMENT,
        Code.INSULT,
        Code.THIRD_PARTY_DISCLOSURE,
        Code.IMPERSONATION,
        Code.FALSE_LEGAL_CLAIM,
        Code.EXTRA_FEE,
        Code.BORROW_TO_REPAY,
    }
)
SCAMS = frozenset({Code.UNOFFICIAL_PAYMENT_CHANNEL, Code.CREDIT_REPAIR_SCAM, Code.SUSPICIOUS_LINK})
SIGNALS = frozenset({Code.DOOR_VISIT_MENTION, Code.LEGAL_ACTION_MENTION})


@dataclass(frozen=True, slots=True)
class Pattern:
    code: Code
    rule: str | None
    regex: re.Pattern[str]
    explanation: str


def _p(code: Code, rule: str | None, explanation: str, *regexes: str) -> list[Pattern]:
    return [Pattern(code, rule, re.compile(r, re.IGNORECASE), explanation) for r in regexes]


PATTERNS: tuple[Pattern, ...] = tuple(
    _p(
        Code.THREAT_VIOLENCE,
        "CN-BAN-2",
        "暴力或威胁 threat of violence or harm",
        r"打断(你|他|她)?的?(腿|手)",
        r"(弄死|砍死|打死|废了)你",
        r"让你(好看|付出代价|后悔|出事)",
        r"小心(你|你的)?(家人|孩子|安全)",
        r"(知道|清楚)你(孩子|女儿|儿子)(在|的)(哪|学校)",
        r"后果自负",
        r"(泼|喷)(油漆|红漆)",
        r"\b(break your legs|hurt you|you will regret|"
        r"watch your back|we know where your (kids|children|family) (are|live))\b",
        r"\bsomething (bad )?(might|will) happen to (you|your family)\b",
    )
    + _p(
        Code.HARASSMENT,
        "CN-BAN-2",
        "骚扰 harassment",
        r"(每天|天天|24小时|全天)(不停|轮番|轮流)?(打|call|骚扰)",
        r"(轰炸|呼死你)",
        r"打到你(接|还钱)为止",
        r"\b(call you every (hour|day) until|keep calling until)\b",
        r"\bbomb(ard)? your phone\b",
    )
    + _p(
        Code.INSULT,
        "CN-BAN-2",
        "侮辱 insult",
        r"(老赖|骗子|无赖|人渣|废物|垃圾|不要脸|畜生|王八蛋)",
        r"\b(deadbeat|scum|loser|thief|worthless|pathetic)\b",
    )
    + _p(
        Code.THIRD_PARTY_DISCLOSURE,
        "CN-BAN-4",
        "向第三方披露或公开 disclosure to third parties",
        r"(通知|告诉|联系|打给|发给)(你的?)?(所有|全部)?(通讯录|联系人|亲友|家人|父母|同事|领导|单位|公司|老板|朋友|邻居)",
        r"爆(你的?)?通讯录",
        r"(去|到)(你|您)的?(公司|单位|家).{0,6}(找|告诉|通知)(你的?|您的?)?(老板|领导|同事|家人|父母)",
        r"\b(tell|inform|contact|call|notify) (all )?(your )?(employer|boss|family|"
        r"relatives|neighbou?rs|colleagues|contacts|friends)\b",
        r"\btell (your )?(whole |entire )?(street|neighbou?rhood|village|family|everyone)\b",
    )
    + _p(
        Code.THIRD_PARTY_DISCLOSURE,
        "CN-BAN-6",
        "在公共场所或网上张贴催收信息 posting collection notices in public",
        r"(张贴|贴到|贴在|公示|曝光|发到)(到|在)?(你的?)?(家门口|门上|小区|单位|朋友圈|群|网上|村里|公司)",
        r"\b(post|publish|share|put up) (it|this|a notice|notices|your debt|your name)"
        r" (online|on social media|in public|on your door|around your building)\b",
    )
    + _p(
        Code.THREAT_VIOLENCE,
        "CN-BAN-7",
        "非法占有或处置财产 taking or disposing of property",
        r"(搬走|拉走|开走|收走|扣下|扣押|没收)(你的?|您的?)?(家具|家电|东西|车|电动车|手机|财物)",
        r"把(你的?|您的?)?(家具|家电|东西|车|电动车|手机|财物)(都)?(搬走|拉走|开走|收走|扣下|扣押|没收)",
        r"\b(take|seize|tow|repossess) (away )?your (car|furniture|things|belongings|phone)\b",
    )
    + _p(
        Code.HARASSMENT,
        "CN-BAN-8",
        "向与债务无关的人催收 demanding payment from people who do not owe it",
        r"(让|叫|找)(你的?)?(父母|爸妈|家人|老婆|老公|孩子|同事|朋友|亲戚)(替你|帮你|来)?(还钱|还款|还债)",
        r"\b(your )?(parents|family|wife|husband|friends|colleagues)"
        r" (will have to|must|should) pay\b",
    )
    + _p(
        Code.IMPERSONATION,
        "CN-BAN-1",
        "冒充公检法、监管或征信机构 impersonating an authority",
        r"(我(们)?是|本人是|这里是)(.{0,6})(公安|警察|派出所|法院|检察院|银保监|金融监管|人民银行|征信中心|网警)",
        r"(公安局|派出所|法院|检察院|经侦)(通知|已|将|正式)",
        r"(法院|公安)(传票|立案通知)",
        r"(征信中心|人民银行)(通知|已)",
        r"\b(this is|we are) (the )?(police|fbi|court|"
        r"sheriff|irs|cfpb|credit bureau)\b",
        r"\b(officer|agent) .{0,20}(badge|warrant)\b",
    )
    + _p(
        Code.FALSE_LEGAL_CLAIM,
        "CN-BAN-3",
        "虚假或夸大的法律后果 false or exaggerated legal claim",
        r"(抓|拘留|逮捕|坐牢|判刑|刑事(立案|责任|案件)|诈骗罪|拘捕|上门抓人|列入(黑名单|失信))",
        r"(征信|信用)(黑名单|永久|终身|一辈子)",
        r"(子女|孩子)(不能|无法|将不能)(上学|考公|考编|参军)",
        r"(冻结|查封)(你的?)?(所有|全部)(银行卡|账户|财产)",
        r"\b(arrest(ed)?|jail|prison|criminal (charges?|case)|warrant for your arrest|"
        r"blacklist(ed)?( forever)?|deport(ed)?)\b",
        r"\b(your (children|kids) (will|can)( not|'t) (go to school|get jobs))\b",
    )
    + _p(
        Code.UNOFFICIAL_PAYMENT_CHANNEL,
        "CN-BAN-5",
        "非官方还款渠道 unofficial payment channel",
        r"(转账|打款|汇款|还款|转)(到|至|给)(个人|私人|我的?|经理|专员)",
        r"(个人|私人)(账户|账号|银行卡|微信|支付宝)",
        r"(充值|购买|买)[^，。,]{0,8}(礼品卡|购物卡|点卡|充值卡|游戏卡)",
        r"卡密(?!码)",
        r"\b(gift cards?|itunes card|wire (it|the money) to my|personal account|"
        r"send (it|money|payment) (to|via) (my )?(venmo|zelle|cash ?app|paypal))\b",
    )
    + _p(
        Code.CREDIT_REPAIR_SCAM,
        "CN-BAN-3",
        "征信修复/注销账户骗局 credit-repair or cancellation scam",
        r"(征信|信用)(修复|洗白|铲单|消除|清除|删除)",
        r"(注销|关闭)(你的?)?(校园贷|学生)?(账户|账号|贷款记录)",
        r"(校园贷|学生贷)[^，。,]{0,6}(注销|关闭)",
        r"(内部|特殊)(渠道|关系)(消除|处理)(逾期|记录)",
        r"\b(credit repair|erase|wipe|remove) (your )?(bad )?(credit|record|history)\b",
        r"\bcancel your (student )?loan account\b",
    )
    + _p(
        Code.SUSPICIOUS_LINK,
        "DC-MSG-LINK",
        "可疑链接 suspicious link",
        r"(https?://|www\.)[^\s，。]+",
        r"\b[a-z0-9-]+\.(cn|top|xyz|vip|cc|icu|link)/[^\s]*",
    )
    + _p(
        Code.EXTRA_FEE,
        "CN-BAN-5",
        "以催收名义收取额外费用 extra fees in the name of collection",
        r"(催收费|上门费|外访费|手续费|服务费|律师费|处理费|保证金)",
        r"\b(collection fee|processing fee|visit fee|service charge|release fee)\b",
    )
    + _p(
        Code.BORROW_TO_REPAY,
        "CN-BAN-5",
        "诱导借新还旧 pressure to borrow to repay",
        r"(借|网贷|信用卡|套现|找朋友借|下载.{0,6}(借|贷)).{0,8}(还|来还|还上|还款)",
        r"(以贷养贷|借新还旧|拆东墙)",
        r"\b(borrow|take (out )?a (new )?loan|use another (loan|card)) (from .{0,20})?to "
        r"(pay|repay)\b",
        r"\bsell your (car|house|phone)\b",
    )
    + _p(
        Code.DOOR_VISIT_MENTION,
        None,
        "提到上门 mentions a door visit",
        r"(上门|外访|登门|到(你|您)(的)?(家|单位|公司|户籍地)|实地走访|家访)",
        r"\b(home visit|field visit|visit (you|your (home|house|address|workplace))|"
        r"knock on your door|come to your (home|house|door))\b",
    )
    + _p(
        Code.LEGAL_ACTION_MENTION,
        None,
        "提到诉讼等法律程序 mentions legal action",
        r"(起诉|诉讼|律师函|仲裁|法律程序|申请(强制)?执行|支付令)",
        r"\b(sue|lawsuit|legal action|attorney letter|court (proceedings|action)|"
        r"arbitration)\b",
    )
)

#: Words that, before a match in the same clause, make it a negation or a warning.
NEGATIONS = re.compile(
    r"(不会|不得|绝不|决不|从不|并不|不是|并非|没有|不存在|禁止|严禁|谨防|警惕|小心|当心|请勿|切勿|"
    r"防范|识别|冒充|假冒|虚假|所谓|无需|不用|不收取|不收)|\b(never|not|no|won't|will not|don't|"
    r"do not|doesn't|beware|fake|scam|fraud|cannot|can't|isn't|aren't|nobody|no one)\b",
    re.IGNORECASE,
)
CLAUSE_BREAKS = re.compile(r"[。！？!?;；，,\n]|\.\s")
#: How far before a match (in characters, within its clause) a negation still applies:
#: Chinese packs meaning densely, English needs a few words more.
NEGATION_REACH = {"zh": 14, "en": 40}
#: A clause that goes on to call the thing a scam is a warning, not a claim.
WARNED_AFTER = re.compile(
    r"(都是|均为|就是|是)(骗局|诈骗|骗子|假的)|\bis a scam\b|\bare scams?\b", re.IGNORECASE
)
CJK = re.compile(r"[\u4e00-\u9fff]")

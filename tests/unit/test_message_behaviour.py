"""check-message on the messages issue 14 quoted and on obfuscated forms, and on inputs that
are not messages at all: empty, wordless, huge."""

from __future__ import annotations

import itertools

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from duecourse.compliance.message.checker import (
    MAX_FINDINGS,
    PIECE_CHARS,
    MessageError,
    check_message,
    pieces,
)
from duecourse.compliance.message.lexicon import lexicon
from duecourse.compliance.message.normalise import normalise
from tests.message_corpus import CORPUS, ruled_out

CASES = yaml.safe_load((CORPUS / "behaviour.yaml").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_as_a_person_would_expect(case):
    got = check_message(case["text"])
    found = {c.value for c in got.codes}
    assert got.verdict.value == case["verdict"], (got.verdict, got.findings)
    assert set(case.get("codes") or ()) <= found
    assert not found & ruled_out(case), got.findings
    assert got.mentions_door_visit == case["door"]


def test_spans_point_into_the_text_the_user_gave():
    text = "再不還錢就讓你全家好看"  # traditional: analysed as simplified, reported as given
    threat = next(f for f in check_message(text).findings if f.code.value == "THREAT_VIOLENCE")
    assert text[threat.span[0] : threat.span[1]] == "全家好看"
    spaced = "明天 上 门 找你"
    door = next(f for f in check_message(spaced).findings if f.code.value == "DOOR_VISIT_MENTION")
    assert spaced[door.span[0] : door.span[1]] == "上 门"


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t ", "12345 !!! ???", "\x00\x01\x02\x7f", "☺☺☺ 👍", "\ufeff\u200b"],
    ids=["empty", "blank", "digits-and-punctuation", "control", "emoji-only", "invisible"],
)
def test_a_text_without_words_is_refused_not_judged(text):
    with pytest.raises(MessageError, match="信息") as refused:
        check_message(text)
    assert "message" in str(refused.value)


def test_a_huge_abusive_text_lists_at_most_the_cap_and_counts_the_rest():
    text = "再不还钱就打断你的腿，我们天天去你公司闹，让你全家好看！" * 4000  # about 330 KB
    result = check_message(text)
    assert result.verdict.value == "violation"
    assert len(result.findings) == MAX_FINDINGS
    assert result.omitted > 3 * 4000 - MAX_FINDINGS  # at least three findings a sentence
    last = result.findings[-1]
    assert 0 <= last.span[0] < last.span[1] <= len(text)


def test_a_warning_in_one_message_of_a_long_paste_excuses_nothing_in_another():
    """A pasted log: a complaint about a scam on the first line, a threat on the last. Judged as
    one message, the complaint made the whole text reported speech (``compliant``)."""
    complaint = "我要投诉：有人冒充你们平台发短信说“不还钱就上门”，是不是诈骗？请勿相信此类信息。\n"
    threat = "再不还钱就打断你的腿，明天去你公司闹。\n"
    text = complaint + "您好，本期账单已出，请按时还款。\n" * 120 + threat
    assert len(text) > PIECE_CHARS
    assert check_message(complaint).verdict.value == "compliant"
    result = check_message(text)
    assert result.verdict.value == "violation"
    assert {text[a:b] for a, b in (f.span for f in result.findings)} == {"打断你的腿", "去你公司闹"}
    assert {f.code.value for f in result.findings} == {
        "THREAT_VIOLENCE",
        "HARASSMENT",
        "DOOR_VISIT_MENTION",
    }


@given(
    st.lists(
        st.one_of(st.sampled_from(["\n", "。", " ", "!", ". "]), st.text("催收abc", max_size=40)),
        max_size=60,
    ),
    st.integers(4, 60),
)
def test_pieces_cover_the_text_in_order_each_at_most_the_size(parts, size):
    text = "".join(parts)
    cuts = pieces(text, size)
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(cuts))
    assert all(0 < end - start <= size for start, end in cuts[:-1])
    assert cuts[-1][1] - cuts[-1][0] <= size
    for start, end in cuts[:-1]:  # a piece ends at a line end whenever its window held one
        if "\n" in text[start : start + size]:
            assert text[end - 1] == "\n"


def test_a_piece_is_cut_where_a_clause_ends_not_inside_a_sum():
    """The pieces' clause ends are ``segments.CLAUSE_BREAKS``: the comma grouping the thousands
    of 「1,860元」 ends no clause, so the cut falls after the 「，」 before the sum."""
    text = "嗯，" * 997 + "共1,860元，请按时还款。" * 3
    first = pieces(text)[0]
    assert text[first[1] - 1] == "，"
    assert text[first[1] :].startswith("共1,860元")


@pytest.mark.parametrize(
    ("text", "scam"),
    [
        ("【信用服务中心】一次性信用修复政策已出台！您的记录符合条件，代办费399元。", True),
        ("一次性信用修复政策是自动处理的。有人收“代办费”，纯属诈骗。", False),
        ("一次性信用修复政策已出台。请按时还款，信用会逐步修复。", False),
    ],
    ids=["fee-in-the-next-sentence", "fee-warned-against", "no-fee"],
)
def test_a_fee_for_a_free_relief_is_found_across_sentences(text, scam):
    """``paid_relief`` stands across sentences (``across: true``), and a warning around the fee
    excuses it; the frames alone decide here, not the learned layer."""
    found = {c.value for c in check_message(text, learned=False).codes}
    assert ("CREDIT_REPAIR_SCAM" in found) == scam, found


@pytest.mark.parametrize(
    ("text", "sum_quoted"),
    [
        ("经核实是我们报送有误，逾期记录可以删除，处理费¥300，转支付宝。", "「处理费¥300」"),
        ("根据您提供的住院病历开的证明，可以把逾期记录洗白，费用RMB1,800。", "「费用rmb1,800」"),
    ],
    ids=["yen", "rmb-with-thousands"],
)
def test_the_explanation_quotes_the_whole_sum_asked(text, sum_quoted):
    """A finding's explanation quotes the fee with its whole sum, not its first digit."""
    (finding,) = check_message(text).findings
    assert sum_quoted in finding.explanation, finding.explanation


def test_the_lexicon_reads_chinese_numerals_as_the_text_is_read():
    """The text's 「一次性」 is read 「1次性」; the lexicon's own words are read so too, or a
    lawful relief named with a numeral would never be recognised."""
    text = "人民银行那个一次性信用修复是自动的，不用申请，更不用交钱！"
    assert check_message(text, learned=False).verdict.value == "compliant"


@pytest.mark.parametrize(
    ("text", "urged"),
    [
        ("你不是刚办了张新卡吗，刷两千出来还我们。", True),
        ("实在不行就找你身边朋友凑凑，今天先把这期还上。", True),
        ("能不能先跟同事借一下？先把最低还款还了。", True),
        ("钱不够就去网贷平台借，别跟我说没有。", True),
        ("您信用卡如果还有可用额度，可以先用来还这一期。", True),
        ("您父母那边能不能先支援一下，把这个月的还了。", True),
        ("挪一挪吧，先把这笔补上再说。", True),
        ("适度使用信用卡并按时还款，信用会慢慢变好。", False),
        ("您的抵押贷款逾期已满6个月，请到网点协商。", False),
        ("如您资金周转困难，可以联系我们申请分期还款。", False),
    ],
)
def test_veiled_urging_to_borrow_is_found_and_a_card_repaid_on_time_is_not(text, urged):
    found = {c.value for c in check_message(text, learned=False).codes}
    assert ("BORROW_TO_REPAY" in found) == urged, found


@pytest.mark.parametrize(
    ("text", "scam"),
    [
        ("娃儿，你莫去信那些啥子“征信洗白”哦，都是哄人的。", False),
        (
            "【消费警示】近期有人以“人行内部关系”“7天铲单”为诱饵收取服务费，已有多名消费者受骗。",
            False,
        ),
        ("【本群公告】禁止发布“征信修复”“逾期铲单”类广告，发现即踢。", False),
        ("私我，逾期5年以内的都能处理，不是骗子，先办后付。", True),
    ],
    ids=["dialect-warning", "lure-described", "adverts-banned", "denies-being-a-scam"],
)
def test_a_warning_about_credit_repair_is_no_offer_of_it(text, scam):
    codes = check_message(text, learned=False).codes
    assert ("CREDIT_REPAIR_SCAM" in {c.value for c in codes}) == scam, codes
    assert scam or check_message(text, learned=False).verdict.value == "compliant"


@pytest.mark.parametrize(
    ("text", "scam"),
    [
        ("提醒大家：有人在朋友圈发帖，说花钱就能删掉逾期记录，这种都是骗钱的。", False),
        ("我同事说网上有人称能把征信逾期撤掉，收费八千，这靠谱不？", False),
        ("我听人说有门路能把逾期记录消掉，花钱也行，你知道吗？", False),
        ("这家机构说他们能修复征信，收五千，真有这种事吗？", False),
        ("据警方介绍，该团伙在网上发布广告，承诺可以删除逾期记录，每条收费3000元。", False),
        ("有人说逾期删不掉？我们专业团队能删逾期记录，三天见效。", True),
        ("征信有逾期？我们可以帮你删除逾期记录，当天出方案。", True),
    ],
    ids=[
        "others-warned",
        "friend-asks",
        "heard-of-it",
        "asks-a-lawyer",
        "news-of-a-gang",
        "seller-rebuts",
        "seller",
    ],
)
def test_what_someone_else_claims_told_in_the_third_person_is_reported_speech(text, scam):
    """「有人/这家机构/中介…说能删」 in a message that warns, complains or asks is reported speech
    to the end of its sentence; a seller offering it in the first person is not."""
    codes = {c.value for c in check_message(text, learned=False).codes}
    assert ("CREDIT_REPAIR_SCAM" in codes) == scam, codes


@pytest.mark.parametrize(
    ("text", "scam"),
    [
        ("这下总算洗白了，房贷也批下来了，谢谢你们的分期方案。", False),
        ("那部剧的男二号最后洗白了，我追得好累。", False),
        ("我们的服务不推销任何征信修复产品，只讲解信用报告。", False),
        ("中心不受理删除真实逾期记录的请求。", False),
        ("因扣款通道异常，您的还款晚入账一天，故障已修复，该笔逾期记录已撤销。", False),
        ("您的申请已通过内部渠道提交风控部门审批，请耐心等待。", False),
        ("我司可根据您的住院证明免费出具非恶意逾期证明，记录本身不会改变。", False),
        ("先帮您消除一下顾虑，逾期不会影响家人征信。", False),
        ("在我们老家，做征信修复的骗子被抓了好几个。", False),
        ("专业征信洗白，逾期一条龙处理，不成功不收费。", True),
        ("有银行内部渠道，逾期记录三天消掉，收费3000。", True),
        ("代开非恶意逾期证明，1条500元，加急当天出。", True),
    ],
)
def test_lawful_senses_of_repair_words_are_no_offer(text, scam):
    """洗白 of oneself or a character, a service that sells no repair, a removal refused, a
    fault of the payment channel corrected, an application sent on inside the lender, a statement
    the lender issues itself, a worry removed, sellers named as fraudsters: none is an offer."""
    codes = {c.value for c in check_message(text, learned=False).codes}
    assert ("CREDIT_REPAIR_SCAM" in codes) == scam, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        (
            "您已撤回通讯录授权，我们今后只通过您本人手机号与您联系。",
            "THIRD_PARTY_DISCLOSURE",
            False,
        ),
        ("王老师，我们明天再给您打电话，说说还款方案。", "THIRD_PARTY_DISCLOSURE", False),
        ("我们会给你的老师打电话，说说你欠款的事。", "THIRD_PARTY_DISCLOSURE", True),
        ("请还到官方App，不要转给我个人账户。", "UNOFFICIAL_PAYMENT_CHANNEL", False),
        ("还款转给我个人微信就行。", "UNOFFICIAL_PAYMENT_CHANNEL", True),
        ("我去年做手术住院了，所以逾期了，能开证明吗？", "THREAT_VIOLENCE", False),
        ("建议您带上转账凭证尽快到派出所报案。", "FALSE_LEGAL_CLAIM", False),
        ("法院近日以诈骗罪判处被告人王某有期徒刑三年。", "FALSE_LEGAL_CLAIM", False),
        ("你再不还就以诈骗罪起诉你，判你三年。", "FALSE_LEGAL_CLAIM", True),
    ],
)
def test_lawful_near_misses_of_other_codes(text, code, flagged):
    codes = {c.value for c in check_message(text, learned=False).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "scam"),
    [
        # adverts dressed as reports, questions or disclaimers (a second reader's attacks)
        ("听人说逾期记录可以删除，加微信abc123，包删，当天办理。", True),
        ("征信花了怎么办？中介承诺删除逾期记录，加微信abc123，当天办理。", True),
        ("还在为逾期烦恼吗？网上说的删除逾期记录是真的，加微信abc123…", True),
        ("征信花了怎么办？有人说删不了，我可以帮你删除逾期记录，加我微信abc123。", True),
        ("这是真的吗？朋友圈有人发广告；说能删除逾期记录，收费三千。", True),
        ("我们能帮您删除逾期记录，3天办好，加微信abc123。不提供虚假修复。", True),
        ("征信修复找我，加微信abc123。不承诺修复时间。", True),
        ("逾期记录可以删除，加微信abc123，当天办理。不涉及违法删除。", True),
        # the same words reported or disclaimed by someone who offers nothing
        ("有人说能删逾期记录，别加他微信，都是骗子。", False),
        ("我听人说有门路能把逾期记录弄没，花钱也行，这是真的吗？", False),
        ("本中心提供征信报告解读服务，不涉及任何删除逾期记录的操作。", False),
    ],
)
def test_an_offer_is_not_excused_by_a_report_a_question_or_a_disclaimer_elsewhere(text, scam):
    """Third-person reports count as reported speech only in a message that offers nothing
    itself (no first-person offer, no private channel outside a warning); a disclaimer excuses
    a removal only in its own clause."""
    found = {c.value for c in check_message(text).codes}
    assert ("CREDIT_REPAIR_SCAM" in found) == scam, found


@pytest.mark.parametrize(
    ("text", "scam"),
    [
        # an advert dressed as a question, its channel spelt as private_contact reads it
        ("征信花了怎么办？中介承诺删除逾期记录，添加客服微信，当天办理。", True),
        ("征信花了怎么办？中介承诺删除逾期记录，私信了解，当天办理。", True),
        ("有人说逾期删不掉？逾期记录可以删除，加薇zx2026，三天见效。", True),
        # a question about such an advert offers nothing
        ("我看到有人在微博说能删逾期记录，评论区好多人私信他，靠谱吗？", False),
        ("有人说能把逾期记录删除，让我加个人微信，这是真的吗？", False),
    ],
)
def test_any_private_chat_makes_a_report_an_offer(text, scam):
    """``first_offer`` reads the private chat channels ``private_contact`` reads (one shared
    list): 添加客服微信 or 私信了解 beside a third person's claim is an advert as 加微信 is."""
    found = {c.value for c in check_message(text, learned=False).codes}
    assert ("CREDIT_REPAIR_SCAM" in found) == scam, found


def test_a_piece_is_cut_at_a_clause_end_when_the_window_has_no_sentence_end():
    """Ad copy written with commas only: the offer right after 2,000 characters stays whole."""
    text = "嗯，" * 998 + "逾期记录可以删除，加微信abc123，当天办理"
    assert len(text) > PIECE_CHARS
    cuts = pieces(text)
    assert all(text[end - 1] == "，" for _, end in cuts[:-1])
    assert check_message(text).verdict.value == "suspected_scam"


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # the lender or bank correcting its own wrong report; a scammer "correcting" for a fee
        (
            "经核对您3月那期是按时还款的，是我们报送时把日期弄错了，已向征信中心提交删除这条逾期的申请，不收任何费用。",
            "CREDIT_REPAIR_SCAM",
            False,
        ),
        (
            "确实是销账延迟了两天，机构自己纠错，委托方已同意撤销那次逾期报送。",
            "CREDIT_REPAIR_SCAM",
            False,
        ),
        (
            "【宁信银行】经核实是我们报送时弄错了，可为您撤销逾期记录，需缴纳更正服务费300元。",
            "CREDIT_REPAIR_SCAM",
            True,
        ),
        (
            "您的逾期是我们报送有误，已向征信中心更正，加我私人微信，交500元手续费帮您撤销。",
            "CREDIT_REPAIR_SCAM",
            True,
        ),
        # a statement of a non-malicious overdue the lender issues on evidence; one sold
        (
            "我司核实后出具《非恶意逾期情况说明》，该说明不能删除真实的逾期记录。",
            "CREDIT_REPAIR_SCAM",
            False,
        ),
        (
            "您要的非恶意逾期证明是根据您提供的住院病历开的，记录本身还会保留。",
            "CREDIT_REPAIR_SCAM",
            False,
        ),
        ("我司核实后可出具非恶意逾期证明，每份收费800元。", "CREDIT_REPAIR_SCAM", True),
        (
            "可开具各大银行非恶意逾期证明，配合异议申请可消除逾期记录，1份380元。",
            "CREDIT_REPAIR_SCAM",
            True,
        ),
        # personal data kept for the legal term, then deleted
        ("依照法律法规须保存的交易记录，将在法定期限届满后删除。", "CREDIT_REPAIR_SCAM", False),
        (
            "您的个人信息将在法定期限届满后删除。另外我们可以帮你删除逾期记录，收费3000。",
            "CREDIT_REPAIR_SCAM",
            True,
        ),
        # a fee the contract names in its own clause; one merely said to be agreed elsewhere
        ("您账单中“代扣通道费2元”系依据《借款合同》第九条约定收取。", "EXTRA_FEE", False),
        ("根据合同约定，另需缴纳外访费500元。", "EXTRA_FEE", True),
        # 洗白 and 修复 in their everyday senses; an offer beside them
        ("这剧里男二帮他哥洗白那段也太扯了哈哈哈", "CREDIT_REPAIR_SCAM", False),
        ("老婆，咱俩关系得修复修复了😂", "CREDIT_REPAIR_SCAM", False),
        (
            "这剧里男二洗白那段好扯。对了，我们专业征信洗白，逾期一条龙处理。",
            "CREDIT_REPAIR_SCAM",
            True,
        ),
        # an internal notice forbidding phrases; an offer told as a secret
        (
            "严禁对客户说“还款后可删除征信记录”“可以帮您修复征信”等话术，违者按合规制度处理。",
            "CREDIT_REPAIR_SCAM",
            False,
        ),
        ("严禁外传，我们有内部渠道可以修复征信，3000一条。", "CREDIT_REPAIR_SCAM", True),
        # a warning in Shanghainese names the sellers 骗子: no insult
        ("人家讲交两千块就好消脱，侬千万勿要信，骗子呀。", "INSULT", False),
        # a forum question; an offer opening like one
        (
            "有没有大佬知道 征信上那个呆账 结清以后是不是就变成结清了？呆账是不是永远消不掉啊",
            "CREDIT_REPAIR_SCAM",
            False,
        ),
        ("有没有大佬知道，我这里可以帮你删除逾期记录，加微信abc123。", "CREDIT_REPAIR_SCAM", True),
        # one's own story of an offer nearly believed; the same terms offered
        (
            "网上搜“征信修复”，有个说“内部渠道，包过，先修复后付款”，差点就信了。",
            "CREDIT_REPAIR_SCAM",
            False,
        ),
        ("内部渠道，先修复后付款，加微信abc123。", "CREDIT_REPAIR_SCAM", True),
        ("征❤信❤修❤复，结果满意再付款", "CREDIT_REPAIR_SCAM", True),
        ("很多人不知道，逾期其实是可以“申诉”掉的，有需要的私聊。", "CREDIT_REPAIR_SCAM", True),
        # a lender refusing to remove a correctly registered default; a partner selling removal
        (
            "We've received your letter asking us to remove the default on your account. "
            "It was registered correctly, so we can't remove it.",
            "CREDIT_REPAIR_SCAM",
            False,
        ),
        (
            "We've received your letter asking us to remove the default. "
            "For a $300 fee our partner can remove the default for you.",
            "CREDIT_REPAIR_SCAM",
            True,
        ),
        # arrests over a credit-repair scam told as news; a seller using the news
        (
            "Police have arrested three people over a 'credit repair' scam in which victims paid "
            "to have defaults 'wiped'.",
            "FALSE_LEGAL_CLAIM",
            False,
        ),
        (
            "Police have arrested three people over a credit repair scam. Unlike them, we really "
            "can wipe your defaults for $200, DM us.",
            "CREDIT_REPAIR_SCAM",
            True,
        ),
        # an agent warning a customer about an offer; the offer itself after a warning
        (
            "Customer: Someone on Instagram says they can delete my late payments if I pay $499.\n"
            "Agent: Please don't send them anything.",
            "CREDIT_REPAIR_SCAM",
            False,
        ),
        (
            "Don't send them anything. We can delete your late payments for $99, text us.",
            "CREDIT_REPAIR_SCAM",
            True,
        ),
        # a balance transfer confirmed as done; urging a loan after it; a decision not to borrow
        (
            "Your balance transfer of £2,000 from another card provider has been completed.",
            "BORROW_TO_REPAY",
            False,
        ),
        (
            "Your balance transfer has been completed. Now take out a payday loan and pay us "
            "today.",
            "BORROW_TO_REPAY",
            True,
        ),
        ("我先问问能不能宽限几天，不去借网贷了，你别担心。", "BORROW_TO_REPAY", False),
        ("不去借钱来还，我们就上门。", "BORROW_TO_REPAY", True),
        (
            "Plenty of online lenders approve applications in minutes. Apply for one and send us "
            "the payment.",
            "BORROW_TO_REPAY",
            True,
        ),
        (
            "Top up with another app, one of those pay-advance ones, and pay us first.",
            "BORROW_TO_REPAY",
            True,
        ),
        (
            "Put it on Buy Now Pay Later or a store card. Just get the $220 to us by 5pm.",
            "BORROW_TO_REPAY",
            True,
        ),
        (
            "Taking out a new personal loan to consolidate would clear this.",
            "BORROW_TO_REPAY",
            True,
        ),
        # an authority's header demanding a fee for a free relief; the free relief announced
        (
            "【中国人民银行征信中心】根据一次性信用修复政策，需缴纳登记费99元，逾期未登记该记录将永久保留。",
            "IMPERSONATION",
            True,
        ),
        ("一次性信用修复政策由征信系统自动处理，无需申请，不收任何费用。", "IMPERSONATION", False),
        # a scripted chat: the adviser's 「顾问：」 is no question; a seller's id tells no friend
        (
            "客户：转哪里？\n顾问：我把我个人微信收款码发您，备注“咨询费”就行。",
            "UNOFFICIAL_PAYMENT_CHANNEL",
            True,
        ),
        ("征信修复，结果满意再付款，搜索加好友：xinyong-7788", "THIRD_PARTY_DISCLOSURE", False),
        ("我们会加你家人的好友，告诉他们你欠钱不还。", "THIRD_PARTY_DISCLOSURE", True),
        # a lawful context's words borrowed by a seller: a ban "not to tell others", a regulator
        # named as approving, a correction or statement offered through a private WeChat
        ("严禁向他人说，我们有内部渠道可以修复征信，3000一条。", "CREDIT_REPAIR_SCAM", True),
        (
            "Trading Standards approved: we wipe defaults for $200, text us.",
            "CREDIT_REPAIR_SCAM",
            True,
        ),
        (
            "根据您的住院病历开的非恶意逾期证明可以消除逾期记录，加我微信abc123办理。",
            "CREDIT_REPAIR_SCAM",
            True,
        ),
        (
            "您的逾期是我们报送时把日期弄错了，已向征信中心更正，加我私人微信即可办理。",
            "CREDIT_REPAIR_SCAM",
            True,
        ),
        (
            "是我们报送时把日期弄错了，已向征信中心提交更正，进度可拨打官方客服热线查询。",
            "CREDIT_REPAIR_SCAM",
            False,
        ),
    ],
)
def test_development17_lawful_context_and_its_near_misses(text, code, flagged):
    """Each lawful context added for development17 beside a scam or violation it must not
    excuse (the frames alone decide)."""
    codes = {c.value for c in check_message(text, learned=False).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # a correction's words, then a removal sold, paid in any currency or offered privately
        (
            "经核实是我们报送有误，逾期记录可以删除，处理费¥300，转账至支付宝 zfb8899@163.com。",
            "CREDIT_REPAIR_SCAM",
            True,
        ),
        (
            "我司已核实是我们报送有误，另外我们有内部渠道可以帮您把其他平台的逾期也一起删除，费用一千。",
            "CREDIT_REPAIR_SCAM",
            True,
        ),
        (
            "经核查，您5月的逾期是我行系统扣款失败导致，我行已向征信中心报送更正，无需您支付任何费用。",
            "CREDIT_REPAIR_SCAM",
            False,
        ),
        (
            "是我们报送时把日期弄错了，已向征信中心更正，详情可关注官方微信号：nxbank95",
            "CREDIT_REPAIR_SCAM",
            False,
        ),
        (
            "是我们报送时把日期弄错了，已向征信中心更正，详情可关注官方微信号：nxbank95",
            "UNOFFICIAL_PAYMENT_CHANNEL",
            False,
        ),
        (
            "是我们报送时弄错了，已更正。如需纸质征信报告，柜台打印每份收费10元。",
            "CREDIT_REPAIR_SCAM",
            False,
        ),
        # a staff notice's or a story's words opening a threat or an offer hold only their clause
        ("严禁对客户说脏话，但你这个狗东西再不还钱，我就弄死你。", "THREAT_VIOLENCE", True),
        (
            "欠款今天必须结清，违者依法追责，我们马上联系你父母和你领导。",
            "THIRD_PARTY_DISCLOSURE",
            True,
        ),
        (
            "严禁对客户说“逾期会坐牢”“会通知你家人”等话术，违者按制度处理。",
            "THIRD_PARTY_DISCLOSURE",
            False,
        ),
        ("那些都是坑，别找别人，我们直接删除你的逾期记录，一条500。", "CREDIT_REPAIR_SCAM", True),
        ("我之前搜征信修复，差点就信了，还好没转账。", "CREDIT_REPAIR_SCAM", False),
        (
            "我差点就信了别人，后来找了这家，真的把逾期记录删了，推荐加微信xyfix001",
            "CREDIT_REPAIR_SCAM",
            True,
        ),
        (
            "Don't send them anything - send it to us instead: pay £300 to sort code 20-00-00 "
            "account 12345678 and we wipe your defaults.",
            "CREDIT_REPAIR_SCAM",
            True,
        ),
        # arrest news only of scammers; a contract never names a visit fee; a transfer done
        (
            "Borrowers who ignored us have been arrested for fraud. "
            "You are next unless you pay today.",
            "FALSE_LEGAL_CLAIM",
            True,
        ),
        (
            "Police have arrested four men over a fake debt-collection call centre that threatened "
            "borrowers with jail.",
            "FALSE_LEGAL_CLAIM",
            False,
        ),
        ("签约时已明示上门催收费500元，今天不付明天就上门。", "EXTRA_FEE", True),
        (
            "您本期账单含分期手续费12.5元，系依据《信用卡领用合约》第五条约定收取。",
            "EXTRA_FEE",
            False,
        ),
        (
            "Get a balance transfer card where a 0% promotional rate applies and pay us off today.",
            "BORROW_TO_REPAY",
            True,
        ),
        (
            "Your balance transfer of £3,500 has been completed. "
            "A promotional rate applies for 18 months.",
            "BORROW_TO_REPAY",
            False,
        ),
    ],
)
def test_development17_probes_lawful_words_do_not_excuse_what_follows(text, code, flagged):
    """The second reader's probes of the development17 round: a lawful context's words borrowed
    by a scam or a violation, each beside the lawful message it was made for (the frames
    alone decide)."""
    codes = {c.value for c in check_message(text, learned=False).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # 隐私信息 is no private chat; 私信了解 is
        (
            "经核实系我行系统扣款失败导致，已予以更正。我行将保护您的隐私信息。",
            "CREDIT_REPAIR_SCAM",
            False,
        ),
        ("经核实系我行报送有误，逾期记录可以删除，私信了解。", "CREDIT_REPAIR_SCAM", True),
        # "we'll text you" names no private channel; a handle does
        (
            "We've made a goodwill adjustment to your credit file and we'll text you when "
            "it's done.",
            "CREDIT_REPAIR_SCAM",
            False,
        ),
        (
            "We've made a goodwill adjustment to your credit file. "
            "For the rest, text me on +44 7700 900123.",
            "CREDIT_REPAIR_SCAM",
            True,
        ),
        # a debt paid off (还清了) is no record removed (删了)
        ("谢谢你们，逾期已还清了，我的电话13812345678", "CREDIT_REPAIR_SCAM", False),
        ("真的把逾期记录删了，推荐加微信xyfix001", "CREDIT_REPAIR_SCAM", True),
        # a relationship mended is no offer; connections that mend a record are
        ("老婆，咱俩关系得修复修复了，征信的事我自己会处理。", "CREDIT_REPAIR_SCAM", False),
        ("我们托关系修复征信，三天搞定。", "CREDIT_REPAIR_SCAM", True),
        # a staff notice over several clauses is one warning
        ("严禁对客户说逾期会坐牢，会通知你家人，违者处理。", "THIRD_PARTY_DISCLOSURE", False),
        ("违者依法追责，我们马上联系你父母和你领导。", "THIRD_PARTY_DISCLOSURE", True),
        # topping up from a debit card is no borrowing
        ("You can top up with a debit card in the app.", "BORROW_TO_REPAY", False),
        ("Top it up with a loan app and pay us today.", "BORROW_TO_REPAY", True),
    ],
)
def test_words_that_only_look_like_a_channel_a_removal_or_a_loan(text, code, flagged):
    """A code reader's findings on the development17 rules: words that looked like a private
    channel, a removal, a repair offer or a loan, each beside what must still be caught."""
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "scam"),
    [
        # a fee waived after a correction or a free relief: no fee asked
        ("经核实系我行报送错误，已予以更正，免予收取任何费用。", False),
        ("经核实系我行报送错误，已予以更正，出具证明免收工本费¥20。", False),
        ("经核实系我行报送错误，已予以更正，免去缴纳手续费30元。", False),
        ("经核实系我行报送错误，已予以更正，免交服务费99元。", False),
        ("一次性信用修复政策由系统自动处理，无需支付任何费用。", False),
        ("一次性信用修复政策由系统自动处理，不收取任何费用。", False),
        # the same relief sold for a fee
        ("经核实系我行报送错误，逾期记录可以删除，需支付手续费500元。", True),
        ("经核实系我行报送错误，可为您撤销逾期记录，收取工本费¥200。", True),
        ("一次性信用修复政策已出台，代办需缴纳服务费五百。", True),
        ("一次性信用修复政策已出台，不支付服务费500元就办不了。", True),
        ("一次性信用修复政策已出台，不良记录处理费¥300。", True),
    ],
)
def test_a_fee_waived_is_no_fee_asked(text, scam):
    """A waiver before a fee (免予收取, 免收, 免去缴纳, 免交) negates it wherever the fee's
    pattern starts: the fee's name never takes in 免, 无 or 不 (「不良记录处理费」 keeps its 不
    outside and is still a fee), and 付 of 支付 is no verb of its own."""
    codes = {c.value for c in check_message(text, learned=False).codes}
    assert ("CREDIT_REPAIR_SCAM" in codes) == scam, codes
    assert scam or not codes, codes


def _fee_sums(text: str) -> list[str]:
    """What ``fee_paid`` finds in ``text``, normalised as the checker reads it."""
    lex = lexicon()
    norm = normalise(text, lex.dodges).text
    return [m.group() for m in lex.categories["fee_paid"].finditer(norm)]


@pytest.mark.parametrize(
    ("text", "sum_asked"),
    [
        ("代办收费百元", True),
        ("代办费用千元", True),
        ("手续费一千二", True),
        ("定金只要五百", True),
        ("手续费两成", True),
        ("手续费百分之五", True),
        ("手续费万一多扣了会退回", False),
        ("服务费一律由我们承担", False),
        ("收费几百块", False),
        ("手续费三", False),
    ],
)
def test_a_sum_in_chinese_numerals_starts_with_a_numeral(text, sum_asked):
    """A fee's sum in Chinese numerals starts with a numeral (五百, 一千二, 两成, 百分之五); a
    bare 百/千/万 is one only before 元 or 块 (收费百元): never 万一, 一律 or a vague 几百块."""
    assert bool(_fee_sums(text)) == sum_asked, _fee_sums(text)


def test_what_might_happen_to_a_fee_is_no_sum_asked():
    """「手续费万一多扣了」: 万一 (in case) is no sum; read as one, the correction looked sold."""
    text = "您的异议申请已受理，手续费万一多扣了，我们会原路退回。"
    assert check_message(text, learned=False).verdict.value == "compliant"


@pytest.mark.parametrize(
    ("text", "urged"),
    [
        (
            "Your balance transfer of £2,000.00 from another card provider has been completed.",
            False,
        ),
        ("Your balance transfer of $1,999.50 has been completed.", False),
        (
            "Your balance transfer of $1,999.50 has been completed. Now take out a payday loan "
            "and pay us today.",
            True,
        ),
    ],
    ids=["pounds-and-pence", "dollars-and-cents", "then-a-loan-urged"],
)
def test_a_balance_transfer_done_may_name_its_sum_with_pence(text, urged):
    """The decimal point of 「£2,000.00」 ends no sentence: the transfer is still told as done."""
    found = {c.value for c in check_message(text, learned=False).codes}
    assert ("BORROW_TO_REPAY" in found) == urged, found


@pytest.mark.parametrize(
    ("text", "scam"),
    [
        # a lender's own wording beside a lawful relief: an instalment, a payment, a plan, a
        # judgment "for $N" is no price
        (
            "We've made a goodwill adjustment to your credit file. We'll take $50 from your "
            "account on the 5th as agreed.",
            False,
        ),
        (
            "We've made a goodwill adjustment to your credit file. Your payment for $200 was "
            "received, thank you.",
            False,
        ),
        (
            "We've made a goodwill adjustment to your credit file. You can set up a payment plan "
            "for $150 a month.",
            False,
        ),
        (
            "We've made a goodwill adjustment to your credit file. A judgment was entered for "
            "$3,870 last year and remains on record.",
            False,
        ),
        # the relief or a removal sold for a price
        ("We can make a goodwill adjustment to your credit file for $199.", True),
        ("Goodwill adjustment service: we remove late payments for $150, text us.", True),
        ("For $250 we can correct the error your lender reported.", True),
        ("We only take $99 after we dispute the errors for you.", True),
        ("We take $99 upfront and correct the error on your file.", True),
    ],
)
def test_for_a_sum_is_a_price_only_beside_what_is_sold(text, scam):
    """ "for $N" is a price only beside a removal or a correction in its sentence, and "take
    $N" is none (a lender takes an instalment); a seller's "$N upfront/after" still is."""
    codes = {c.value for c in check_message(text, learned=False).codes}
    assert ("CREDIT_REPAIR_SCAM" in codes) == scam, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # a reply to the reader's complaint is no complaint of the writer's: what it threatens
        # is said to the reader
        (
            "We received your complaint. If you complain again we will visit your workplace "
            "and tell your boss.",
            "THIRD_PARTY_DISCLOSURE",
            True,
        ),
        (
            "Complaining won't help. We will tell your boss about the debt.",
            "THIRD_PARTY_DISCLOSURE",
            True,
        ),
        # the writer's own complaint still tells what was done to them
        (
            "I want to complain: your agent said he will tell my boss about the debt.",
            "THIRD_PARTY_DISCLOSURE",
            False,
        ),
    ],
)
def test_a_threat_against_complaining_is_no_complaint(text, code, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # a seller names the reader's plight (「征信黑了？」); it threatens nothing
        ("征信黑了？网贷逾期？专业征信修复，三天洗白，加微信abc123", False),
        ("征信黑了别着急，我们有内部渠道帮你消除逾期记录", False),
        # a collector who says the record is ruined for good still exaggerates
        ("你的征信已经黑了，这辈子都别想贷款", True),
        ("再不还你征信就黑了，永远贷不了款", True),
    ],
)
def test_a_plight_named_in_an_advert_is_no_exaggerated_consequence(text, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert ("FALSE_LEGAL_CLAIM" in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # "let you know" tells the reader something; it is no claim to know where they live
        (
            "We are writing to let you know an adviser may visit your home address next month.",
            "THREAT_VIOLENCE",
            False,
        ),
        ("We know your home address, and so do our lads.", "THREAT_VIOLENCE", True),
        # watching the reader's routine, a child or spouse told to be careful
        (
            "We know you walk out of the office at 7 every evening. Quiet road, isn't it?",
            "THREAT_VIOLENCE",
            True,
        ),
        (
            "Warn your daughter to be careful on that bridge near her school.",
            "THREAT_VIOLENCE",
            True,
        ),
        ("Please be careful with your card details when paying online.", "THREAT_VIOLENCE", False),
        # exaggerated consequences for the family or the record
        (
            "Ignore this and your kids will be banned from every public school.",
            "FALSE_LEGAL_CLAIM",
            True,
        ),
        ("You are now black-listed for life at every bank.", "FALSE_LEGAL_CLAIM", True),
        (
            "Your grandchildren will be rejected by every university if you don't pay.",
            "FALSE_LEGAL_CLAIM",
            True,
        ),
        (
            "Missed payments can stay on your credit file for six years.",
            "FALSE_LEGAL_CLAIM",
            False,
        ),
    ],
)
def test_threats_and_exaggerations_of_development18_shapes(text, code, flagged):
    """Veiled threats and false consequences told in new words, beside lawful notices that
    share a word with them."""
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # a crowd of missed calls through the night; waiting in reception until the reader
        # comes out
        ("You had 64 missed calls from them between 22:30 and 04:00.", "HARASSMENT", True),
        ("We tried to call you twice this week without reply.", "HARASSMENT", False),
        ("We'll wait in the lobby until you come out and settle.", "HARASSMENT", True),
        # the workplace or the phone book told, in other words
        (
            "Tomorrow we come to your shop; everyone there will know why.",
            "THIRD_PARTY_DISCLOSURE",
            True,
        ),
        (
            "We will post your picture to every contact in your address book tonight.",
            "THIRD_PARTY_DISCLOSURE",
            True,
        ),
        (
            "We were talking to your brother about the arrears yesterday.",
            "THIRD_PARTY_DISCLOSURE",
            True,
        ),
        (
            "Please send a photo of your ID to verify your identity.",
            "THIRD_PARTY_DISCLOSURE",
            False,
        ),
        # a caption in quotes is no warning to the reader
        (
            "Pay today or we text your picture, captioned 'CHEAT - DO NOT TRUST', to your friends.",
            "THIRD_PARTY_DISCLOSURE",
            True,
        ),
        (
            "Do not trust anyone who tells your friends about your debt.",
            "THIRD_PARTY_DISCLOSURE",
            False,
        ),
        ("Everyone knows you are a debt dodger.", "INSULT", True),
    ],
)
def test_harassment_disclosure_and_abuse_of_development18_shapes(text, code, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # Chinese authorities named in English
        (
            "Good morning, this is the People's Bank of China credit office about your loan.",
            "IMPERSONATION",
            True,
        ),
        (
            "This is the Intermediate People's Court. Your case opens on Monday.",
            "IMPERSONATION",
            True,
        ),
        ("Your lender reports repayments to the People's Bank of China.", "IMPERSONATION", False),
        # a court named as the sender after a header's dash
        ("FINAL SUMMONS – District Court of Nevada. Reply within 48 hours.", "IMPERSONATION", True),
        ("Notice: we may issue a claim in the county court.", "IMPERSONATION", False),
        # "an illegal ... case" names the charge; it does not debunk it
        (
            "Your account is tied to an illegal money-laundering case and an arrest warrant "
            "has been issued.",
            "FALSE_LEGAL_CLAIM",
            True,
        ),
        ("Threatening you with arrest is illegal.", "FALSE_LEGAL_CLAIM", False),
        # the seller's own wallet, and a record withdrawn for a price
        (
            "Send it to my Alipay and I'll close the case tonight.",
            "UNOFFICIAL_PAYMENT_CHANNEL",
            True,
        ),
        (
            "Repay in the app or to the company account shown there.",
            "UNOFFICIAL_PAYMENT_CHANNEL",
            False,
        ),
        (
            "For $300 we make the bureau withdraw your overdue records.",
            "CREDIT_REPAIR_SCAM",
            True,
        ),
    ],
)
def test_authorities_wallets_and_removals_of_development18_shapes(text, code, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "door"),
    [
        ("A field fee was charged after our agent's visit to your flat on Monday.", True),
        ("Two of us will wait at the lobby of your block at 10am as agreed.", True),
        ("The collectors finally turned up this morning and knocked politely.", True),
        ("Our team will be in your hometown on Friday to discuss the balance.", True),
        ("We'll post the statement to your home address.", False),
        ("Our adviser came to your address on Friday but nobody answered.", True),
        ("We'll be at your father's house on Monday about the balance.", True),
        ("We came to your decision letter's last page: please sign it.", False),
    ],
)
def test_a_visit_told_as_done_or_arranged_is_a_visit(text, door):
    assert check_message(text).mentions_door_visit == door


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # letters spelled with dots, a space between words
        ("We will start l.e.g.a.l p.r.o.c.e.e.d.i.n.g.s next week.", {"LEGAL_ACTION_MENTION"}),
        # "@" and two digits inside a word read as letters; "ur" is "your"
        (
            "we will sh0w up at ur h0use & t3ll ur n3ighb0urs",
            {"DOOR_VISIT_MENTION", "THIRD_PARTY_DISCLOSURE"},
        ),
        ("br34k ur l3gs if u d0nt p@y", {"THREAT_VIOLENCE"}),
        ("visit ur workpl@ce tomorrow", {"DOOR_VISIT_MENTION"}),
    ],
)
def test_obfuscations_of_development18(text, codes):
    assert codes <= {c.value for c in check_message(text).codes}


def test_the_at_sign_of_an_address_stays_an_at_sign():
    from duecourse.compliance.message.normalise import normalise

    assert normalise("write to help@lender.com or ch@t").text == "write to help@lender.com or chat"


@pytest.mark.parametrize(
    ("text", "verdict", "door"),
    [
        # a help request about a notice the writer got: the visit may still come
        (
            "Forum post: got a letter from my bank saying 'an agent may visit your address "
            "after 14 days notice'. Has anyone had one? Can I ask them to write instead?",
            "pressure",
            True,
        ),
        (
            "Got a letter saying they will start court proceedings next month. Anyone had this?",
            "pressure",
            False,
        ),
        # a complaint about what a collector said is no visit to the reader (older labels)
        (
            "I want to complain: your agent told me 'we will visit your house tonight'.",
            "compliant",
            False,
        ),
        # answered with a warning: it debunks what it quotes
        (
            "Got a text saying 'bailiffs will visit your home tomorrow'. Anyone had this? "
            "Beware, it is a scam.",
            "compliant",
            False,
        ),
    ],
)
def test_a_notice_quoted_in_a_help_request_still_mentions_its_visit(text, verdict, door):
    got = check_message(text)
    assert (got.verdict.value, got.mentions_door_visit) == (verdict, door), got.findings


@pytest.mark.parametrize(
    ("text", "legal_action"),
    [
        # a legal step announced by a false court is a false claim, no lawful mention
        ("This is the Supreme People's Court: a lawsuit has been filed against you.", False),
        ("We have filed a lawsuit against you in the county court.", True),
    ],
)
def test_a_legal_step_a_false_authority_announces_is_no_lawful_mention(text, legal_action):
    codes = {c.value for c in check_message(text).codes}
    assert ("LEGAL_ACTION_MENTION" in codes) == legal_action, codes
    assert ("FALSE_LEGAL_CLAIM" in codes) != legal_action, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # "don't make me …" threatens what follows; it negates nothing
        ("Don't make me send the lads round tonight.", "DOOR_VISIT_MENTION", True),
        ("We don't make home visits; call us instead.", "DOOR_VISIT_MENTION", False),
        # a visit arranged in other words
        (
            "Two of us will be popping round on Sunday about the balance.",
            "DOOR_VISIT_MENTION",
            True,
        ),
        (
            "We may send an officer to your flat next week with a letter.",
            "DOOR_VISIT_MENTION",
            True,
        ),
        ("You can pop in to any branch to pay.", "DOOR_VISIT_MENTION", False),
        # a scene at the door or the office, and the office told
        ("We'll turn up at your shop with a megaphone.", "HARASSMENT", True),
        ("We're parked outside your flat every night until you settle.", "HARASSMENT", True),
        ("Your whole team will know by Friday that you owe us.", "THIRD_PARTY_DISCLOSURE", True),
        ("Our whole team is here to help you on 0800 000 000.", "THIRD_PARTY_DISCLOSURE", False),
        # veiled threats in other words
        ("Your complaint will be dealt with within eight weeks.", "THREAT_VIOLENCE", False),
        ("Ignore us again and your family will be dealt with.", "THREAT_VIOLENCE", True),
        ("Come to the office, or you won't like how this ends.", "THREAT_VIOLENCE", True),
        # payment in gift vouchers or a person's wallet
        (
            "Settle it with Amazon vouchers and send us the codes.",
            "UNOFFICIAL_PAYMENT_CHANNEL",
            True,
        ),
        ("Send it by Apple Cash to this number.", "UNOFFICIAL_PAYMENT_CHANNEL", True),
        (
            "Pay by debit card in the app or by bank transfer to Ledger Ltd.",
            "UNOFFICIAL_PAYMENT_CHANNEL",
            False,
        ),
    ],
)
def test_older_english_shapes_the_development18_rules_reach(text, code, flagged):
    """Kinds of the development18 failures in the older English files, told in new words."""
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # "why not …" urges; it negates nothing
        ("Why not put it on your Mastercard and settle this today?", "BORROW_TO_REPAY", True),
        (
            "Please do not take out a new loan to pay us; call us for a plan.",
            "BORROW_TO_REPAY",
            False,
        ),
        ("Try using the credit left on your Amex to clear this.", "BORROW_TO_REPAY", True),
        # consequences no court or law gives
        ("Pay now or your children get kicked out of their school.", "FALSE_LEGAL_CLAIM", True),
        ("This default remains on your credit report forever.", "FALSE_LEGAL_CLAIM", True),
        ("We will take your savings, no court needed.", "FALSE_LEGAL_CLAIM", True),
        ("A default stays on your credit file for six years.", "FALSE_LEGAL_CLAIM", False),
        # veiled threats told as common sense
        ("Sheds catch fire so easily in summer. Pay today.", "THREAT_VIOLENCE", True),
        ("Better start a hospital budget if you keep ignoring us.", "THREAT_VIOLENCE", True),
    ],
)
def test_urging_false_consequences_and_veiled_threats_in_other_words(text, code, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # a complaint filed against the reader is the sender's claim, no complaint of the writer's
        (
            "POLICE NOTICE: a complaint of theft was lodged against you. Call the officer now.",
            "IMPERSONATION",
            True,
        ),
        (
            "I want to complain: a caller said 'this is the police, you will be arrested'.",
            "FALSE_LEGAL_CLAIM",
            False,
        ),
        # an authority's office as the header; a pending warrant
        (
            "Office of the Attorney General, Debt Recovery Section: reply within 24 hours.",
            "IMPERSONATION",
            True,
        ),
        ("This is Deputy Cole. A pending warrant is tied to your loan.", "FALSE_LEGAL_CLAIM", True),
        ("Complaints about us can go to the Attorney General's office.", "IMPERSONATION", False),
    ],
)
def test_an_authority_header_and_a_complaint_against_the_reader(text, code, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a borrower asked to wait in the branch lobby is no scene at the borrower's door
        ("When you arrive at our branch please wait in the lobby.", "HARASSMENT"),
        # "you will be dealt with by our team" is service, no threat
        ("You will be dealt with by our hardship team.", "THREAT_VIOLENCE"),
    ],
)
def test_lawful_lines_that_share_words_with_a_scene_or_a_threat(text, code):
    assert code not in {c.value for c in check_message(text).codes}


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # a fee charged before, owned as wrong and refunded: the lender undoes it
        (
            "您好，经核查，之前向您收取的催收服务费不合规，共计300元，我司将在3个工作日内退回您的还款账户。",
            False,
        ),
        ("We have refunded the collection fee we charged you in March.", False),
        # a fee asked now and "refunded" later is still asked
        ("先交300元催收服务费，结清后全额退还。", True),
        ("A collection fee of $50 has been added; it will be refunded once you pay in full.", True),
    ],
)
def test_a_fee_refunded_is_no_fee_asked(text, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert ("EXTRA_FEE" in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # a court's notice names the claimant as a court does, or sends the reader to its
        # online service; a false court names no claimant and threatens arrest
        (
            "【临川市南湖区人民法院】李某：原告安信小额贷款有限公司诉你借款合同纠纷一案已立案，"
            "请按时到庭应诉。",
            "IMPERSONATION",
            False,
        ),
        (
            "【临川市南湖区人民法院】刘某，你有一份应诉通知书，请通过人民法院在线服务小程序查收。",
            "IMPERSONATION",
            False,
        ),
        (
            "【临川市南湖区人民法院】李某：你的网贷欠款已立案，今天不还将司法拘留。",
            "IMPERSONATION",
            True,
        ),
        # the lender's own enforcement application, dated, makes its 「执行法官」 no claim
        (
            "我司已于6月向法院申请强制执行，如有疑问可联系执行法官或我司客服。",
            "IMPERSONATION",
            False,
        ),
        ("我是执行法官，你的案子今天不处理就拘留。", "IMPERSONATION", True),
    ],
)
def test_a_court_notice_and_a_lenders_own_case_are_no_impersonation(text, code, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # 「讲清楚」 is talking, not knowing where someone lives; the writer's own parents are no
        # threat to the reader's
        (
            "我们不会去你单位，下个月会去你登记的住址，把分期方案当面讲清楚。",
            "THREAT_VIOLENCE",
            False,
        ),
        ("我们已经打听清楚你家住址了。", "THREAT_VIOLENCE", True),
        ("我爸妈年纪大了，不想让他们担心，能不能先协商分期？", "THREAT_VIOLENCE", False),
        ("你爸妈年纪大了吧，受得了这个刺激吗？", "THREAT_VIOLENCE", True),
        # a masked ID number is no account to pay into; a masked card to pay into still is
        (
            "借款人：陈某 身份证号：4401**********3318 您的逾期金额为8,200元。",
            "UNOFFICIAL_PAYMENT_CHANNEL",
            False,
        ),
        ("请把8,200元转到这张卡：6222 **** **** 3318 陈某。", "UNOFFICIAL_PAYMENT_CHANNEL", True),
        # a rule that such conduct infringes privacy states a right
        (
            "【以案说法】催收人员半夜反复打电话、向亲友群发欠款信息，都可能侵犯借款人的隐私权。",
            "HARASSMENT",
            False,
        ),
        ("今晚开始半夜反复给你打电话，直到你还钱。", "HARASSMENT", True),
        # advice against repaying with new loans is no urging to
        (
            "如您无力还款，请不要通过申请新的网贷或信用卡套现来偿还本期账单。",
            "BORROW_TO_REPAY",
            False,
        ),
        ("去借个新的网贷来偿还本期账单吧。", "BORROW_TO_REPAY", True),
    ],
)
def test_talk_the_writers_own_family_an_id_number_and_rules_are_no_findings(text, code, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # one's own account of a message received, a forum question, a relative's note to a
        # lender's customer service: nothing in them is said to the reader
        (
            "收到一条短信说我涉嫌恶意透支、公安已经立案，让我加办案民警微信。打12368问了，说没这回事。",
            "IMPERSONATION",
            False,
        ),
        ("你涉嫌诈骗，公安已经立案，今天联系办案民警。", "IMPERSONATION", True),
        (
            "我妈收到法院传票，银行起诉她欠款，有经验的朋友说说开庭要准备什么？",
            "THIRD_PARTY_DISCLOSURE",
            False,
        ),
        ("再不还我们就跟你的朋友说说你欠钱的事。", "THIRD_PARTY_DISCLOSURE", True),
        (
            "【借款人母亲发给平台客服】您好，我是李明的妈妈，他住院了，他的借款能否延期？",
            "THIRD_PARTY_DISCLOSURE",
            False,
        ),
        ("您好，您是李明的妈妈吧，他在我们平台借款逾期了。", "THIRD_PARTY_DISCLOSURE", True),
    ],
)
def test_a_story_a_forum_question_or_a_relatives_note_is_told_not_sent(text, code, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # the reader told that a named relation or colleague owes is a disclosure; the reader's
        # own debt and a guarantor's contract are not
        (
            "您外甥刘洋在我们这借了一万二，到现在还没还。",
            "THIRD_PARTY_DISCLOSURE",
            True,
        ),
        ("你们公司的员工王芳在我司有一笔借款逾期未还。", "THIRD_PARTY_DISCLOSURE", True),
        ("您好，您在我们平台的借款已经逾期两个月了，请尽快还款。", "THIRD_PARTY_DISCLOSURE", False),
        ("请问是王刚的朋友吗？他借的钱一直没还。", "THIRD_PARTY_DISCLOSURE", True),
        ("您好，您是王刚的担保人，这次联系您是依据担保合同。", "THIRD_PARTY_DISCLOSURE", False),
        # a visit kept to the agreed time at the door is no scene; waiting till paid is
        ("我们是外访专员，按约定在您楼下门口等，不会上楼。", "HARASSMENT", False),
        ("我们就在你家门口等着，不还钱不走。", "HARASSMENT", True),
    ],
)
def test_a_named_relations_debt_told_to_them_is_disclosed_and_an_agreed_visit_is_no_scene(
    text, code, flagged
):
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # 「登记住址」 holds no 「记住」 and 「向任何人透露」 no 「任何人…」 warning:
        # the visit stands
        ("我司拟于下周安排工作人员前往您的登记住址当面沟通还款事宜。", True),
        (
            "外访组计划本月前往您的户籍地址核实居住情况，不会向任何人透露借款事项。",
            True,
        ),
        # a real warning still covers the visit it warns against
        ("记住，任何人说要上门收现金都是骗子。", False),
    ],
)
def test_a_registered_address_or_telling_no_one_is_no_warning(text, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert ("DOOR_VISIT_MENTION" in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # letting the reader's employer learn of the debt, pulling relatives into a group, a
        # letter to the formal reader's employer: disclosures; the reader's own channels are not
        ("要不要让你们领导也了解一下你欠钱不还的事？", "THIRD_PARTY_DISCLOSURE", True),
        ("如需了解还款方案，可以让客服给您发一份说明。", "THIRD_PARTY_DISCLOSURE", False),
        ("我们建了个群，拉了你的同学和亲戚进来。", "THIRD_PARTY_DISCLOSURE", True),
        ("你可以把我拉黑，但欠款还是要处理。", "THIRD_PARTY_DISCLOSURE", False),
        ("本公司将发函至阁下任职单位，并告知部门同事。", "THIRD_PARTY_DISCLOSURE", True),
        ("本公司将发函至阁下登记地址，请查收。", "THIRD_PARTY_DISCLOSURE", False),
        # knowing the block one lives in, a dark road to walk, 「不愉快」 to come: veiled threats
        ("我们已经查到你住的地方了，5栋3单元。", "THREAT_VIOLENCE", True),
        ("这几天晚上路黑，走路注意点。", "THREAT_VIOLENCE", True),
        ("到时候发生点什么不愉快，别怪我们。", "THREAT_VIOLENCE", True),
        ("还款后请注意查收短信。", "THREAT_VIOLENCE", False),
        ("下周我们过去拜访一下，当面谈还款。", "DOOR_VISIT_MENTION", True),
    ],
)
def test_indirect_disclosures_and_veiled_threats_are_found(text, code, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # an ordinary debt called a crime already committed, handed to the police, or met with
        # coercive measures by a false police notice
        ("你这已经构成诈骗了，等着被拘吧。", "FALSE_LEGAL_CLAIM", True),
        ("你的欠款我们已经提交至公安系统了。", "FALSE_LEGAL_CLAIM", True),
        (
            "【某市公安局】你名下网贷逾期，请联系办案民警，逾期将依法对你采取强制措施。",
            "FALSE_LEGAL_CLAIM",
            True,
        ),
        ("欠款属于民事纠纷，不构成犯罪，请放心协商。", "FALSE_LEGAL_CLAIM", False),
        # the reader's old father named with a shock that might harm him: a veiled threat and a
        # disclosure; the matter reaching him is no visit
        ("你爸身体不好吧？这事要是闹到老人那边，气出个好歹可别怪我们。", "THREAT_VIOLENCE", True),
        (
            "你爸身体不好吧？这事要是闹到老人那边，气出个好歹可别怪我们。",
            "THIRD_PARTY_DISCLOSURE",
            True,
        ),
        (
            "你爸身体不好吧？这事要是闹到老人那边，气出个好歹可别怪我们。",
            "DOOR_VISIT_MENTION",
            False,
        ),
    ],
)
def test_a_debt_called_a_crime_and_a_threat_through_old_parents_are_found(text, code, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # a fee to postpone the case, a visit fee to call the visit off: outside any contract
        ("今天先交2,000块的案件暂缓费，我帮你把起诉压下来。", "EXTRA_FEE", True),
        ("先交500元上门费，交了就把外访撤掉。", "EXTRA_FEE", True),
        ("外访已撤销，您按原计划还款即可。", "EXTRA_FEE", False),
        # a partner's account or a handle to pay into; the lender's official account to follow
        ("减免只能走我们合作方的账户，请尽快转账。", "UNOFFICIAL_PAYMENT_CHANNEL", True),
        (
            "把3,000元转到这个支付宝：lihua_0817@qq.com，备注结清。",
            "UNOFFICIAL_PAYMENT_CHANNEL",
            True,
        ),
        ("还款进度可关注官方微信号：hfbank88 查询。", "UNOFFICIAL_PAYMENT_CHANNEL", False),
        # the family at home asked after, even in pinyin
        ("你老婆孩子都在家吧？好好想想。", "THREAT_VIOLENCE", True),
        ("ni lao po hai zi dou zai jia ba? hao hao xiang xiang.", "THREAT_VIOLENCE", True),
        ("您好，请问您现在方便接电话吗，还是在家不方便？", "THREAT_VIOLENCE", False),
    ],
)
def test_fees_to_call_off_a_case_private_handles_and_the_family_at_home(text, code, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # the credit bureau's short name in a header; a look-alike under a sold 「cn.com」 name
        ("【人行征信】您有一条逾期记录待核实，请今日内回复处理。", "IMPERSONATION", True),
        ("【恒信银行】您的信用卡账单已出，请按时还款。", "IMPERSONATION", False),
        ("征信有问题？点击 https://credit-fix.cn.com/apply 在线办理。", "SUSPICIOUS_LINK", True),
        ("详情请登录 https://www.pbccrc.org.cn 查询。", "SUSPICIOUS_LINK", False),
        # an account named for the pretext of a reduction or a check
        ("减免已批，请按提示转账至减免专户即可结清。", "UNOFFICIAL_PAYMENT_CHANNEL", True),
        # messages sent every ten minutes through the night
        ("今晚就陪你耗着，每十分钟发一次。", "HARASSMENT", True),
        # a seller's DM says where it read the reader; it tells no one else
        ("【抖音私信】看你评论说征信花了，我们可以帮你洗白。", "THIRD_PARTY_DISCLOSURE", False),
        ("再不还就在抖音评论区发你欠钱不还的事。", "THIRD_PARTY_DISCLOSURE", True),
    ],
)
def test_bureau_headers_look_alike_domains_pretext_accounts_and_a_dm_channel(text, code, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # an authority saying what it never does warns; the fees it names are no lawsuit
        (
            "【某区人民法院】提示：人民法院不会通过短信要求当事人转账，诉讼费用均通过官方渠道缴纳。",
            "LEGAL_ACTION_MENTION",
            False,
        ),
        ("本院已受理原告某公司诉你借款合同纠纷一案，请按时应诉。", "LEGAL_ACTION_MENTION", True),
        # a rights lesson that calls threats a breach of the rules, and lawful notice no
        # harassment, finds nothing it names
        (
            "【维权小贴士】催收说“不还就上门”都属于违规，记得保留录音向12378投诉。",
            "DOOR_VISIT_MENTION",
            False,
        ),
        (
            "律师说：保留录音可以向12378投诉；正常告知起诉不算违法。",
            "LEGAL_ACTION_MENTION",
            False,
        ),
        ("不还就上门，到时候别说我们没提醒你。", "DOOR_VISIT_MENTION", True),
    ],
)
def test_an_authoritys_never_and_a_rights_lesson_find_nothing_they_name(text, code, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # a go-between's fee to negotiate with the lender is a scam's, not a collection fee
        ("可以帮您协商停息挂账，只还本金，先交服务费就能办。", "EXTRA_FEE", False),
        # the collector's own fee to stop its steps still is
        ("先交服务费，交了就停止上报，不交明天就起诉。", "EXTRA_FEE", True),
    ],
)
def test_a_go_betweens_fee_is_no_collection_fee(text, code, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        # a legal step announced by a false authority is no lawful, truthful mention of one
        (
            "【最高人民法院】您有一份传票未签收，请点击 http://45.76.12.9/fy 查看。",
            "LEGAL_ACTION_MENTION",
            False,
        ),
        (
            "【最高人民法院】您有一份传票未签收，请点击 http://45.76.12.9/fy 查看。",
            "IMPERSONATION",
            True,
        ),
        # the lender's own truthful mention stays
        ("我司已向法院提起诉讼，传票将由法院送达。", "LEGAL_ACTION_MENTION", True),
    ],
)
def test_a_false_authoritys_legal_step_is_no_legal_action_mention(text, code, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # a judgment served by a collector poses as acting for the court
        ("民事判决书：被告应于三日内还清欠款。（本判决书由委托催收机构代为送达）", True),
        # a lender saying the court will serve its papers does not
        ("我司已起诉，判决书将由法院依法送达。", False),
    ],
)
def test_a_court_document_served_by_a_collector_is_impersonation(text, flagged):
    codes = {c.value for c in check_message(text).codes}
    assert ("IMPERSONATION" in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "found"),
    [
        # a borrower asking others about a notice they got: the visit or suit it quotes may
        # still happen
        ("求助：收到短信说“下周安排外访人员上门核实”，他们真会来吗？", "DOOR_VISIT_MENTION", True),
        ("问一下各位，收到律师函说不还就起诉，是不是真的会被告？", "LEGAL_ACTION_MENTION", True),
        # the same question answered as a scam's bluff says nothing will happen
        (
            "求助：收到短信说“明天上门”，客服说这是冒充我们的诈骗短信，请勿理会。",
            "DOOR_VISIT_MENTION",
            False,
        ),
    ],
)
def test_a_help_request_keeps_the_signal_it_quotes(text, code, found):
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == found, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        (
            "你说催收打电话不算骚扰？行，那从今天起我们每小时打你一次，打到你还为止。",
            "HARASSMENT",
            True,
        ),
        ("催收中威胁曝光通讯录都属于违规，遇到可向12378投诉。", "THIRD_PARTY_DISCLOSURE", False),
        (
            "我们明白联系你单位可能侵犯你的隐私，但明天还是会把欠款情况告诉你领导。",
            "THIRD_PARTY_DISCLOSURE",
            True,
        ),
        (
            "根据规定，向借款人的同事透露欠款情况都可能侵犯借款人的隐私。",
            "THIRD_PARTY_DISCLOSURE",
            False,
        ),
        ("收到一条短信说你已经被列入失信黑名单了吧？就是我们给你报的。", "FALSE_LEGAL_CLAIM", True),
        ("我今天收到一条短信说我被列入失信黑名单了，这是真的吗？", "FALSE_LEGAL_CLAIM", False),
        ("我们按约定下午到您家楼下，不会上楼，您不下来我们就在小区拉横幅。", "HARASSMENT", True),
        ("我们按约定下午到您家楼下等您，不会上楼。", "HARASSMENT", False),
        (
            "【海淀区人民法院】温馨提示：法院不会通过短信要求转账。"
            "您的执行款请今日转入书记员个人账户6222 0000 1111 2222（户名：王芳）。",
            "IMPERSONATION",
            True,
        ),
        (
            "【海淀区人民法院】温馨提示：法院不会要求当事人向个人账户转账，执行款请汇入本院执行款专户。",
            "IMPERSONATION",
            False,
        ),
        ("海淀区人民法院调解中心：请将调解款3000元汇入调解员个人银行卡。", "IMPERSONATION", True),
        (
            "王女士您好，您丈夫已书面授权您作为他的还款代理人，现告知其借款已逾期20天。",
            "THIRD_PARTY_DISCLOSURE",
            False,
        ),
        (
            "王女士您好，您丈夫在我司借款已逾期20天，请您督促他还款。",
            "THIRD_PARTY_DISCLOSURE",
            True,
        ),
        ("请今天缴纳保全费800元到法官助理微信：fg_zl88。", "UNOFFICIAL_PAYMENT_CHANNEL", True),
        (
            "诉讼费请通过法院官方平台缴纳，流程问题可咨询律师助理微信：ls_zl01。",
            "UNOFFICIAL_PAYMENT_CHANNEL",
            False,
        ),
        ("We have refunded the £25 visit fee we charged you in May.", "EXTRA_FEE", False),
        (
            "We apologise for the way our collector spoke to you, but you're still a deadbeat.",
            "INSULT",
            True,
        ),
        (
            "We apologise that our agent called you a deadbeat; "
            "he has been taken off your account.",
            "INSULT",
            False,
        ),
    ],
)
def test_development18_probes_new_context_is_scoped(text, code, flagged):
    """The round-18 second reader's attacks: lawful words the round added (a breach named, a
    right infringed, a message received, an agreed visit, a court channel, an apology) excuse
    only what they stand beside; a court header with a personal account, a fee paid to a chat
    handle and an authorised agent, each beside its near-miss."""
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        ("我们每天给你打100个电话不算骚扰，这是合法催收。", "HARASSMENT", True),
        ("我们天天去你家门口堵你也不算违法。", "HARASSMENT", True),
        (
            "我们发到你家族群，这都可能侵犯你的隐私，但你不还我们就发。",
            "THIRD_PARTY_DISCLOSURE",
            True,
        ),
        (
            "催收中如果对方说“不还钱就上门”“通知你全家”，都属于违规的威胁和施压。",
            "THIRD_PARTY_DISCLOSURE",
            False,
        ),
        ("请按约定还款。明天我们就去你家门口蹲着，不还钱不走。", "HARASSMENT", True),
        ("我们按约定的时间下午三点到您小区门口等您，不会上楼。", "HARASSMENT", False),
        ("法院不会通过调解解决了，明天直接上门抓你。", "FALSE_LEGAL_CLAIM", True),
        (
            "人民法院不会通过电话、短信要求当事人转账，请认准官方渠道。",
            "UNOFFICIAL_PAYMENT_CHANNEL",
            False,
        ),
        ("免收罚息只需交手续费300元即可删除逾期记录", "CREDIT_REPAIR_SCAM", True),
        ("不要通过平台还款直接转到我的个人账户", "UNOFFICIAL_PAYMENT_CHANNEL", True),
        ("请不要通过借新贷来偿还这笔欠款，可申请分期。", "BORROW_TO_REPAY", False),
        (
            "A $250 dispatch fee is due today and we will refund the fee once you settle in full.",
            "EXTRA_FEE",
            True,
        ),
        ("请先缴纳外访费500元多收部分将退回。", "EXTRA_FEE", True),
        ("我们是债务协商中心，交1000元手续费就可以停止起诉。", "CREDIT_REPAIR_SCAM", True),
        (
            "Unless you sign a power of attorney over to us, "
            "we will tell your boss about your debt.",
            "THIRD_PARTY_DISCLOSURE",
            True,
        ),
        ("请及时告知我们您的任职单位变更情况。", "THIRD_PARTY_DISCLOSURE", False),
        ("我们查到您现在住的地方已变更，请及时更新联系地址。", "THREAT_VIOLENCE", False),
        (
            "您好，请问您父母在家吗？我们是XX银行信用卡中心，想核实一下地址。",
            "THREAT_VIOLENCE",
            False,
        ),
        ("感谢您一直以来的支持，您是我们的家人。", "THIRD_PARTY_DISCLOSURE", False),
        ("Thanks for using our overdraft.", "BORROW_TO_REPAY", False),
        (
            "福田区人民法院判决：被告应于判决生效后十日内偿还借款。我司将依法申请执行。",
            "IMPERSONATION",
            False,
        ),
        (
            "提前还款手续费为0元，如有疑问可加微信：dc_service01。",
            "UNOFFICIAL_PAYMENT_CHANNEL",
            False,
        ),
    ],
)
def test_the_round_18_context_read_narrowly(text, code, flagged):
    """A code reader's review of the round-18 rules: a collector calling its own conduct lawful,
    an agreed repayment, an authority's other sentences, a fee waived before a removal sold, a
    refund promised, a go-between's fee, a power of attorney asked for, each beside the lawful
    sentence the rule was written for; and lawful lender sentences the new words caught."""
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "code", "flagged"),
    [
        (
            "No agency can lawfully delete accurate defaults from your file. If a 'credit "
            "fix' company promises a clean record for a fee, hang up.",
            "CREDIT_REPAIR_SCAM",
            False,
        ),
        (
            "We can wipe your late payments from your credit report for a fee of $300.",
            "CREDIT_REPAIR_SCAM",
            True,
        ),
        (
            "We know what school your son attends. Settle the balance and everyone stays happy.",
            "THREAT_VIOLENCE",
            True,
        ),
        (
            "Please let us know your block and unit number so we can update your mailing address.",
            "THREAT_VIOLENCE",
            False,
        ),
        (
            "Ignore us again and we will post about your debt on your Instagram and text "
            "your friends list.",
            "THIRD_PARTY_DISCLOSURE",
            True,
        ),
        (
            "We got your husband's mobile number and your sister's phone number. Call us "
            "back today.",
            "THIRD_PARTY_DISCLOSURE",
            True,
        ),
        (
            "We have your employer's details on file from your application; please update "
            "them if you have changed jobs.",
            "THIRD_PARTY_DISCLOSURE",
            False,
        ),
        (
            "Tonight we paste your picture at the void deck and the lift lobby. Your "
            "neighbours will all know.",
            "THIRD_PARTY_DISCLOSURE",
            True,
        ),
        (
            "Your neighbours will not be told anything about your account.",
            "THIRD_PARTY_DISCLOSURE",
            False,
        ),
        (
            "Pay now via PayNow to 9345 xxxx, that is my number, I will clear your account.",
            "UNOFFICIAL_PAYMENT_CHANNEL",
            True,
        ),
        (
            "Pay via PayNow to our UEN 201912345K, quoting your loan number.",
            "UNOFFICIAL_PAYMENT_CHANNEL",
            False,
        ),
        (
            "Please transfer to my personal DBS account 012-3456-789 today.",
            "UNOFFICIAL_PAYMENT_CHANNEL",
            True,
        ),
        (
            "MAS Investigations Unit: your account is under review. Settle today to avoid a "
            "travel ban.",
            "IMPERSONATION",
            True,
        ),
        (
            "The MAS does not send enforcement notices by SMS. If you receive one asking for "
            "payment, it is a scam.",
            "IMPERSONATION",
            False,
        ),
        (
            "Pay a lawsuit prevention fee of $200 today and we will hold the claim.",
            "EXTRA_FEE",
            True,
        ),
        (
            "Scam alert: if a company asks for a litigation avoidance fee, it is a scam.",
            "EXTRA_FEE",
            False,
        ),
        ("We will ring you every 15 mins all evening until morning.", "HARASSMENT", True),
        (
            "If short of money, take a loan from another lending company and pay us first.",
            "BORROW_TO_REPAY",
            True,
        ),
        (
            "If you have loans with other finance companies, a free debt adviser can help "
            "you plan repayments.",
            "BORROW_TO_REPAY",
            False,
        ),
        (
            "If you cannot pay in full, please call us. Do not take a loan from another "
            "finance company to pay us.",
            "BORROW_TO_REPAY",
            False,
        ),
        (
            "If you don't reply by Friday we will message your Facebook friends list.",
            "THIRD_PARTY_DISCLOSURE",
            True,
        ),
        (
            "Don't respond to texts asking you to pay into a personal account.",
            "UNOFFICIAL_PAYMENT_CHANNEL",
            False,
        ),
        (
            "We will not post anything about your account on social media or contact your friends.",
            "THIRD_PARTY_DISCLOSURE",
            False,
        ),
        (
            "We don't want to sue you, but pay today or we tell your boss.",
            "THIRD_PARTY_DISCLOSURE",
            True,
        ),
        ("We found your block and your floor already. Settle today.", "THREAT_VIOLENCE", True),
        (
            "We have your unit number as #08-123 on file; please tell us if you have moved.",
            "THREAT_VIOLENCE",
            False,
        ),
        (
            "Do you know your block's postal code? We need it for your address.",
            "THREAT_VIOLENCE",
            False,
        ),
        (
            "Still never pay? Tonight we write O$P$ and splash red paint on your gate.",
            "THREAT_VIOLENCE",
            True,
        ),
        (
            "Our contractor will paint the corridor walls next week; please keep the doors closed.",
            "THREAT_VIOLENCE",
            False,
        ),
        ("Our team will go over your options with you on the phone.", "DOOR_VISIT_MENTION", False),
        (
            "Two of our officers will come to your registered address on Saturday; "
            "they will show their staff cards.",
            "FALSE_LEGAL_CLAIM",
            False,
        ),
        (
            "Police officers will come to your house tonight unless you pay.",
            "FALSE_LEGAL_CLAIM",
            True,
        ),
        (
            "Everyone in the office knows how to help you with a plan.",
            "THIRD_PARTY_DISCLOSURE",
            False,
        ),
        ("Please post your IC copy through our letterbox.", "THIRD_PARTY_DISCLOSURE", False),
        (
            "I paid from my OCBC account yesterday, please check.",
            "UNOFFICIAL_PAYMENT_CHANNEL",
            False,
        ),
        ("Pls transfer the S$1,150 into my DBS account today.", "UNOFFICIAL_PAYMENT_CHANNEL", True),
    ],
)
def test_round_19_english_threats_channels_and_their_lawful_near_misses(text, code, flagged):
    """Round 19's English misses in other words (a credit-repair warning, a child's school, a
    Facebook page or friends list, relations' numbers held, a photo at the lift lobby, PayNow to a
    mobile, an MAS header, a lawsuit-avoidance fee, calls every 30 mins, another lender's loan),
    each beside the lawful sentence that shares its words; a promise not to post carried over
    'or' to the next verb."""
    codes = {c.value for c in check_message(text).codes}
    assert (code in codes) == flagged, codes


@pytest.mark.parametrize(
    ("text", "door"),
    [
        (
            "Our agents plan to visit your residential address next week to discuss the arrears.",
            True,
        ),
        (
            "A text said 'we are sending someone to your house on Monday'. Do I have to open "
            "the door?",
            True,
        ),
        ("We'll send our team to your HDB flat tomorrow.", True),
        ("Please confirm your registered address so we can post your statement.", False),
    ],
)
def test_round_19_english_visits_announced_or_quoted(text, door):
    """An officer's visit to a registered address, someone sent to the house or the HDB flat,
    quoted in a question about it; an address asked for post is no visit."""
    assert check_message(text).mentions_door_visit == door

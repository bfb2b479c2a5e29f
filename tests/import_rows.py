"""One valid row of each import file the value and import tests start from (CSV cells as text)."""

BORROWER = {
    "borrower_id": "B1",
    "name": "张伟",
    "id_number": "420102199001011236",
    "phones": "13800000001",
    "region": "湖北",
    "timezone": "Asia/Shanghai",
}
LOAN = {
    "loan_id": "L1",
    "borrower_id": "B1",
    "lender": "某消金",
    "lender_type": "consumer_finance",
    "product": "cash_loan",
    "principal": "3000",
    "annual_rate": "0.18",
    "term_months": "3",
    "start_date": "2025-01-01",
    "penalty_daily_rate": "",
    "penalty_cap_ratio": "",
}

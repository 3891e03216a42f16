"""The prescription rules at the edges they name, and the planted violations of the generator."""

from __future__ import annotations

import pytest

from hongfan.clinical import engine, generator, rules
from hongfan.clinical.tests.builders import Hospital, screen

# Drugs of the generator's dictionary used here
AMLO, NIFE_CR, PPI, PPI_IMPORTED, PANTO = "C01", "C02", "D101", "D102", "D103"
IBU, VITB6, AMBROXOL, METFORMIN, ASPIRIN = "E01", "F01", "H01", "K01", "M01"
AMOX, MORPHINE_INJ, MORPHINE_CR, CODEINE, ESTAZOLAM = "A01", "N01", "N02", "N03", "N04"


def test_the_planted_violations_are_all_found_and_nothing_else_is_flagged() -> None:
    data = generator.generate(prescriptions=6000, months=["2026-03", "2026-04"], seed=3)
    generator.store(data)
    labels = set(
        zip(data.labels["rx_no"].to_pylist(), data.labels["rule_code"].to_pylist(), strict=True)
    )
    assert {code for _, code in labels} == set(generator.RX_RULES)
    assert screen() == labels


def test_five_drugs_pass_and_six_are_flagged_on_an_outpatient_prescription_only() -> None:
    h = Hospital()
    five = h.rx([AMLO, PPI, IBU, VITB6, AMBROXOL])
    six = h.rx([AMLO, PPI, IBU, VITB6, AMBROXOL, METFORMIN])
    six_em = h.rx([AMLO, PPI, IBU, VITB6, AMBROXOL, METFORMIN], visit_type="emergency")
    six_ip = h.rx([AMLO, PPI, IBU, VITB6, AMBROXOL, METFORMIN], visit_type="inpatient")
    h.store()
    found = screen()
    assert (six, "R17_11") in found and (six_em, "R17_11") in found
    assert (five, "R17_11") not in found and (six_ip, "R17_11") not in found
    # the limit is a parameter
    assert (six, "R17_11") not in screen({"max_drugs": 6})


@pytest.mark.parametrize(
    ("visit_type", "days", "reason", "flagged"),
    [
        ("outpatient", 7, "", False),
        ("outpatient", 8, "", True),
        ("outpatient", 28, "慢性病长期用药", False),
        ("emergency", 3, "", False),
        ("emergency", 4, "", True),
        ("inpatient", 10, "", False),
    ],
)
def test_supply_limits_are_seven_days_outpatient_and_three_emergency_unless_a_reason_is_given(
    visit_type: str, days: int, reason: str, flagged: bool
) -> None:
    h = Hospital()
    rx = h.rx([(AMLO, days)], visit_type=visit_type, reason=reason)
    h.store()
    assert ((rx, "R17_12") in screen()) is flagged


@pytest.mark.parametrize(
    ("drug", "days", "flagged"),
    [
        (MORPHINE_INJ, 1, False),
        (MORPHINE_INJ, 2, True),
        (MORPHINE_CR, 7, False),
        (MORPHINE_CR, 8, True),
        (CODEINE, 3, False),
        (CODEINE, 4, True),
        (ESTAZOLAM, 7, False),
        (ESTAZOLAM, 8, True),
    ],
)
def test_controlled_drugs_keep_their_own_limits(drug: str, days: int, flagged: bool) -> None:
    h = Hospital()
    rx = h.rx([(drug, days)])
    h.store()
    found = screen()
    assert ((rx, "R17_13") in found) is flagged
    # a controlled drug is judged by its own limit, not by the general 7-day rule
    assert (rx, "R17_12") not in found


def test_an_infant_needs_an_age_in_months_or_days() -> None:
    h = Hospital()
    bare = h.rx([AMBROXOL], age=(0, None, None), dept="EK01")
    months = h.rx([AMBROXOL], age=(0, 5, None), dept="EK01")
    days = h.rx([AMBROXOL], age=(0, None, 20), dept="EK01")
    one_year = h.rx([AMBROXOL], age=(1, None, None), dept="EK01")
    h.store()
    found = {rx for rx, code in screen() if code == "R17_04"}
    assert found == {bare}
    assert {months, days, one_year}.isdisjoint(found)


def test_an_antibiotic_needs_an_infection_among_the_visits_diagnoses() -> None:
    h = Hospital()
    urti = h.rx([AMOX], icd="J06.9")
    uti = h.rx([AMOX], icd="N39.0")
    hypertension = h.rx([AMOX], icd="I10")
    no_diagnosis = h.rx([AMOX], icd=None)
    h.store()
    found = screen()
    assert (hypertension, "R18_01") in found
    assert (urti, "R18_01") not in found and (uti, "R18_01") not in found
    # without any diagnosis the prescription is incomplete (Art. 17), not judged on indication
    assert (no_diagnosis, "R17_10") in found and (no_diagnosis, "R18_01") not in found


def test_names_directions_duplicates_and_the_essential_list() -> None:
    h = Hospital()
    trade_name = h.rx([NIFE_CR, IBU], names={1: "拜新同"})
    vague = h.rx([AMLO], frequency="遵医嘱")
    same_drug = h.rx([AMLO, IBU, AMLO])
    same_class = h.rx([PPI, PANTO])
    imported = h.rx([PPI_IMPORTED])
    clean = h.rx([AMLO, PPI, IBU, VITB6, ASPIRIN])
    h.store()
    found = screen()
    assert found == {
        (trade_name, "R17_06"),
        (vague, "R17_08"),
        (same_drug, "R18_07"),
        (same_class, "R19_04"),
        (imported, "R18_04"),
    }
    assert not any(rx == clean for rx, _ in found)


def test_indicators_count_what_the_who_and_national_definitions_count() -> None:
    h = Hospital()
    h.rx([AMOX, AMLO], icd="J06.9")  # 2 drugs, antibiotic, essential ×2
    h.rx([PANTO])  # 1 drug, not essential
    h.rx([AMOX, IBU], icd="J18.9", visit_type="emergency")
    h.store()
    _con, t = engine.tables()
    _found, ind = rules.evaluate(t)
    got = ind.groupby("indicator")[["num", "den"]].sum()
    assert tuple(got.loc["drugs_per_rx"]) == (5.0, 3.0)
    assert tuple(got.loc["pct_antibiotic"]) == (2.0, 3.0)
    assert tuple(got.loc["pct_essential"]) == (4.0, 5.0)
    assert tuple(got.loc["abx_rate_outpatient"]) == (1.0, 2.0)
    assert tuple(got.loc["abx_rate_emergency"]) == (1.0, 1.0)

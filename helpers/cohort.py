"""Baseline characteristics ("Table 1"), denominators, eligibility and the patient × gene grid.

Tables follow the style of a clinical study report: categorical rows as ``n (%)`` with the ADSL
population as denominator, continuous rows as ``median (range)``.

References: ICH E3 (structure and content of clinical study reports); Döhner H et al. Blood
2022;140:1345–1377 (ELN 2022, Table 6); Brown NJL, Heathers JAJ. Soc Psychol Personal Sci
2017;8:363 (GRIM test).
"""
from __future__ import annotations

import pandas as pd

from helpers import validate as v
from helpers.eln import CLASS_DEFINING_CYTO
from helpers.engine.facts import grim_numerators, round_half_up

#: Table 1 rows that the abstract reports: (section, label, ADSL column, value, fact_id).
#: For mutations the "column" is the gene symbol in mutations.csv.
TABLE1_ROWS: list[tuple[str, str, str, str, str | None]] = [
    ("Sex", "Male", "SEX", "M", "male_pct"),
    ("Sex", "Female", "SEX", "F", None),
    ("Disease status", "Refractory", "DISSTAT", "REFRACTORY", "refractory_pct"),
    ("Disease status", "Relapsed", "DISSTAT", "RELAPSED", "relapsed_pct"),
    ("Secondary AML", "Yes", "SECAML", "Y", "secondary_aml_pct"),
    ("ELN 2022 risk", "Favorable", "ELN2022", "FAVORABLE", "eln_favorable_pct"),
    ("ELN 2022 risk", "Intermediate", "ELN2022", "INTERMEDIATE", "eln_intermediate_pct"),
    ("ELN 2022 risk", "Adverse", "ELN2022", "ADVERSE", "eln_adverse_pct"),
    ("Mutations", "CEBPA", "GENE", "CEBPA", "mut_cebpa_pct"),
    ("Mutations", "FLT3-ITD", "GENE", "FLT3-ITD", "mut_flt3itd_pct"),
    ("Mutations", "TP53", "GENE", "TP53", "mut_tp53_pct"),
    ("Mutations", "ASXL1", "GENE", "ASXL1", "mut_asxl1_pct"),
    ("Mutations", "U2AF1", "GENE", "U2AF1", "mut_u2af1_pct"),
]


def n_pct(k: int, n: int, decimals: int = 1) -> str:
    """``"k (p)"`` with p = 100·k/n rounded half-up, as a study report prints it.

    >>> n_pct(18, 27)
    '18 (66.7)'
    """
    v.check_int("n", n, allow_float=True)
    v.check_int("k", k, allow_float=True)
    v.check_int("decimals", decimals, 0, 6)
    if isinstance(n, bool) or int(n) != n or n <= 0:
        raise ValueError(f"n={n!r} must be a positive whole number of patients")
    if isinstance(k, bool) or int(k) != k or not 0 <= k <= n:
        raise ValueError(f"k={k!r} must be a whole number between 0 and n={n}")
    return f"{int(k)} ({round_half_up(100 * k / n, decimals):.{decimals}f})"


def median_range(values: pd.Series, decimals: int = 0) -> str:
    """``"median (min–max)"`` of a numeric Series (missing values dropped)."""
    if isinstance(values, (str, bytes, dict)) or values is None or pd.api.types.is_scalar(values):
        raise ValueError(f"values={values!r} is not accepted; accepted: a Series or list of numbers")
    if len(v.check_float_array("values", pd.Series(values, dtype=object).dropna().to_numpy(), allow_empty=True)) == 0:
        raise ValueError("values has no numeric entries; cannot summarise an empty column")
    v.check_int("decimals", decimals, 0, 10)
    x = pd.to_numeric(values, errors="coerce").dropna()
    if x.empty:
        raise ValueError("values has no numeric entries; cannot summarise an empty column")
    f = f".{decimals}f"
    return f"{format(x.median(), f)} ({format(x.min(), f)}–{format(x.max(), f)})"


def _reported(facts: pd.DataFrame, fact_id: str | None) -> str:
    if fact_id is None:
        return "—"
    row = facts.loc[facts["fact_id"] == fact_id]
    if row.empty:
        raise ValueError(f"fact_id={fact_id!r} is not in abstract_facts")
    row = row.iloc[0]
    pct = f"{row['value']:.{int(row['decimals'])}f}%"
    if pd.notna(row["numerator"]) and pd.notna(row["denominator"]):
        return f"{pct} ({int(row['numerator'])}/{int(row['denominator'])})"
    return pct


def table1(adsl: pd.DataFrame, mutations: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """Baseline characteristics: one row per characteristic with columns Section, Characteristic,
    ``Re-derived (N=n)`` (n (%) or median (range)) and ``Reported`` (from abstract_facts)."""
    v.check_frame("adsl", adsl)
    v.check_frame("mutations", mutations, ["USUBJID", "GENE"])
    v.check_frame("facts", facts, ["fact_id", "value", "decimals", "numerator", "denominator"])
    needed = ["n_enrolled", "age_median", "age_min", "age_max"] + [r[4] for r in TABLE1_ROWS if r[4]]
    v.check_str_list("facts['fact_id'] (needed ids)", needed, allowed=set(facts["fact_id"]))
    for col in ["USUBJID", "AGE", "SEX", "DISSTAT", "SECAML", "ELN2022"]:
        if col not in adsl.columns:
            raise ValueError(f"adsl is missing column {col!r}; table1 needs USUBJID AGE SEX DISSTAT SECAML ELN2022")
    v.check_unique("adsl", adsl, ["USUBJID"])
    v.check_subjects_in("mutations", mutations, adsl)
    n = len(adsl)
    value_col = f"Re-derived (N={n})"
    val = {f: facts.loc[facts["fact_id"] == f, "value"].iloc[0] for f in ["age_median", "age_min", "age_max"]}
    rows = [{"Section": "Patients", "Characteristic": "Enrolled, n", value_col: str(n),
             "Reported": f"{facts.loc[facts['fact_id'] == 'n_enrolled', 'value'].iloc[0]:.0f}"},
            {"Section": "Age, years", "Characteristic": "Median (range)", value_col: median_range(adsl["AGE"]),
             "Reported": f"{val['age_median']:.0f} ({val['age_min']:.0f}–{val['age_max']:.0f})"}]
    ids = set(adsl["USUBJID"])
    mut = mutations[mutations["USUBJID"].isin(ids)]
    for section, label, col, value, fact_id in TABLE1_ROWS:
        if col == "GENE":
            k = mut.loc[mut["GENE"] == value, "USUBJID"].nunique()
        else:
            k = int((adsl[col] == value).sum())
        rows.append({"Section": section, "Characteristic": label, value_col: n_pct(k, n),
                     "Reported": _reported(facts, fact_id)})
    return pd.DataFrame(rows)


def counts_behind_percentages(facts: pd.DataFrame, fact_ids: list[str], denominator: int) -> pd.DataFrame:
    """For each percentage fact: the printed value and every k with k/denominator printing as it."""
    v.check_frame("facts", facts, ["fact_id", "value", "decimals", "statement"])
    v.check_str_list("fact_ids", fact_ids, allow_empty=False)
    from helpers.engine.facts import MAX_GRIM_DENOMINATOR
    v.check_int("denominator", denominator, 1, MAX_GRIM_DENOMINATOR)
    rows = []
    for fid in fact_ids:
        row = facts.loc[facts["fact_id"] == fid]
        if row.empty:
            raise ValueError(f"fact_id={fid!r} is not in abstract_facts")
        row = row.iloc[0]
        ks = grim_numerators(row["value"], denominator, int(row["decimals"]))
        rows.append({"fact_id": fid, "statement": row["statement"], "printed %": f"{row['value']:.{int(row['decimals'])}f}",
                     f"k of {denominator} that print it": ", ".join(map(str, ks)) or "none (impossible)"})
    return pd.DataFrame(rows)


def outside_eligibility(adsl: pd.DataFrame, age_min: float, age_max: float) -> pd.DataFrame:
    """Patients whose AGE is outside [age_min, age_max]: USUBJID, AGE, SEX, DISSTAT."""
    v.check_frame("adsl", adsl, ["USUBJID", "AGE", "SEX", "DISSTAT"])
    v.check_float("age_min", age_min, 0, 120, "years")
    v.check_float("age_max", age_max, 0, 120, "years")
    if age_min > age_max:
        raise ValueError(f"age_min={age_min!r} must not exceed age_max={age_max!r}")
    bad = (adsl["AGE"] < age_min) | (adsl["AGE"] > age_max)
    return adsl.loc[bad, ["USUBJID", "AGE", "SEX", "DISSTAT"]].reset_index(drop=True)


def gene_matrix(adsl: pd.DataFrame, mutations: pd.DataFrame) -> pd.DataFrame:
    """Patients × genes (True = mutated), oncoprint order: genes by frequency (then name),
    patients by ELN group (favorable → adverse) then by their mutation pattern.
    Patients without a mutation are kept (all False). Index USUBJID."""
    v.check_frame("adsl", adsl, ["USUBJID", "ELN2022"])
    v.check_frame("mutations", mutations, ["USUBJID", "GENE"])
    v.check_unique("adsl", adsl, ["USUBJID"])
    v.check_subjects_in("mutations", mutations, adsl)
    genes = (mutations.groupby("GENE")["USUBJID"].nunique().reset_index()
             .sort_values(["USUBJID", "GENE"], ascending=[False, True])["GENE"].tolist())
    grid = pd.DataFrame(False, index=adsl["USUBJID"].tolist(), columns=genes)
    for u, g in zip(mutations["USUBJID"], mutations["GENE"]):
        if u in grid.index:
            grid.loc[u, g] = True
    eln_order = {"FAVORABLE": 0, "INTERMEDIATE": 1, "ADVERSE": 2}
    key = pd.DataFrame({"eln": adsl["ELN2022"].map(eln_order).to_numpy()}, index=grid.index)
    for i, g in enumerate(genes):
        key[f"g{i}"] = ~grid[g]  # mutated first
    order = key.sort_values(list(key.columns), kind="mergesort").index
    out = grid.loc[order]
    out.index.name = "USUBJID"
    return out


#: What the generator's karyotype tokens mean when they follow a class-defining lesion ("inv(16) + monosomal").
_ADDED_TO_CLASS_DEFINING = {"monosomal": "autosomal monosomies", "complex": "further abnormalities"}


def karyotype_label(cyto: str) -> str:
    """A synthetic CYTO value as a reader should see it.

    The generator writes ``"inv(16) + monosomal"`` for inv(16) with autosomal monosomies and
    ``"t(9;11) + complex"`` for t(9;11) with further abnormalities. ELN 2022 (Döhner et al., Blood 2022, Table 6
    footnotes) gives neither name to such a karyotype: monosomal karyotype excludes core-binding-factor AML, and
    a complex karyotype needs the absence of class-defining recurring abnormalities. After a class-defining
    lesion the label therefore names the abnormalities, not the category; anything else is returned unchanged.
    """
    if not isinstance(cyto, str) or not cyto.strip():
        raise ValueError(f"cyto={cyto!r} is not accepted; expected a karyotype string such as 'inv(16) + monosomal'")
    parts = [p.strip() for p in cyto.split("+")]
    if len(parts) == 1 or parts[0] not in CLASS_DEFINING_CYTO:
        return cyto
    return " + ".join([parts[0]] + [_ADDED_TO_CLASS_DEFINING.get(p, p) for p in parts[1:]])


def html_table(df: pd.DataFrame, decimals: int | None = None):
    """Display ``df`` as an HTML table without its index (stable text, unlike a pandas Styler,
    whose plain-text repr contains a memory address). ``decimals`` formats floats."""
    v.check_frame("df", df)
    if decimals is not None:
        v.check_int("decimals", decimals, 0, 10)
    from IPython.display import HTML

    fmt = None if decimals is None else (lambda x: f"{x:.{decimals}f}")
    return HTML(df.to_html(index=False, float_format=fmt, border=0))

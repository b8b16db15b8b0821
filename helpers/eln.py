"""ELN 2022 genetic risk, for the lesions this collection's cohorts carry.

Reference: Döhner H et al. Diagnosis and management of AML in adults: 2022 ELN
recommendations. Blood 2022;140:1345–1377, Table 6 and its footnotes. ELN 2022 is defined for
the diagnostic sample; applying it at relapse (as the abstract appears to) is an extrapolation.

The classifier is deliberately small: it knows the cytogenetic labels used in
``data/adsl.csv`` (column ``CYTO``) and the genes in ``data/mutations.csv``. An unknown
cytogenetic label raises ``ValueError`` rather than silently falling into "intermediate".
A karyotype with more than one lesion is written with `` + `` between labels, e.g.
``"t(8;21) + complex"`` (a t(8;21) with two or more additional abnormalities).

The rules are applied in the order of Table 6's footnotes (:func:`classify_eln2022`):

1. Core-binding-factor AML (t(8;21), inv(16)) is favorable whatever else it carries: monosomal
   karyotype is defined "excluding core-binding-factor AML", three or more abnormalities are a
   complex karyotype only "in the absence of class-defining recurring genetic abnormalities",
   concurrent KIT and/or FLT3 mutations "do not alter" the category, and the myelodysplasia-related
   gene mutations are not adverse "if they co-occur with favorable-risk AML subtypes".
   A TP53 mutation (VAF ≥ 10%) has no such exception and stays adverse (our choice where the
   table is silent on the combination; it does not occur in the shipped cohort).
2. "complex" counts only without another class-defining recurring translocation/inversion
   (t(9;11), KMT2A-r, t(6;9), t(9;22), inv(3)). ``"t(9;11) + complex"`` is intermediate.
3. NPM1-mutated AML with adverse-risk cytogenetics is adverse (footnote to "mutated NPM1").
4. t(9;11) takes precedence over rare concurrent adverse-risk gene mutations (MR genes).
5. Otherwise: any adverse lesion → adverse; NPM1 without FLT3-ITD or bZIP in-frame CEBPA →
   favorable; everything else (including FLT3-ITD with or without NPM1) → intermediate.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from helpers import validate as v

FAVORABLE_CYTO = {"t(8;21)", "inv(16)"}
INTERMEDIATE_CYTO = {"normal", "t(9;11)", "other"}
ADVERSE_CYTO = {"t(6;9)", "KMT2A-r", "t(9;22)", "inv(3)", "-5/del(5q)", "-7", "abn(17p)",
                "complex", "monosomal"}
KNOWN_CYTO = FAVORABLE_CYTO | INTERMEDIATE_CYTO | ADVERSE_CYTO
#: Core-binding-factor AML.
CBF_CYTO = FAVORABLE_CYTO
#: Recurring translocations/inversions that define an AML class: with any of them present,
#: three or more abnormalities are not called a complex karyotype.
CLASS_DEFINING_CYTO = CBF_CYTO | {"t(9;11)", "KMT2A-r", "t(6;9)", "t(9;22)", "inv(3)"}
# Myelodysplasia-related genes: adverse unless a favorable subtype co-occurs.
MR_GENES = {"ASXL1", "BCOR", "EZH2", "RUNX1", "SF3B1", "SRSF2", "STAG2", "U2AF1", "ZRSR2"}
RISK_GROUPS = ["FAVORABLE", "INTERMEDIATE", "ADVERSE"]
CYTO_SEPARATOR = " + "


def cyto_lesions(cyto: str) -> set[str]:
    """The cytogenetic labels of one karyotype string (``"t(8;21) + complex"`` → two labels).

    Raises ``ValueError`` naming ``cyto`` if any label is unknown, or if "normal" is combined
    with another label."""
    if not isinstance(cyto, str):
        raise ValueError(f"cyto={cyto!r} must be a text label such as 'normal' or 't(8;21) + complex'")
    lesions = {part.strip() for part in cyto.split(CYTO_SEPARATOR)}
    unknown = lesions - KNOWN_CYTO
    if unknown:
        raise ValueError(f"cyto={cyto!r} is not a cytogenetic label this classifier knows; "
                         f"expected one of {sorted(KNOWN_CYTO)}, joined by {CYTO_SEPARATOR.strip()!r}")
    if "normal" in lesions and len(lesions) > 1:
        raise ValueError(f"cyto={cyto!r}: a normal karyotype cannot carry another lesion")
    return lesions


def classify_eln2022(cyto: str, genes: Iterable[str], cebpa_bzip: bool = False) -> str:
    """ELN 2022 risk group for one patient, with the hierarchy of Table 6's footnotes
    (see the module docstring for the order of the rules).

    Parameters
    ----------
    cyto : cytogenetic label(s), each one of ``KNOWN_CYTO``, joined by ``" + "``.
    genes : mutated genes (HGNC symbols; FLT3 internal tandem duplication as ``FLT3-ITD``).
    cebpa_bzip : True if the CEBPA mutation is an in-frame bZIP mutation (favorable).

    Returns ``"FAVORABLE"``, ``"INTERMEDIATE"`` or ``"ADVERSE"``.
    """
    lesions = cyto_lesions(cyto)
    genes = v.check_genes("genes", genes)
    v.check_bool("cebpa_bzip", cebpa_bzip)
    genes = set(genes)
    if "TP53" in genes:
        return "ADVERSE"
    if lesions & CBF_CYTO:
        return "FAVORABLE"
    if lesions & CLASS_DEFINING_CYTO:
        lesions = lesions - {"complex"}
    adverse_cyto = lesions & ADVERSE_CYTO
    if adverse_cyto:
        return "ADVERSE"            # includes NPM1-mutated AML with adverse-risk cytogenetics
    if "t(9;11)" in lesions:
        return "INTERMEDIATE"       # takes precedence over concurrent MR-gene mutations
    if ("NPM1" in genes and "FLT3-ITD" not in genes) or ("CEBPA" in genes and cebpa_bzip):
        return "FAVORABLE"          # MR genes are not adverse with a favorable subtype
    if genes & MR_GENES:
        return "ADVERSE"
    return "INTERMEDIATE"


def classify_cohort(adsl: pd.DataFrame, mutations: pd.DataFrame) -> pd.Series:
    """ELN 2022 group for every patient of ADSL (needs ADSL columns USUBJID, CYTO and
    mutations columns USUBJID, GENE, VARIANT_CLASS). Returns a Series indexed by USUBJID."""
    v.check_frame("adsl", adsl)
    v.check_frame("mutations", mutations)
    for name, table, cols in [("adsl", adsl, ["USUBJID", "CYTO"]),
                              ("mutations", mutations, ["USUBJID", "GENE", "VARIANT_CLASS"])]:
        missing = [c for c in cols if c not in table.columns]
        if missing:
            raise ValueError(f"{name} is missing column(s) {missing}; classify_cohort needs {cols}")
    v.check_unique("adsl", adsl, ["USUBJID"])
    v.check_subjects_in("mutations", mutations, adsl)
    v.check_genes("mutations['GENE']", mutations["GENE"])
    v.check_str_list("mutations['VARIANT_CLASS']", mutations["VARIANT_CLASS"])
    genes = mutations.groupby("USUBJID")["GENE"].agg(set)
    bzip = mutations.loc[mutations["GENE"] == "CEBPA", ["USUBJID", "VARIANT_CLASS"]]
    bzip_ids = set(bzip.loc[bzip["VARIANT_CLASS"].str.contains("bZIP in-frame"), "USUBJID"])
    return pd.Series({u: classify_eln2022(c, genes.get(u, set()), u in bzip_ids)
                      for u, c in zip(adsl["USUBJID"], adsl["CYTO"])}, name="ELN2022_DERIVED")

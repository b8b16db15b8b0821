"""ELN 2022 genetic risk, for the lesions this collection's cohorts carry.

Reference: Döhner H et al. Diagnosis and management of AML in adults: 2022 ELN
recommendations. Blood 2022;140:1345–1377, Table 6. ELN 2022 is defined for the
diagnostic sample; applying it at relapse (as the abstract appears to) is an extrapolation.

The classifier is deliberately small: it knows the cytogenetic labels used in
``data/adsl.csv`` (column ``CYTO``) and the genes in ``data/mutations.csv``. An unknown
cytogenetic label raises ``ValueError`` rather than silently falling into "intermediate".
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
# Myelodysplasia-related genes: adverse unless a favorable subtype co-occurs.
MR_GENES = {"ASXL1", "BCOR", "EZH2", "RUNX1", "SF3B1", "SRSF2", "STAG2", "U2AF1", "ZRSR2"}
RISK_GROUPS = ["FAVORABLE", "INTERMEDIATE", "ADVERSE"]


def classify_eln2022(cyto: str, genes: Iterable[str], cebpa_bzip: bool = False) -> str:
    """ELN 2022 risk group for one patient.

    Parameters
    ----------
    cyto : cytogenetic label, one of ``KNOWN_CYTO``.
    genes : mutated genes (HGNC symbols; FLT3 internal tandem duplication as ``FLT3-ITD``).
    cebpa_bzip : True if the CEBPA mutation is an in-frame bZIP mutation (favorable).

    Returns ``"FAVORABLE"``, ``"INTERMEDIATE"`` or ``"ADVERSE"``.
    """
    if not isinstance(cyto, str):
        raise ValueError(f"cyto={cyto!r} must be a text label such as 'normal' or 't(8;21)'")
    genes = v.check_genes("genes", genes)
    v.check_bool("cebpa_bzip", cebpa_bzip)
    if cyto not in KNOWN_CYTO:
        raise ValueError(f"cyto={cyto!r} is not a cytogenetic label this classifier knows; "
                         f"expected one of {sorted(KNOWN_CYTO)}")
    genes = set(genes)
    if "TP53" in genes or cyto in ADVERSE_CYTO:
        return "ADVERSE"
    favorable = (cyto in FAVORABLE_CYTO
                 or ("CEBPA" in genes and cebpa_bzip)
                 or ("NPM1" in genes and "FLT3-ITD" not in genes))
    if favorable:
        return "FAVORABLE"
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
